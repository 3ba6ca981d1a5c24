/* drillmap's shareable state: the filters, the view and the focused feature live in the URL.
 *
 * `?year=2023&actor=Russia,China&kind=naval_exercise&layers=exercises,patrols&center=lat,lon
 * &zoom=z&focus=<feature id>|place:<place id>&lang=ja,ko` is read once on load (values that match nothing
 * are ignored with a visible notice) and kept in step with history.replaceState afterwards.
 */
(function (window, document, L) {
  "use strict";

  var dm = window.drillmap;
  var h = dm.h;
  var LISTS = { year: "years", actor: "actors", kind: "kinds", layers: "layers" };
  var KNOWN = ["year", "actor", "kind", "layers", "center", "zoom", "focus", "lang", "review"];
  // The languages of the source documents (`lang=ja,ko`): a filter sent with every /api query.
  var LANGUAGES = ["en", "ja", "zh", "ko", "ru"];
  var NOUN = { years: "year", actors: "actor", kinds: "kind", layers: "layer" };
  var MAX_SHOWN = 60; // characters of a rejected value repeated in the notice

  function shorten(text) {
    text = String(text);
    return text.length > MAX_SHOWN ? text.slice(0, MAX_SHOWN) + "…" : text;
  }

  function normal(group, value) {
    value = value.trim();
    if (group === "actors") return value.toLowerCase();
    if (group === "kinds") return value.toLowerCase().replace(/ /g, "_");
    return value.toLowerCase();
  }

  /* Read a query string against what the map offers; never throws on user input. */
  dm.parseMapUrl = function (search, filters, map) {
    var params = new URLSearchParams(search);
    var result = { changes: {}, center: null, zoom: null, focus: null, problems: [] };
    var seen = {};
    params.forEach(function (value, name) {
      if (KNOWN.indexOf(name) === -1) {
        if (!seen[name]) result.problems.push('Ignored unknown parameter "' + shorten(name) + '".');
        seen[name] = true;
        return;
      }
      (seen[name] = seen[name] || []).push(value);
    });

    Object.keys(LISTS).forEach(function (name) {
      if (!Array.isArray(seen[name])) return;
      var group = LISTS[name];
      var byKey = {};
      filters.options[group].forEach(function (option) {
        byKey[normal(group, option)] = option;
      });
      var items = seen[name]
        .join(",")
        .split(",")
        .map(function (item) {
          return item.trim();
        })
        .filter(Boolean);
      var kept = [];
      items.forEach(function (item) {
        var option = byKey[normal(group, item)];
        if (option === undefined) {
          result.problems.push("Ignored " + NOUN[group] + ' "' + shorten(item) + '": nothing on this map has it.');
        } else if (kept.indexOf(option) === -1) {
          kept.push(option);
        }
      });
      // An empty value ticks nothing; a list of unknown values only is ignored as a whole.
      if (kept.length || !items.length) result.changes[group] = kept;
    });

    if (Array.isArray(seen.center)) {
      var parts = seen.center[0].split(",").map(function (part) {
        return part.trim() === "" ? NaN : Number(part);
      });
      if (parts.length === 2 && isFinite(parts[0]) && isFinite(parts[1]) && Math.abs(parts[0]) <= 90 && Math.abs(parts[1]) <= 360) {
        result.center = L.latLng(parts[0], parts[1]).wrap();
      } else {
        result.problems.push('Ignored center "' + shorten(seen.center[0]) + '": expected latitude,longitude.');
      }
    }
    if (Array.isArray(seen.zoom)) {
      var text = seen.zoom[0].trim();
      var zoom = text === "" ? NaN : Number(text);
      if (isFinite(zoom) && zoom >= map.getMinZoom() && zoom <= map.getMaxZoom()) {
        result.zoom = Math.round(zoom);
      } else {
        result.problems.push(
          'Ignored zoom "' + shorten(text) + '": expected a number from ' + map.getMinZoom() + " to " + map.getMaxZoom() + "."
        );
      }
    }
    if (Array.isArray(seen.focus) && seen.focus[0].trim()) result.focus = seen.focus[0].trim();
    if (Array.isArray(seen.lang)) {
      var langs = [];
      seen.lang.join(",").split(",").forEach(function (item) {
        var code = item.trim().toLowerCase();
        if (!code) return;
        if (LANGUAGES.indexOf(code) === -1) {
          result.problems.push('Ignored language "' + shorten(item) + '": expected one of ' + LANGUAGES.join(", ") + ".");
        } else if (langs.indexOf(code) === -1) {
          langs.push(code);
        }
      });
      if (langs.length) result.langs = langs;
    }
    return result;
  };

  // ---------------------------------------------------------------- notice

  /* A dismissible message at the top centre of the map (a corner Leaflet does not have). */
  dm.Notice = L.Control.extend({
    options: { position: "topcenter" },
    onAdd: function () {
      var self = this;
      this._list = h("ul");
      var close = h("button", { type: "button", className: "dm-close", "aria-label": "Dismiss" }, ["×"]);
      close.addEventListener("click", function () {
        self.clear();
      });
      this._box = h("div", { className: "dm-notice", role: "alert" }, [
        close,
        h("strong", {}, ["Some parts of this link were not used"]),
        this._list,
      ]);
      this._box.hidden = true;
      L.DomEvent.disableClickPropagation(this._box);
      return this._box;
    },
    add: function (message) {
      this._list.appendChild(h("li", {}, [message]));
      this._box.hidden = false;
    },
    clear: function () {
      this._list.replaceChildren();
      this._box.hidden = true;
    },
  });

  function addTopCenter(map) {
    if (!map._controlCorners.topcenter) {
      map._controlCorners.topcenter = L.DomUtil.create("div", "leaflet-top dm-top-center", map._controlContainer);
    }
  }

  // ---------------------------------------------------------------- focus

  /* Run `callback` once, as soon as no layer is loading. */
  function whenIdle(callback) {
    var done = false;
    function check() {
      if (!done && dm.pending() === 0) {
        done = true;
        callback();
      }
    }
    dm.onChange(function () {
      window.setTimeout(check, 0); // after the loader finished drawing
    });
    window.setTimeout(check, 0);
  }

  function UrlState(map, config) {
    this.map = map;
    this.config = config;
    this.focus = null;
    this._highlight = L.featureGroup().addTo(map); // the focused feature's outline
    addTopCenter(map);
    this.notice = new dm.Notice().addTo(map);
    this.home = { center: map.getCenter(), zoom: map.getZoom() };
  }

  UrlState.prototype = {
    start: function () {
      var self = this;
      var map = this.map;
      var filters = dm.filters;
      var parsed = dm.parseMapUrl(window.location.search, filters, map);
      this.parsed = parsed;
      filters.langs = parsed.langs || null;
      filters.set(parsed.changes, "url"); // before the layers' first fetch
      if (parsed.center || parsed.zoom !== null) {
        map.setView(parsed.center || map.getCenter(), parsed.zoom !== null ? parsed.zoom : map.getZoom(), { animate: false });
      }
      parsed.problems.forEach(function (problem) {
        self.notice.add(problem);
      });
      this.focus = parsed.focus;
      filters.subscribe(function () {
        self.write();
      });
      map.on("moveend", function () {
        self.write();
      });
      map.on("popupopen", function (event) {
        var popup = event.popup;
        var source = popup._source;
        var id = popup._dmFocus || (source && source.feature && (source.feature.id || source.feature.properties.id));
        if (id !== undefined && id !== null) {
          popup._dmFocus = String(id);
          self.focus = String(id);
          self.write();
        }
      });
      map.on("popupclose", function (event) {
        if (event.popup._dmFocus && event.popup._dmFocus === self.focus) {
          self.focus = null;
          self.write();
        }
        if (event.popup._dmHighlight) self._highlight.clearLayers();
      });
      this.write();
      if (parsed.focus) {
        whenIdle(function () {
          self.show(parsed.focus, !!(parsed.center || parsed.zoom !== null));
        });
      }
    },

    /* The query string for the current state: only what differs from the defaults. */
    search: function () {
      var filters = dm.filters;
      var map = this.map;
      var params = {};
      if (!filters.isAll("years")) params.year = filters.ticked("years");
      if (!filters.isAll("actors")) params.actor = filters.ticked("actors");
      if (!filters.isAll("kinds")) params.kind = filters.ticked("kinds");
      if (!filters.isDefault("layers")) params.layers = filters.ticked("layers");
      if (filters.langs) params.lang = filters.langs;
      var center = map.getCenter().wrap();
      var zoom = map.getZoom();
      var home = this.home;
      var moved =
        zoom !== home.zoom ||
        Math.abs(center.lat - home.center.lat) > 1e-4 ||
        Math.abs(center.lng - home.center.lng) > 1e-4;
      if (moved) {
        params.center = [center.lat, center.lng].map(function (v) {
          return String(Number(v.toFixed(4)));
        });
        params.zoom = String(zoom);
      }
      if (this.focus) params.focus = this.focus;
      var review = dm.reviewFilter ? dm.reviewFilter() : "";
      if (review) params.review = review;
      return dm.queryString(params);
    },

    write: function () {
      var url = window.location.pathname + this.search() + window.location.hash;
      if (url !== window.location.pathname + window.location.search + window.location.hash) {
        window.history.replaceState(window.history.state, "", url);
      }
    },

    /* Open a feature's popup (zooming to it unless the URL gave a view), or centre on a place. */
    show: function (focus, keepView) {
      var self = this;
      if (focus.indexOf("place:") === 0) {
        var placeId = focus.slice("place:".length);
        this._findPlace(placeId).then(function (found) {
          if (found) self._highlightFeature(found.feature, found.loader, focus, keepView);
          else self._missing('No place "' + shorten(placeId) + '" on this map.');
        });
        return;
      }
      var drawn = this._findDrawn(focus);
      if (drawn) {
        this._open(drawn.loader, drawn.entry, focus, keepView);
        return;
      }
      this._findAnywhere(focus).then(function (found) {
        if (!found) {
          self._missing('No feature "' + shorten(focus) + '" on this map.');
          return;
        }
        self.notice.add('"' + shorten(found.feature.properties.title || focus) + '" is hidden by the current filters; it is outlined instead.');
        self._highlightFeature(found.feature, found.loader, focus, keepView);
      });
    },

    _missing: function (message) {
      this.notice.add(message);
      this.focus = null;
      this.write();
    },

    _findDrawn: function (id) {
      var names = Object.keys(dm.layers);
      for (var i = 0; i < names.length; i += 1) {
        var loader = dm.layers[names[i]];
        if (loader.container._map && loader.features[id]) return { loader: loader, entry: loader.features[id] };
      }
      return null;
    },

    _search: function (names, predicate) {
      var loaders = names
        .map(function (name) {
          return dm.layers[name];
        })
        .filter(Boolean);
      return Promise.all(
        loaders.map(function (loader) {
          return dm.fetchJson(loader.config.url).catch(function () {
            return { features: [] };
          });
        })
      ).then(function (collections) {
        for (var i = 0; i < loaders.length; i += 1) {
          var features = collections[i].features || [];
          for (var j = 0; j < features.length; j += 1) {
            if (predicate(features[j])) return { loader: loaders[i], feature: features[j] };
          }
        }
        return null;
      });
    },

    _findAnywhere: function (id) {
      var names = dm.filters.config.layers.map(function (layer) {
        return layer.name;
      });
      return this._search(names, function (feature) {
        return String(feature.id) === id || String((feature.properties || {}).id) === id;
      });
    },

    _findPlace: function (placeId) {
      return this._search(this.config.placeLayers || [], function (feature) {
        var props = feature.properties || {};
        return (props.place_ids || []).indexOf(placeId) !== -1;
      });
    },

    _fit: function (bounds, keepView) {
      if (!keepView && bounds.isValid()) {
        this.map.fitBounds(bounds, { maxZoom: this.config.focusMaxZoom || 7, padding: [60, 60], animate: false });
      }
    },

    /* An orange outline under the feature (never catching clicks), gone with its popup. */
    _outline: function (feature) {
      this._highlight.clearLayers();
      var outline = L.geoJson(feature, {
        pane: "dm-highlight",
        interactive: false,
        style: function () {
          return { pane: "dm-highlight", color: "#ff9800", weight: 7, opacity: 0.85, fillColor: "#ffd54a", fillOpacity: 0.2, interactive: false };
        },
        pointToLayer: function (f, latlng) {
          return L.circleMarker(latlng, { pane: "dm-highlight", radius: 15, color: "#ff9800", weight: 4, fillColor: "#ffd54a", fillOpacity: 0.35, interactive: false });
        },
      });
      this._highlight.addLayer(outline);
      outline.eachLayer(function (layer) {
        var el = layer.getElement && layer.getElement();
        if (el) el.classList.add("dm-highlight");
      });
      return outline.getBounds();
    },

    /* A popup of the feature's own content, for a feature not drawn as a clickable leaf. */
    _popup: function (feature, loader, focus, latlng) {
      var popup = L.popup({ maxWidth: 400, minWidth: 260, className: "dm-popup-wrapper", autoPanPadding: [20, 20] });
      popup._dmFocus = focus;
      popup._dmHighlight = true;
      popup.setLatLng(latlng).setContent(dm.popupContent(feature.properties || {}, loader.config)).openOn(this.map);
    },

    _open: function (loader, entry, focus, keepView) {
      var bounds = this._outline(entry.feature);
      this._fit(bounds, keepView);
      var leaf = entry.leaves[0];
      if (leaf._map) {
        leaf.getPopup()._dmHighlight = true;
        leaf.openPopup();
      } else {
        // A marker inside a cluster icon: open its popup where the marker is.
        this._popup(entry.feature, loader, focus, leaf.getLatLng ? leaf.getLatLng() : bounds.getCenter());
      }
    },

    _highlightFeature: function (feature, loader, focus, keepView) {
      var bounds = this._outline(feature);
      if (!bounds.isValid()) return;
      this._fit(bounds, keepView);
      this._popup(feature, loader, focus, bounds.getCenter());
    },
  };

  dm.urlState = function (map, config) {
    dm.share = new UrlState(map, config);
    dm.share.start();
    return dm.share;
  };
})(window, document, L);

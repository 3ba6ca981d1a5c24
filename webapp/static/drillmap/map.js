/* drillmap's map client, core: safe DOM building, popups, styles and layers loaded by URL.
 *
 * Text from documents only ever reaches the page as DOM text nodes (see `h` below), never as
 * HTML, so a hostile title or evidence sentence shows as text and cannot run. The controls
 * (filters.js, tree.js, timeline.js, share.js) build on what this file defines.
 */
(function (window, document, L) {
  "use strict";

  var dm = (window.drillmap = window.drillmap || {});
  dm.layers = {}; // remote layer loaders by layer name (the controls and tests use them)
  dm.FIRST_PAGE = 500; // features in a layer's first request, drawn at once
  dm.NEXT_PAGES = 20000; // features per request after it
  var listeners = [];

  function notify() {
    listeners.forEach(function (listener) {
      listener();
    });
  }
  /* Called whenever a layer starts or finishes loading (counts, status, focus). */
  dm.onChange = function (listener) {
    listeners.push(listener);
  };

  /* Layers with a fetch scheduled or in flight (tests wait for 0). */
  dm.pending = function () {
    return Object.keys(dm.layers).filter(function (name) {
      return dm.layers[name].busy();
    }).length;
  };

  // ---------------------------------------------------------------- safe DOM building

  /* Build an element; strings among `children` become text nodes, so they are never parsed. */
  function h(tag, attrs, children) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (key) {
      var value = attrs[key];
      if (value === null || value === undefined || value === false) return;
      if (key === "className") node.className = value;
      else if (key === "style") Object.assign(node.style, value);
      else node.setAttribute(key, String(value));
    });
    (children || []).forEach(function (child) {
      if (child === null || child === undefined || child === false) return;
      node.appendChild(typeof child === "object" ? child : document.createTextNode(String(child)));
    });
    return node;
  }
  dm.h = h;

  /* Kind labels come from the server's kind registry (filters config); others lose "_". */
  dm.kindLabels = {};
  function label(kind) {
    var key = String(kind == null ? "" : kind);
    return Object.prototype.hasOwnProperty.call(dm.kindLabels, key)
      ? dm.kindLabels[key]
      : key.replace(/_/g, " ");
  }
  dm.label = label;

  function yearKey(year) {
    return year === null || year === undefined ? "undated" : String(year);
  }
  dm.yearKey = yearKey;

  function colourOf(props, config) {
    var actors = props.actors || [];
    return (config.colours || {})[actors[0]] || config.unknownColour || "#666";
  }

  /* `?a=1&b=x,y`: values are encoded, commas between list items are kept readable. */
  dm.queryString = function (params) {
    var keys = Object.keys(params || {});
    if (!keys.length) return "";
    return (
      "?" +
      keys
        .map(function (key) {
          var value = params[key];
          var parts = Array.isArray(value) ? value : [value];
          return encodeURIComponent(key) + "=" + parts.map(encodeURIComponent).join(",");
        })
        .join("&")
    );
  };

  dm.fetchJson = function (url) {
    return window.fetch(url, { credentials: "same-origin" }).then(function (response) {
      if (response.ok) return response.json();
      return response
        .json()
        .catch(function () {
          return {};
        })
        .then(function (body) {
          throw new Error(body.description || "HTTP " + response.status);
        });
    });
  };

  // ---------------------------------------------------------------- popups

  function when(props) {
    var start = props.date_start;
    var end = props.date_end;
    if (start && end && end !== start) return start + " – " + end;
    if (start) return start;
    var years = (props.years || []).filter(function (y) {
      return y !== null;
    });
    return years.length ? years.join(", ") : "undated";
  }

  function row(term, value) {
    if (value === null || value === undefined || value === "") return null;
    return h("div", { className: "dm-row" }, [h("dt", {}, [term]), h("dd", {}, [value])]);
  }

  function swatches(actors, config) {
    return h(
      "span",
      {},
      (actors || []).map(function (actor, i) {
        var colour = (config.colours || {})[actor] || config.unknownColour;
        return h("span", { className: "dm-actor" }, [
          h("span", { className: "dm-swatch", style: { background: colour } }),
          actor + (i < actors.length - 1 ? ", " : ""),
        ]);
      })
    );
  }

  /* `/documents/<id>?at=<start>#ev-<start>-<end>`: the document page (the page of a long text
     that holds the sentence) highlights that sentence. */
  dm.evidenceHref = function (item, documentUrl) {
    if (!item || item.doc_id === null || item.doc_id === undefined || item.doc_id === "") return null;
    var href = documentUrl + encodeURIComponent(item.doc_id);
    if (Number.isInteger(item.start) && Number.isInteger(item.end)) {
      href += "?at=" + item.start + "#ev-" + item.start + "-" + item.end;
    }
    return href;
  };

  /* The sentence as text nodes, its place names (`marks`, offsets into it) in <mark>. */
  dm.evidenceText = function (item) {
    var text = String(item.text || "");
    var parts = [];
    var at = 0;
    (Array.isArray(item.marks) ? item.marks : []).forEach(function (mark) {
      var start = mark && mark[0], end = mark && mark[1];
      if (!Number.isInteger(start) || !Number.isInteger(end) || start < at || end > text.length || start >= end) return;
      if (start > at) parts.push(text.slice(at, start));
      parts.push(h("mark", {}, [text.slice(start, end)]));
      at = end;
    });
    if (at < text.length) parts.push(text.slice(at));
    return parts;
  };

  function evidenceItem(item, config) {
    var title = item.title || item.doc_id || "document";
    var href = dm.evidenceHref(item, config.documentUrl);
    var lang = /^[a-z]{2}$/.test(item.lang || "") ? item.lang : null;
    return h("li", {}, [
      h("blockquote", { lang: lang }, dm.evidenceText(item)),
      h("div", { className: "dm-source" }, [
        href
          ? h("a", { href: href, target: "_blank", rel: "noopener", className: "dm-doc-link" }, [title])
          : title,
        item.published ? " · " + item.published : null,
      ]),
    ]);
  }

  function sources(props) {
    var n = props.n_sources;
    if (n === undefined || n === null || (n === 0 && !(props.evidence || []).length)) return null;
    return n + (n === 1 ? " document" : " documents");
  }

  /* A feature carries its first few evidence entries; the rest are paged from the API. */
  function moreEvidence(props, shown, config) {
    var count = props.evidence_count;
    if (!Number.isInteger(count) || count <= shown || !config.evidenceUrl || !props.id) return null;
    var href = config.evidenceUrl + encodeURIComponent(props.id) + "/evidence?limit=100";
    return h("div", { className: "dm-more" }, [
      h("a", { href: href, target: "_blank", rel: "noopener", className: "dm-evidence-link" }, [
        "All " + count + " sentences",
      ]),
    ]);
  }

  /* A place holds more events than it lists: the events table shows them all (?place=). */
  function eventsHere(props, config) {
    var count = props.event_count;
    var placeId = (props.place_ids || [])[0];
    if (!Number.isInteger(count) || count < 1 || !config.eventsUrl || !placeId) return null;
    var query = new URLSearchParams({ place: placeId });
    var review = dm.reviewFilter();
    if (review) query.set("review", review);
    var href = config.eventsUrl + "?" + query.toString();
    return h("div", { className: "dm-more" }, [
      h("a", { href: href, target: "_blank", rel: "noopener", className: "dm-events-link" }, [
        count === 1 ? "The 1 event here" : "All " + count + " events here",
      ]),
    ]);
  }

  /* Extra parts of an event's popup (review.js adds its buttons): f(props, config, context)
     returns a node or null; context holds the feature and the leaf the popup is bound to. */
  dm.popupExtras = [];
  dm.REVIEW_LABELS = {
    machine: "machine reading (not reviewed)",
    confirmed: "confirmed by an analyst",
    corrected: "corrected by an analyst",
    rejected: "rejected by an analyst",
  };

  /* `review=` of the page's URL, passed on to /api (without it, rejected events stay out). */
  dm.reviewFilter = function () {
    return new URLSearchParams(window.location.search).getAll("review").join(",");
  };

  /* The one popup builder: every value is set as text, links are built from encoded ids. */
  dm.popupContent = function (props, config, context) {
    props = props || {};
    var evidence = props.evidence || [];
    var total = Number.isInteger(props.evidence_count) ? props.evidence_count : evidence.length;
    var isPlace = config.role === "zone" || config.role === "place";
    var route = config.arrows && (props.places || []).length > 1;
    return h("div", { className: "dm-popup" }, [
      h("h3", {}, [props.title || props.name || props.id || ""]),
      props.name && props.name !== props.title ? h("div", { className: "dm-name" }, [props.name]) : null,
      h("dl", {}, [
        row("Kind", label(props.kind)),
        row("When", isPlace && !props.date_start ? null : when(props)),
        row("Actors", (props.actors || []).length ? swatches(props.actors, config) : null),
        row(route ? "Route" : "Places", (props.places || []).join(route ? " → " : ", ")),
        isPlace && props.disputed ? row("Status", "disputed") : null,
        isPlace && (props.aliases || []).length ? row("Also", props.aliases.join(", ")) : null,
        row("Sources", sources(props)),
        isPlace ? null : row("Review", h("span", { className: "dm-review dm-review-" + (props.review || "machine") }, [dm.REVIEW_LABELS[props.review || "machine"] || String(props.review)])),
        isPlace || !props.review_note ? null : row("Note", props.review_note),
      ]),
      evidence.length ? h("h4", {}, ["Evidence (" + total + ")"]) : null,
      evidence.length
        ? h(
            "ol",
            { className: "dm-evidence" },
            evidence.map(function (item) {
              return evidenceItem(item, config);
            })
          )
        : null,
      moreEvidence(props, evidence.length, config),
      isPlace ? eventsHere(props, config) : null,
    ].concat(
      isPlace
        ? []
        : dm.popupExtras.map(function (extra) {
            return extra(props, config, context || {});
          })
    ));
  };

  function tooltipContent(props) {
    var facts = [label(props.kind), when(props)].filter(Boolean).join(" · ");
    return h("span", {}, [
      h("strong", {}, [props.title || props.name || ""]),
      facts ? h("br") : null,
      facts ? h("span", { className: "dm-tip-facts" }, [facts]) : null,
    ]);
  }

  // ---------------------------------------------------------------- styles

  var ZONE_COLOUR = "#3d5a80";

  function pathStyle(feature, config) {
    var props = feature.properties || {};
    var colour = colourOf(props, config);
    if (config.role === "zone") {
      // A zone is a place (an ADIZ, a disputed island), not one actor's act: one neutral look.
      return { pane: config.pane, color: ZONE_COLOUR, weight: 2, opacity: 0.85, dashArray: "7 5", fillColor: ZONE_COLOUR, fillOpacity: 0.05 };
    }
    if (config.role === "place") {
      return { pane: config.pane, color: "#4a4a4a", weight: 1, opacity: 0.8, fillOpacity: 0 };
    }
    return {
      pane: config.pane,
      color: colour,
      weight: 3,
      opacity: 0.9,
      dashArray: props.kind === "bomber_flight" ? "8 6" : null,
    };
  }

  function pointStyle(feature, config) {
    var props = feature.properties || {};
    if (config.role === "place") {
      return { pane: config.pane, radius: 3, color: "#4a4a4a", weight: 1, fillColor: "#ffffff", fillOpacity: 1 };
    }
    var reviewed = props.review === "confirmed" || props.review === "corrected";
    return {
      pane: config.pane,
      radius: config.role === "zone" ? 5 : 7,
      color: "#222",
      weight: reviewed ? 3 : 1, // an analyst's verdict shows as a heavy outline
      dashArray: props.review === "rejected" ? "2 3" : null,
      fillColor: config.role === "zone" ? ZONE_COLOUR : colourOf(props, config),
      fillOpacity: 0.85,
    };
  }

  /* Arrowheads along a route (in the order the text names its places), and one at its end. */
  function arrows(line, colour, pane) {
    var head = function (size) {
      return L.Symbol.arrowHead({
        pixelSize: size,
        polygon: true,
        pathOptions: {
          pane: pane,
          color: colour,
          fillColor: colour,
          fillOpacity: 1,
          opacity: 1,
          weight: 1,
          interactive: false,
        },
      });
    };
    return L.polylineDecorator(line, {
      patterns: [
        { offset: 60, endOffset: 50, repeat: 120, symbol: head(9) },
        { offset: "100%", repeat: 0, symbol: head(11) },
      ],
    });
  }

  /* The leaves of a feature's layer (a MultiPoint is a group of markers). */
  function leavesOf(layer) {
    if (layer.getLayers) {
      return layer.getLayers().reduce(function (all, child) {
        return all.concat(leavesOf(child));
      }, []);
    }
    return [layer];
  }

  function geoJsonOptions(config, loader) {
    if (config.role === "basemap") {
      return {
        pane: config.pane,
        interactive: false,
        style: function () {
          return config.style;
        },
      };
    }
    return {
      pane: config.pane,
      style: function (feature) {
        return pathStyle(feature, config);
      },
      pointToLayer: function (feature, latlng) {
        return L.circleMarker(latlng, pointStyle(feature, config));
      },
      onEachFeature: function (feature, layer) {
        var props = feature.properties || {};
        var id = feature.id !== undefined && feature.id !== null ? feature.id : props.id;
        var leaves = leavesOf(layer);
        // Popups on each leaf, so a marker taken out of its group by the cluster still opens.
        leaves.forEach(function (leaf) {
          leaf.feature = feature;
          leaf.bindPopup(
            function () {
              return dm.popupContent(props, config, { feature: feature, leaf: leaf, loader: loader });
            },
            { maxWidth: 400, minWidth: 260, className: "dm-popup-wrapper", autoPanPadding: [20, 20] }
          );
          leaf.bindTooltip(tooltipContent(props), { sticky: true, className: "dm-tooltip" });
          leaf.on("popupopen", function () {
            leaf.closeTooltip(); // the popup says it all; the tooltip would cover it
          });
        });
        loader.features[String(id)] = { feature: feature, leaves: leaves, layer: layer };
      },
    };
  }

  // ---------------------------------------------------------------- remote layers

  /* Fill `container` (a LayerGroup or MarkerClusterGroup) from config.url.
   * setParams(params) re-queries the API; setParams(false) empties the layer without a fetch.
   * Fetches happen only while the container is on the map; the latest request always wins. */
  dm.remoteLayer = function (container, config) {
    var state = { params: {}, seq: 0, timer: null, inFlight: false, dirty: true };
    var loader = {
      name: config.name,
      container: container,
      config: config,
      shown: 0, // features matching the filters
      unmapped: 0, // of which have no geometry (a place the gazetteer could not locate)
      error: null,
      features: {}, // drawn features by id: {feature, leaves, layer}
    };
    var options = geoJsonOptions(config, loader);

    function draw(data) {
      container.clearLayers();
      loader.features = {};
      loader.shown = 0;
      loader.unmapped = 0;
      append(data);
    }

    /* Add one page of features to what is drawn. */
    function append(data) {
      if (data) {
        var layer = L.geoJson(data, options);
        container.addLayer(layer);
        if (config.arrows && L.polylineDecorator) {
          var decorations = [];
          layer.eachLayer(function (child) {
            if (child instanceof L.Polyline && !(child instanceof L.Polygon)) {
              decorations.push(arrows(child, child.options.color, config.pane));
            }
          });
          if (decorations.length) container.addLayer(L.layerGroup(decorations));
        }
      }
      var features = data ? data.features || [] : [];
      loader.shown += features.length;
      loader.unmapped += features.filter(function (feature) {
        return !feature.geometry;
      }).length;
    }

    /* One page of the layer's features (the API says how many match in all). */
    function fetchPage(offset, limit) {
      var params = Object.assign({}, state.params, { offset: offset, limit: limit });
      return dm.fetchJson(config.url + dm.queryString(params));
    }

    function load() {
      state.timer = null;
      if (!container._map) {
        state.dirty = true; // fetch when the layer is next shown
        notify();
        return;
      }
      state.dirty = false;
      var seq = ++state.seq;
      if (state.params === false) {
        state.inFlight = false;
        loader.error = null;
        draw(null);
        notify();
        return;
      }
      state.inFlight = true;
      notify();
      // A first small page is drawn at once, the rest follows in large pages, so the first
      // features appear as fast at 100k features as at 100.
      fetchPage(0, dm.FIRST_PAGE)
        .then(function (data) {
          if (seq !== state.seq) return;
          loader.error = null;
          draw(data);
          var total = data.numberMatched || 0;
          var offset = (data.features || []).length;
          function more() {
            if (seq !== state.seq || !offset || offset >= total) return null;
            return fetchPage(offset, dm.NEXT_PAGES).then(function (next) {
              if (seq !== state.seq) return null;
              var count = (next.features || []).length;
              append(next);
              offset = count ? offset + count : total;
              return more();
            });
          }
          return more();
        })
        .catch(function (error) {
          if (seq !== state.seq) return;
          loader.error = String((error && error.message) || error);
        })
        .then(function () {
          if (seq !== state.seq) return;
          state.inFlight = false;
          notify();
        });
    }

    function schedule() {
      if (state.timer === null) state.timer = window.setTimeout(load, 0);
    }

    loader.setParams = function (params) {
      state.params = params;
      state.dirty = true;
      schedule();
    };
    /* Fetch again with the same parameters (after a review changed the layers). */
    loader.reload = function () {
      state.dirty = true;
      schedule();
    };
    loader.restyle = function (feature) {
      var entry = loader.features[String(feature.id)];
      if (!entry) return;
      entry.leaves.forEach(function (leaf) {
        if (leaf.setStyle) leaf.setStyle(leaf instanceof L.CircleMarker ? pointStyle(feature, config) : pathStyle(feature, config));
      });
    };
    loader.busy = function () {
      return state.timer !== null || state.inFlight;
    };
    /* Whether the layer is drawn with its latest parameters (hidden layers never are). */
    loader.current = function () {
      return !!container._map && !state.dirty && !loader.busy();
    };

    container.on("add", function () {
      if (state.dirty) schedule();
    });
    dm.layers[config.name] = loader;
    schedule();
    return loader;
  };
})(window, document, L);

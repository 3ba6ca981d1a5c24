/* drillmap's map client: layers loaded by URL, their styles, popups and the filter control.
 *
 * Text from documents only ever reaches the page as DOM text nodes (see `h` below), never as
 * HTML, so a hostile title or evidence sentence shows as text and cannot run.
 */
(function (window, document, L) {
  "use strict";

  var dm = (window.drillmap = window.drillmap || {});
  dm.layers = {}; // remote layer loaders by layer name (the filter control and tests use them)
  var listeners = [];

  function notify() {
    listeners.forEach(function (listener) {
      listener();
    });
  }
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

  function label(kind) {
    return String(kind == null ? "" : kind).replace(/_/g, " ");
  }

  function yearKey(year) {
    return year === null || year === undefined ? "undated" : String(year);
  }

  function colourOf(props, config) {
    var actors = props.actors || [];
    return (config.colours || {})[actors[0]] || config.unknownColour || "#666";
  }

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

  function evidenceItem(item, config) {
    var title = item.title || item.doc_id || "document";
    var href = item.doc_id ? config.documentUrl + encodeURIComponent(item.doc_id) : null;
    return h("li", {}, [
      h("blockquote", {}, [item.text || ""]),
      h("div", { className: "dm-source" }, [
        href ? h("a", { href: href, target: "_blank", rel: "noopener" }, [title]) : title,
        item.published ? " · " + item.published : null,
      ]),
    ]);
  }

  /* The one popup builder: every value is set as text, links are built from encoded ids. */
  dm.popupContent = function (props, config) {
    props = props || {};
    var evidence = props.evidence || [];
    var isPlace = config.role === "zone" || config.role === "place";
    return h("div", { className: "dm-popup" }, [
      h("h3", {}, [props.title || props.name || props.id || ""]),
      props.name && props.name !== props.title ? h("div", { className: "dm-name" }, [props.name]) : null,
      h("dl", {}, [
        row("Kind", label(props.kind)),
        row("When", when(props)),
        row("Actors", (props.actors || []).length ? swatches(props.actors, config) : null),
        row("Places", (props.places || []).join(", ")),
        isPlace && props.disputed ? row("Status", "disputed") : null,
        isPlace && (props.aliases || []).length ? row("Also", props.aliases.join(", ")) : null,
        row("Sources", props.n_sources === undefined ? null : String(props.n_sources)),
      ]),
      evidence.length ? h("h4", {}, ["Evidence"]) : null,
      evidence.length
        ? h(
            "ol",
            { className: "dm-evidence" },
            evidence.map(function (item) {
              return evidenceItem(item, config);
            })
          )
        : null,
    ]);
  };

  // ---------------------------------------------------------------- styles

  function pathStyle(feature, config) {
    var props = feature.properties || {};
    var colour = colourOf(props, config);
    if (config.role === "zone") {
      return { pane: config.pane, color: colour, weight: 2, opacity: 0.9, fillColor: colour, fillOpacity: 0.06 };
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
    return {
      pane: config.pane,
      radius: config.role === "zone" ? 5 : 7,
      color: "#222",
      weight: 1,
      fillColor: colourOf(props, config),
      fillOpacity: 0.85,
    };
  }

  function geoJsonOptions(config) {
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
        layer.bindPopup(
          function () {
            return dm.popupContent(props, config);
          },
          { maxWidth: 380, className: "dm-popup-wrapper" }
        );
        layer.bindTooltip(h("span", {}, [props.title || props.name || ""]), { sticky: true, className: "dm-tooltip" });
      },
    };
  }

  // ---------------------------------------------------------------- remote layers

  function queryString(params) {
    var keys = Object.keys(params || {});
    if (!keys.length) return "";
    return (
      "?" +
      keys
        .map(function (key) {
          return encodeURIComponent(key) + "=" + encodeURIComponent(params[key]);
        })
        .join("&")
    );
  }

  function fetchJson(url) {
    return window.fetch(url, { credentials: "same-origin" }).then(function (response) {
      if (response.ok) return response.json();
      return response
        .json()
        .catch(function () {
          return {};
        })
        .then(function (body) {
          throw new Error(body.error || "HTTP " + response.status);
        });
    });
  }

  /* Fill `container` (a LayerGroup or MarkerClusterGroup) from config.url.
   * setParams(params) re-queries the API; setParams(false) empties the layer without a fetch.
   * Fetches happen only while the container is on the map; the latest request always wins. */
  dm.remoteLayer = function (container, config) {
    var options = geoJsonOptions(config);
    var state = { params: {}, seq: 0, timer: null, inFlight: false, dirty: true };
    var loader = {
      name: config.name,
      container: container,
      config: config,
      shown: 0,
      error: null,
    };

    function draw(data) {
      container.clearLayers();
      if (data) container.addLayer(L.geoJson(data, options));
      loader.shown = data ? (data.features || []).length : 0;
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
      fetchJson(config.url + queryString(state.params))
        .then(function (data) {
          if (seq !== state.seq) return;
          loader.error = null;
          draw(data);
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
    loader.busy = function () {
      return state.timer !== null || state.inFlight;
    };

    container.on("add", function () {
      if (state.dirty) schedule();
    });
    dm.layers[config.name] = loader;
    schedule();
    return loader;
  };

  // ---------------------------------------------------------------- filter control

  function paramFor(chosen, values) {
    var kept = values.filter(function (value) {
      return chosen.has(value);
    });
    if (kept.length === values.length) return undefined; // all ticked: no filter
    return kept.length ? kept.join(",") : false; // false: nothing can match
  }

  /* Year / Actor / Layer checkboxes; a feature shows iff its layer, one of its years, one of
   * its actors and its kind are ticked. The query goes to the server (geo.query decides). */
  dm.FilterControl = L.Control.extend({
    options: { position: "topright" },

    initialize: function (config) {
      L.setOptions(this, { position: config.position || "topright" });
      this._config = config;
      this._boxes = { year: [], actor: [], layer: {}, kind: {} };
      this._counts = {};
    },

    onAdd: function (map) {
      var self = this;
      var config = this._config;
      var boxes = this._boxes;

      function box(value, checked, extra) {
        var input = h("input", Object.assign({ type: "checkbox", value: value }, extra || {}));
        input.checked = checked;
        input.addEventListener("change", function () {
          self._apply();
        });
        return input;
      }

      function section(title, rows) {
        return h("details", { className: "dm-group", open: "open" }, [
          h("summary", {}, [title]),
          h("div", { className: "dm-rows" }, rows),
        ]);
      }

      var yearRows = config.years.map(function (year) {
        var input = box(yearKey(year), true, { "data-year": yearKey(year) });
        boxes.year.push(input);
        return h("label", {}, [input, " ", year === null ? "undated" : String(year)]);
      });

      var actorRows = config.actors.map(function (actor) {
        var input = box(actor.name, true, { "data-actor": actor.name });
        boxes.actor.push(input);
        return h("label", {}, [
          input,
          " ",
          h("span", { className: "dm-swatch", style: { background: actor.colour } }),
          actor.name,
        ]);
      });

      var layerRows = config.layers.map(function (layer) {
        var input = box(layer.name, !!layer.show, { "data-layer": layer.name });
        boxes.layer[layer.name] = input;
        boxes.kind[layer.name] = [];
        var count = h("span", { className: "dm-count" }, ["–/" + layer.count]);
        self._counts[layer.name] = count;
        var kindRows = layer.kinds.map(function (kind) {
          var kindInput = box(kind, true, { "data-layer": layer.name, "data-kind": kind });
          boxes.kind[layer.name].push(kindInput);
          var symbol = layer.symbol === "line" && kind === "bomber_flight" ? "dashed" : layer.symbol;
          return h("label", {}, [kindInput, " ", h("span", { className: "dm-sym dm-sym-" + symbol }), label(kind)]);
        });
        return h("div", { className: "dm-layer" }, [
          h("label", { className: "dm-layer-title" }, [
            input,
            " ",
            h("span", { className: "dm-sym dm-sym-" + layer.symbol }),
            layer.title,
            " ",
            count,
          ]),
          h("div", { className: "dm-kinds" }, kindRows),
        ]);
      });

      this._status = h("div", { className: "dm-status", role: "status" });
      var container = h("form", { className: "dm-filter leaflet-bar" }, [
        section("Year", yearRows),
        section("Actor", actorRows),
        section("Layer", layerRows),
        this._status,
      ]);
      container.addEventListener("submit", function (event) {
        event.preventDefault();
      });
      L.DomEvent.disableClickPropagation(container);
      L.DomEvent.disableScrollPropagation(container);
      this._map = map;
      dm.onChange(function () {
        self._update();
      });
      this._apply(); // before the layers' first fetch fires, so they fetch once, filtered
      return container;
    },

    _ticked: function (inputs) {
      return new Set(
        inputs
          .filter(function (input) {
            return input.checked;
          })
          .map(function (input) {
            return input.value;
          })
      );
    },

    _apply: function () {
      var map = this._map;
      var boxes = this._boxes;
      var years = this._ticked(boxes.year);
      var actors = this._ticked(boxes.actor);
      var self = this;
      this._config.layers.forEach(function (layer) {
        var loader = dm.layers[layer.name];
        if (!loader) return;
        if (!boxes.layer[layer.name].checked) {
          map.removeLayer(loader.container);
          return;
        }
        var params = {};
        var possible = true;
        [
          ["year", years, layer.years.map(yearKey)],
          ["actor", actors, layer.actors],
          ["kind", self._ticked(boxes.kind[layer.name]), layer.kinds],
        ].forEach(function (filter) {
          var value = paramFor(filter[1], filter[2]);
          if (value === false) possible = false;
          else if (value !== undefined) params[filter[0]] = value;
        });
        loader.setParams(possible ? params : false);
        if (!map.hasLayer(loader.container)) map.addLayer(loader.container);
      });
      this._update();
    },

    _update: function () {
      var self = this;
      var errors = [];
      this._config.layers.forEach(function (layer) {
        var loader = dm.layers[layer.name];
        var count = self._counts[layer.name];
        if (!loader || !count) return;
        var on = self._boxes.layer[layer.name].checked;
        count.textContent = (on ? loader.shown : 0) + "/" + layer.count;
        if (loader.error) errors.push(layer.title + ": " + loader.error);
      });
      this._status.textContent = errors.length ? errors.join("; ") : dm.pending() ? "loading…" : "";
      this._status.className = "dm-status" + (errors.length ? " dm-error" : "");
    },
  });

  dm.filterControl = function (config) {
    return new dm.FilterControl(config);
  };
})(window, document, L);

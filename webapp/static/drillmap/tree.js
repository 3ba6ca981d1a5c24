/* drillmap's layer tree: layers › kinds, actors with their colours (the legend), years, counts,
 * and links to download exactly what is drawn. Every box reads and writes drillmap.filters. */
(function (window, document, L) {
  "use strict";

  var dm = window.drillmap;
  var h = dm.h;

  function box(group, value, attrs) {
    var input = h("input", Object.assign({ type: "checkbox", value: value, "data-group": group }, attrs || {}));
    input.addEventListener("change", function () {
      dm.filters.toggle(group, value, input.checked, "tree");
    });
    return input;
  }

  function allNone(group) {
    function button(text, on) {
      var b = h("button", { type: "button", className: "dm-link-button", "data-quick": group + ":" + text }, [text]);
      b.addEventListener("click", function () {
        var changes = {};
        changes[group] = on ? dm.filters.options[group] : [];
        dm.filters.set(changes, "tree");
      });
      return b;
    }
    return h("span", { className: "dm-quick" }, [button("all", true), " · ", button("none", false)]);
  }

  function section(title, body, extra, open) {
    var details = h("details", { className: "dm-group", "data-section": title.toLowerCase() }, [
      h("summary", {}, [h("span", { className: "dm-group-title" }, [title]), extra || null]),
      body,
    ]);
    details.open = open !== false;
    return details;
  }

  function symbol(name) {
    return h("span", { className: "dm-sym dm-sym-" + name, "aria-hidden": "true" });
  }

  dm.LayerTree = L.Control.extend({
    options: { position: "topright" },

    initialize: function (config) {
      L.setOptions(this, { position: config.position || "topright" });
      this._config = config;
      this._boxes = [];
      this._counts = {};
    },

    onAdd: function (map) {
      var self = this;
      var filters = dm.filters;
      var config = filters.config;

      // Layers › kinds, each with its legend symbol and "shown/total".
      var layerNodes = config.layers.map(function (layer) {
        var input = box("layers", layer.name, { "data-layer": layer.name });
        self._boxes.push(input);
        var count = h("span", { className: "dm-count", title: "features matching the filters / in the layer" }, [
          "–/" + layer.count,
        ]);
        self._counts[layer.name] = count;
        var kinds = layer.kinds.map(function (kind) {
          var kindInput = box("kinds", kind, { "data-layer": layer.name, "data-kind": kind });
          self._boxes.push(kindInput);
          var sym = layer.symbol === "line" && kind === "bomber_flight" ? "dashed" : layer.symbol;
          return h("li", {}, [h("label", {}, [kindInput, symbol(sym), dm.label(kind)])]);
        });
        return h("li", { className: "dm-layer", "data-layer-node": layer.name }, [
          h("label", { className: "dm-layer-title" }, [
            input,
            symbol(layer.symbol + (layer.arrows ? "-arrow" : "")),
            h("span", { className: "dm-layer-name" }, [layer.title]),
            count,
          ]),
          kinds.length ? h("ul", { className: "dm-kinds" }, kinds) : null,
        ]);
      });

      // Actors: the legend of colours, each a box.
      var actorRows = config.actors.map(function (actor) {
        var input = box("actors", actor.name, { "data-actor": actor.name });
        self._boxes.push(input);
        return h("label", { className: "dm-actor-row" }, [
          input,
          h("span", { className: "dm-swatch", style: { background: actor.colour } }),
          actor.name,
        ]);
      });

      var yearRows = config.years.map(function (year) {
        var key = dm.yearKey(year);
        var input = box("years", key, { "data-year": key });
        self._boxes.push(input);
        return h("label", { className: "dm-chip" }, [input, key]);
      });

      this._downloads = h("ul", { className: "dm-downloads" });
      this._status = h("div", { className: "dm-status", role: "status" });
      this._summary = h("span", { className: "dm-summary" });
      this._body = h("div", { className: "dm-body", id: "dm-filter-body" }, [
        section("Layers", h("ul", { className: "dm-tree" }, layerNodes)),
        section("Actors", h("div", { className: "dm-rows dm-legend" }, actorRows), allNone("actors")),
        section("Years", h("div", { className: "dm-chips" }, yearRows), allNone("years")),
        section("Download these features", this._downloads, null, false),
      ]);

      var toggle = h(
        "button",
        { type: "button", className: "dm-collapse", "aria-expanded": "true", "aria-controls": "dm-filter-body", title: "Hide or show the filters" },
        ["–"]
      );
      toggle.addEventListener("click", function () {
        var hidden = !self._body.hidden;
        self._body.hidden = hidden;
        toggle.textContent = hidden ? "+" : "–";
        toggle.setAttribute("aria-expanded", String(!hidden));
      });
      var links = (this._config.links || []).map(function (link) {
        return h("a", { href: link.href }, [link.title]);
      });
      var header = h("div", { className: "dm-header" }, [
        h("strong", { className: "dm-brand" }, ["drillmap"]),
        h("nav", { className: "dm-nav", "aria-label": "Pages" }, links),
        toggle,
      ]);

      var container = h("form", { className: "dm-filter dm-panel", "aria-label": "Map filters and legend" }, [
        header,
        this._summary,
        this._body,
        this._status,
      ]);
      container.addEventListener("submit", function (event) {
        event.preventDefault();
      });
      L.DomEvent.disableClickPropagation(container);
      L.DomEvent.disableScrollPropagation(container);
      filters.subscribe(function () {
        self._sync();
      });
      dm.onChange(function () {
        self._update();
      });
      this._sync();
      return container;
    },

    /* Boxes and download links follow the state, whoever changed it. */
    _sync: function () {
      var filters = dm.filters;
      this._boxes.forEach(function (input) {
        input.checked = filters.has(input.getAttribute("data-group"), input.value);
      });
      filters.config.layers.forEach(function (layer) {
        var node = document.querySelector('[data-layer-node="' + CSS.escape(layer.name) + '"]');
        if (node) node.classList.toggle("dm-off", !filters.has("layers", layer.name));
      });
      this._renderDownloads();
      this._update();
    },

    _renderDownloads: function () {
      var filters = dm.filters;
      var items = filters.shownLayers().map(function (layer) {
        var params = filters.paramsFor(layer);
        if (params === false) {
          return h("li", { "data-download": layer.name }, [layer.title + ": nothing matches"]);
        }
        var query = dm.queryString(params);
        return h("li", { "data-download": layer.name }, [
          layer.title + ": ",
          h("a", { href: layer.exportUrl + query, className: "dm-export", download: "" }, ["GeoJSON"]),
          " · ",
          h("a", { href: layer.url + query, className: "dm-api", target: "_blank", rel: "noopener" }, ["API"]),
        ]);
      });
      this._downloads.replaceChildren.apply(
        this._downloads,
        items.length ? items : [h("li", {}, ["No layer is shown."])]
      );
    },

    _update: function () {
      var self = this;
      var filters = dm.filters;
      var errors = [];
      var shown = 0;
      var total = 0;
      var unmapped = 0;
      filters.config.layers.forEach(function (layer) {
        var loader = dm.layers[layer.name];
        var count = self._counts[layer.name];
        if (!loader || !count) return;
        var on = filters.has("layers", layer.name);
        count.textContent = (on ? loader.shown : 0) + "/" + layer.count;
        if (on && layer.role === "event") {
          shown += loader.shown;
          unmapped += loader.unmapped;
          total += layer.count;
        }
        if (loader.error) errors.push(layer.title + ": " + loader.error);
      });
      this._summary.textContent =
        shown + " of " + total + " events match" + (unmapped ? " (" + unmapped + " without a mapped place)" : "");
      this._status.textContent = errors.length ? errors.join("; ") : dm.pending() ? "loading…" : "";
      this._status.className = "dm-status" + (errors.length ? " dm-error" : "");
    },
  });

  dm.layerTree = function (map, config) {
    return new dm.LayerTree(config).addTo(map);
  };
})(window, document, L);

/* drillmap's search box on the map: a plain GET form to the search page (as in every other
 * page's top bar), in its own Leaflet control so typing never pans or zooms the map. */
(function (window, document, L) {
  "use strict";

  var dm = window.drillmap;
  var h = dm.h;

  dm.SearchBox = L.Control.extend({
    options: { position: "topleft" },

    initialize: function (config) {
      L.setOptions(this, { position: config.position || "topleft" });
      this._action = config.action;
    },

    onAdd: function () {
      var input = h("input", {
        type: "search",
        name: "q",
        required: true,
        maxlength: 500,
        placeholder: "Search documents",
        "aria-label": "Search the documents",
      });
      var form = h(
        "form",
        { className: "dm-search dm-panel", role: "search", action: this._action, method: "get" },
        [input, h("button", { type: "submit" }, ["Search"])]
      );
      L.DomEvent.disableClickPropagation(form);
      L.DomEvent.disableScrollPropagation(form);
      return form;
    },
  });

  dm.searchBox = function (map, config) {
    dm.search = new dm.SearchBox(config).addTo(map);
    return dm.search;
  };
})(window, document, L);

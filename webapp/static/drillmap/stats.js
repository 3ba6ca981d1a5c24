/* The /stats page: the charts of the events the page's filters select; a click on a bar opens
 * the map filtered to it (a year and an actor or kind), or centred on a place
 * (`focus=place:<id>`), keeping the page's other filters. */
(function (window, document) {
  "use strict";

  var dm = window.drillmap;
  var root = document.getElementById("dm-stats");
  if (!root) return;
  var params = JSON.parse(root.getAttribute("data-params") || "{}");
  var colours = JSON.parse(root.getAttribute("data-colours") || "{}");
  var MAP_PARAMS = ["year", "actor", "kind"]; // the filters the map's URL takes

  /* The map's address for the page's filters with a picked bar's values in their place. */
  function mapHref(pick) {
    var query = new URLSearchParams();
    MAP_PARAMS.forEach(function (name) {
      if (params[name]) query.set(name, params[name]);
    });
    if (pick.year !== undefined) query.set("year", pick.year);
    if (pick.actor !== undefined && pick.actor !== dm.charts.UNATTRIBUTED) query.set("actor", pick.actor);
    if (pick.kind !== undefined) query.set("kind", pick.kind);
    if (pick.placeId) query.set("focus", "place:" + pick.placeId);
    var search = query.toString();
    return root.getAttribute("data-map-url") + (search ? "?" + search : "");
  }
  dm.statsMapHref = mapHref;

  function status(text) {
    root.replaceChildren(dm.charts.el("p", { className: "dm-charts-status", role: "status" }, [text]));
  }

  window
    .fetch(root.getAttribute("data-stats-url"), { credentials: "same-origin" })
    .then(function (response) {
      return response.json().then(function (body) {
        if (!response.ok) throw new Error(body.description || "HTTP " + response.status);
        return body;
      });
    })
    .then(function (stats) {
      root.setAttribute("data-events", String(stats.events));
      return dm.charts.render(root, stats, {
        colours: colours,
        href: mapHref,
        onPick: function (pick) {
          window.location.assign(mapHref(pick));
        },
      });
    })
    .then(function () {
      root.setAttribute("data-state", "ready");
    })
    .catch(function (error) {
      root.setAttribute("data-state", "error");
      status("The charts could not be drawn: " + String((error && error.message) || error));
    });
})(window, document);

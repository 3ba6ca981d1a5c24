/* The chart panel beside the map: the /stats charts for what the map's filters select.
 *
 * It reads the shared filter state (filters.js) and redraws whenever it changes; a click on a
 * bar sets that state (a year and an actor or kind), so the layers, the layer tree and the URL
 * follow as they do for any other control (share.js writes the URL); a place's bar centres the
 * map on the place through the URL state's `focus=place:<id>`. The vega bundles are loaded
 * only when the panel first draws, so they never delay the map's first features. It sits beside
 * the map (the map narrows), so it covers none of the map's controls; it can be collapsed.
 */
(function (window, document, L) {
  "use strict";

  var dm = window.drillmap;
  var NARROW = 760; // px: below this the panel starts collapsed
  var loading = null;

  /* Load the vega bundles once, in order (each reads the globals of the one before). */
  function loadScripts(urls) {
    if (window.vegaEmbed) return Promise.resolve();
    if (loading) return loading;
    loading = urls.reduce(function (previous, url) {
      return previous.then(function () {
        return new Promise(function (resolve, reject) {
          var script = document.createElement("script");
          script.src = url;
          script.onload = resolve;
          script.onerror = function () {
            reject(new Error("could not load " + url));
          };
          document.head.appendChild(script);
        });
      });
    }, Promise.resolve());
    return loading;
  }

  function ChartPanel(map, config) {
    this.map = map;
    this.config = config;
    this.filters = dm.filters;
    this.seq = 0;
    this.state = "idle";
    this.build();
  }

  ChartPanel.prototype = {
    build: function () {
      var self = this;
      var h = dm.h;
      this.toggle = h("button", { type: "button", className: "dm-charts-toggle", "aria-controls": "dm-charts-body" }, []);
      this.toggle.addEventListener("click", function () {
        self.setOpen(!self.open);
      });
      this.reset = h("button", { type: "button", className: "dm-charts-reset", title: "Tick every year, actor and kind" }, ["Show all"]);
      this.reset.addEventListener("click", function () {
        var options = self.filters.options;
        self.filters.set({ years: options.years, actors: options.actors, kinds: options.kinds }, "chart");
      });
      this.pageLink = h("a", { href: this.config.statsPage, className: "dm-charts-page" }, ["Open as a page"]);
      this.note = h("p", { className: "dm-charts-note" }, [
        "Counts of the events the map's filters select. Click a bar to filter the map to it.",
      ]);
      this.charts = h("div", { className: "dm-charts-list", role: "status", "aria-live": "polite" });
      this.body = h("div", { className: "dm-charts-body", id: "dm-charts-body" }, [this.note, this.charts]);
      this.root = h("aside", { className: "dm-charts-panel", "aria-label": "Charts" }, [
        h("div", { className: "dm-charts-head" }, [h("strong", {}, ["Charts"]), this.reset, this.pageLink, this.toggle]),
        this.body,
      ]);
      var container = this.map.getContainer();
      container.parentNode.insertBefore(this.root, container.nextSibling);
      document.body.classList.add("dm-has-charts");
      this.filters.subscribe(function () {
        self.refresh();
      });
      this.setOpen(window.innerWidth >= NARROW);
    },

    setOpen: function (open) {
      this.open = open;
      this.root.classList.toggle("dm-collapsed", !open);
      this.toggle.textContent = open ? "Hide" : "Charts";
      this.toggle.setAttribute("aria-expanded", String(open));
      this.toggle.title = open ? "Hide the charts (the map takes their room)" : "Show the charts beside the map";
      // The map narrows or widens; its centre stays exactly where it was (so the URL, which
      // records a moved view, does not change because the panel opened).
      var center = this.map.getCenter();
      var zoom = this.map.getZoom();
      this.map.invalidateSize({ pan: false });
      this.map.setView(center, zoom, { reset: true });
      if (open) this.refresh();
    },

    /* The /api/stats parameters for the ticks, or null when a group has nothing ticked. */
    params: function () {
      var filters = this.filters;
      var params = {};
      var empty = false;
      [
        ["year", "years"],
        ["actor", "actors"],
        ["kind", "kinds"],
      ].forEach(function (pair) {
        if (filters.isAll(pair[1])) return;
        var ticked = filters.ticked(pair[1]);
        if (!ticked.length) empty = true;
        params[pair[0]] = ticked;
      });
      var events = this.config.eventLayers;
      var shown = filters.ticked("layers").filter(function (name) {
        return events.indexOf(name) !== -1;
      });
      if (!shown.length) empty = true;
      else if (shown.length < events.length) params.layers = shown;
      return empty ? null : params;
    },

    setState: function (state, text) {
      this.state = state;
      this.root.setAttribute("data-state", state);
      if (text !== undefined) this.charts.replaceChildren(dm.h("p", { className: "dm-charts-status" }, [text]));
    },

    refresh: function () {
      var self = this;
      var params = this.params();
      var query = {};
      ["year", "actor", "kind"].forEach(function (name) {
        if (params && params[name]) query[name] = params[name];
      });
      this.pageLink.setAttribute("href", this.config.statsPage + dm.queryString(query));
      if (!this.open) return;
      var seq = ++this.seq;
      if (params === null) {
        this.setState("empty", "Nothing is ticked, so there is nothing to count.");
        return;
      }
      this.setState("loading");
      loadScripts(this.config.scripts)
        .then(function () {
          return dm.fetchJson(self.config.statsUrl + dm.queryString(params));
        })
        .then(function (stats) {
          if (seq !== self.seq) return null;
          self.root.setAttribute("data-events", String(stats.events));
          return dm.charts
            .render(self.charts, stats, {
              colours: self.config.colours,
              compact: true,
              onPick: function (pick) {
                self.pick(pick);
              },
            })
            .then(function () {
              if (seq === self.seq) self.setState(stats.events ? "ready" : "empty");
            });
        })
        .catch(function (error) {
          if (seq !== self.seq) return;
          self.setState("error", "The charts could not be drawn: " + String((error && error.message) || error));
        });
    },

    /* A bar's values become the map's filters (or its focus, for a place). */
    pick: function (pick) {
      if (pick.placeId) {
        if (dm.share) dm.share.show("place:" + pick.placeId, false);
        return;
      }
      var changes = { years: [pick.year] };
      if (pick.actor !== undefined && pick.actor !== dm.charts.UNATTRIBUTED) changes.actors = [pick.actor];
      if (pick.kind !== undefined) changes.kinds = [pick.kind];
      this.filters.set(changes, "chart");
    },
  };

  dm.chartPanel = function (map, config) {
    dm.chartsPanel = new ChartPanel(map, config);
    return dm.chartsPanel;
  };
})(window, document, L);

/* drillmap's filter state: which layers, years, actors and kinds are ticked.
 *
 * One state shared by the layer tree, the year slider and the URL. A feature shows iff its
 * layer, one of its years, one of its actors and its kind are ticked; the state only turns the
 * ticks into /api parameters per layer, and the server's geo.query decides what matches.
 */
(function (window, L) {
  "use strict";

  var dm = window.drillmap;
  var GROUPS = ["layers", "years", "actors", "kinds"];

  /* The parameter for one group of one layer: undefined = no filter, false = nothing matches. */
  function paramFor(chosen, values) {
    var kept = values.filter(function (value) {
      return chosen.has(value);
    });
    if (kept.length === values.length) return undefined; // all ticked: no filter
    return kept.length ? kept : false;
  }

  function FilterState(map, config) {
    var self = this;
    this.map = map;
    this.config = config;
    if (config.kindLabels) dm.kindLabels = config.kindLabels;
    this.options = {
      years: config.years.map(dm.yearKey),
      actors: config.actors.map(function (a) {
        return a.name;
      }),
      kinds: config.kinds.slice(),
      layers: config.layers.map(function (l) {
        return l.name;
      }),
    };
    this.colours = {};
    config.actors.forEach(function (a) {
      self.colours[a.name] = a.colour;
    });
    this._listeners = [];
    this.state = this.defaults();
    this.apply();
  }

  FilterState.prototype = {
    /* Everything ticked except the layers that start hidden (places). */
    defaults: function () {
      return {
        years: new Set(this.options.years),
        actors: new Set(this.options.actors),
        kinds: new Set(this.options.kinds),
        layers: new Set(
          this.config.layers
            .filter(function (l) {
              return l.show;
            })
            .map(function (l) {
              return l.name;
            })
        ),
      };
    },

    /* The ticked values of a group, in the order the control lists them. */
    ticked: function (group) {
      var chosen = this.state[group];
      return this.options[group].filter(function (value) {
        return chosen.has(value);
      });
    },

    isAll: function (group) {
      return this.ticked(group).length === this.options[group].length;
    },

    isDefault: function (group) {
      var now = this.ticked(group);
      var initial = this.defaults()[group];
      return now.length === initial.size && now.every(function (v) {
        return initial.has(v);
      });
    },

    has: function (group, value) {
      return this.state[group].has(value);
    },

    /* Replace whole groups: set({years: ["2023"]}); unknown values are dropped. */
    set: function (changes, source) {
      var self = this;
      GROUPS.forEach(function (group) {
        if (!changes || !changes[group]) return;
        var known = new Set(self.options[group]);
        self.state[group] = new Set(
          Array.from(changes[group]).filter(function (value) {
            return known.has(value);
          })
        );
      });
      this.apply();
      this._emit(source);
    },

    /* Tick or untick one value (the kind boxes under several layers share one value). */
    toggle: function (group, value, on, source) {
      var next = new Set(this.state[group]);
      if (on) next.add(value);
      else next.delete(value);
      var changes = {};
      changes[group] = next;
      this.set(changes, source);
    },

    subscribe: function (listener) {
      this._listeners.push(listener);
    },

    _emit: function (source) {
      this._listeners.forEach(function (listener) {
        listener(source);
      });
    },

    /* /api parameters for one layer, or false when none of its features can match. */
    paramsFor: function (layer) {
      var params = {};
      var possible = true;
      [
        ["year", this.state.years, layer.years.map(dm.yearKey)],
        ["actor", this.state.actors, layer.actors],
        ["kind", this.state.kinds, layer.kinds],
      ].forEach(function (filter) {
        var value = paramFor(filter[1], filter[2]);
        if (value === false) possible = false;
        else if (value !== undefined) params[filter[0]] = value;
      });
      if (this.langs) params.lang = this.langs; // from the URL (share.js): documents' languages
      var review = dm.reviewFilter ? dm.reviewFilter() : "";
      if (review && layer.role !== "place" && layer.role !== "zone") params.review = review;
      return possible ? params : false;
    },

    /* The layer configs of the ticked layers. */
    shownLayers: function () {
      var layers = this.state.layers;
      return this.config.layers.filter(function (layer) {
        return layers.has(layer.name);
      });
    },

    /* Show, hide and re-query the remote layers to match the ticks. */
    apply: function () {
      var map = this.map;
      var self = this;
      this.config.layers.forEach(function (layer) {
        var loader = dm.layers[layer.name];
        if (!loader) return;
        if (!self.state.layers.has(layer.name)) {
          map.removeLayer(loader.container);
          return;
        }
        loader.setParams(self.paramsFor(layer));
        if (!map.hasLayer(loader.container)) map.addLayer(loader.container);
      });
    },
  };

  dm.filterState = function (map, config) {
    dm.filters = new FilterState(map, config);
    return dm.filters;
  };
})(window, L);

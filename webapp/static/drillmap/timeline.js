/* drillmap's year slider: one position per dated year, then "all years"; play steps through
 * them once and stops on "all years". It writes the same year ticks as the tree's checkboxes
 * and shows whatever they hold ("custom" when they are neither one year nor all). */
(function (window, document, L) {
  "use strict";

  var dm = window.drillmap;
  var h = dm.h;

  dm.YearSlider = L.Control.extend({
    options: { position: "bottomleft" },

    initialize: function (config) {
      L.setOptions(this, { position: config.position || "bottomleft" });
      this.stepMs = config.stepMs || 1500;
      this._playing = false;
      this._timer = null;
    },

    onAdd: function () {
      var self = this;
      var filters = dm.filters;
      // Dated years only: an undated feature belongs to no point in time ("all years" has it).
      this._years = filters.options.years.filter(function (key) {
        return key !== "undated";
      });
      var last = this._years.length; // the "all years" position
      this._range = h("input", {
        type: "range",
        min: 0,
        max: last,
        step: 1,
        value: last,
        className: "dm-range",
        "aria-label": "Year",
      });
      this._range.addEventListener("input", function () {
        var position = parseInt(self._range.value, 10); // before stop() re-syncs the thumb
        self.stop();
        self._select(position);
      });
      this._play = h("button", { type: "button", className: "dm-play", "aria-label": "Play through the years", title: "Play through the years" }, ["▶"]);
      this._play.addEventListener("click", function () {
        if (self.playing()) self.stop();
        else self.play();
      });
      this._label = h("output", { className: "dm-year-label", "aria-live": "polite" });
      var ticks = this._years.map(function (key) {
        return h("span", {}, [key]);
      });
      ticks.push(h("span", {}, ["all"]));
      var container = h("div", { className: "dm-timeline dm-panel", role: "group", "aria-label": "Years" }, [
        this._play,
        h("div", { className: "dm-range-box" }, [this._range, h("div", { className: "dm-ticks" }, ticks)]),
        this._label,
      ]);
      if (!this._years.length) container.hidden = true;
      L.DomEvent.disableClickPropagation(container);
      L.DomEvent.disableScrollPropagation(container);
      filters.subscribe(function (source) {
        if (source !== "timeline") self.stop();
        self._sync();
      });
      this._sync();
      return container;
    },

    onRemove: function () {
      this.stop();
    },

    /* Position i: one year, or every year (the last position). */
    _select: function (i) {
      var filters = dm.filters;
      var years = i >= this._years.length ? filters.options.years : [this._years[i]];
      filters.set({ years: years }, "timeline");
    },

    /* Where the year ticks put the slider: a single dated year, all, or custom. */
    position: function () {
      var filters = dm.filters;
      if (filters.isAll("years")) return { index: this._years.length, text: "All years" };
      var ticked = filters.ticked("years");
      var index = ticked.length === 1 ? this._years.indexOf(ticked[0]) : -1;
      if (index >= 0) return { index: index, text: ticked[0] };
      return {
        index: this._years.length,
        text: ticked.length ? "Custom: " + ticked.join(", ") : "No year",
        custom: true,
      };
    },

    _sync: function () {
      var at = this.position();
      this._range.value = String(at.index);
      this._label.textContent = at.text;
      this._label.className = "dm-year-label" + (at.custom ? " dm-custom" : "");
      this._play.textContent = this.playing() ? "❚❚" : "▶";
      this._play.setAttribute("aria-label", this.playing() ? "Pause" : "Play through the years");
      this._play.setAttribute("aria-pressed", String(this.playing()));
    },

    playing: function () {
      return this._playing;
    },

    /* From the first year (or the next one when a year is showing) to "all years". */
    play: function () {
      var self = this;
      var at = this.position();
      var next = at.index >= this._years.length ? 0 : at.index + 1;
      function step() {
        self._timer = null;
        self._select(next);
        if (next >= self._years.length) {
          self.stop();
          return;
        }
        next += 1;
        self._timer = window.setTimeout(step, self.stepMs);
      }
      this._playing = true;
      step();
      this._sync();
    },

    stop: function () {
      if (this._timer !== null) window.clearTimeout(this._timer);
      this._timer = null;
      this._playing = false;
      if (this._play) this._sync();
    },
  });

  dm.yearSlider = function (map, config) {
    dm.timeline = new dm.YearSlider(config).addTo(map);
    return dm.timeline;
  };
})(window, document, L);

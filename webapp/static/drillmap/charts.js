/* drillmap's charts: events per year by actor and by kind (stacked bars) and the most-named
 * places, drawn with Vega-Lite through vega-embed from the counts of /api/stats.
 *
 * Shared by the map's chart panel (chartpanel.js) and the /stats page (stats.js); it needs the
 * vega, vega-lite and vega-embed bundles (served from node_modules), never Leaflet. Embedding
 * uses `ast: true`, so vega evaluates expressions with its interpreter instead of compiling
 * code (the pages' Content-Security-Policy has no 'unsafe-eval'), and `defaultStyle: false`
 * and a tooltip without its own <style> (charts.css styles both), so no inline style is needed.
 * Text (place names from documents) reaches the page only through vega's text marks and its
 * tooltip, which escapes it.
 */
(function (window, document) {
  "use strict";

  var dm = (window.drillmap = window.drillmap || {});
  var UNATTRIBUTED = "unattributed";
  var CHARTS = [
    { key: "actor", title: "Events per year by actor", file: "events-by-actor" },
    { key: "kind", title: "Events per year by kind", file: "events-by-kind" },
    { key: "place", title: "Most-named places", file: "events-by-place" },
  ];
  var EMBED_OPTIONS = {
    ast: true, // vega-interpreter, not new Function(): CSP-safe
    actions: false, // our own PNG/SVG buttons; no "open in the editor" link to another site
    defaultStyle: false,
    logLevel: 1, // vega.Error: not the warnings a container-wide chart of bands always gives
    renderer: "svg",
    tooltip: { disableDefaultStyle: true, theme: "light" },
  };

  /* A DOM element whose string children become text nodes (never parsed as HTML). */
  function el(tag, attrs, children) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (key) {
      var value = attrs[key];
      if (value === null || value === undefined || value === false) return;
      if (key === "className") node.className = value;
      else node.setAttribute(key, String(value));
    });
    (children || []).forEach(function (child) {
      if (child === null || child === undefined || child === false) return;
      node.appendChild(typeof child === "object" ? child : document.createTextNode(String(child)));
    });
    return node;
  }

  function colourRange(names, colours, fallback) {
    return names.map(function (name) {
      return (colours || {})[name] || fallback;
    });
  }

  var AXIS_COUNT = { field: "count", type: "quantitative", title: "events", axis: { tickMinStep: 1, format: "d" } };

  /* The Vega-Lite specs of the three charts, from one /api/stats answer. */
  function specs(stats, colours, compact) {
    var width = "container";
    var height = compact ? 140 : 220;
    var legend = { title: null, orient: "bottom", columns: compact ? 2 : 4, symbolType: "square" };
    // Years stand upright when many share a narrow panel; vega drops labels that would overlap.
    var upright = compact && stats.years.length > 6;
    var years = {
      field: "year",
      type: "ordinal",
      sort: stats.years,
      title: null,
      axis: { labelAngle: upright ? -90 : 0, labelOverlap: true },
    };
    var labels = {};
    stats.by_kind.forEach(function (row) {
      labels[row.kind] = row.label;
    });
    var kindLabels = stats.kinds.map(function (kind) {
      return labels[kind] || kind;
    });
    // Two places of one name get their ids, so their bars stay apart.
    var seen = {};
    stats.by_place.forEach(function (row) {
      seen[row.place] = (seen[row.place] || 0) + 1;
    });
    var places = stats.by_place.map(function (row) {
      var label = seen[row.place] > 1 && row.place_id ? row.place + " (" + row.place_id + ")" : row.place;
      return Object.assign({}, row, { label: label });
    });
    return {
      actor: {
        description: "Events per year by actor (stacked bars)",
        width: width,
        height: height,
        data: { values: stats.by_actor },
        mark: { type: "bar", cursor: "pointer" },
        encoding: {
          x: years,
          y: AXIS_COUNT,
          color: {
            field: "actor",
            type: "nominal",
            title: "actor",
            sort: stats.actors,
            scale: { domain: stats.actors, range: colourRange(stats.actors, colours, "#6b6b6b") },
            legend: legend,
          },
          tooltip: [
            { field: "year", title: "year" },
            { field: "actor", title: "actor" },
            { field: "count", title: "events" },
          ],
        },
      },
      kind: {
        description: "Events per year by kind (stacked bars)",
        width: width,
        height: height,
        data: { values: stats.by_kind },
        mark: { type: "bar", cursor: "pointer" },
        encoding: {
          x: years,
          y: AXIS_COUNT,
          color: {
            field: "label",
            type: "nominal",
            title: "kind",
            sort: kindLabels,
            scale: { domain: kindLabels, scheme: "tableau10" },
            legend: legend,
          },
          tooltip: [
            { field: "year", title: "year" },
            { field: "label", title: "kind" },
            { field: "count", title: "events" },
          ],
        },
      },
      place: {
        description: "The places most events name (bars)",
        width: width,
        height: { step: compact ? 16 : 20 },
        data: { values: places },
        mark: { type: "bar", cursor: "pointer", color: "#3d5a80" },
        encoding: {
          y: { field: "label", type: "nominal", sort: null, title: null, axis: { labelLimit: compact ? 130 : 260 } },
          x: AXIS_COUNT,
          tooltip: [
            { field: "place", title: "place" },
            { field: "count", title: "events" },
          ],
        },
      },
    };
  }

  /* What a click on a bar asks for: {year, actor}, {year, kind} or {place, placeId}. */
  function pickOf(key, datum) {
    if (!datum) return null;
    if (key === "actor" && datum.year !== undefined) return { year: datum.year, actor: datum.actor };
    if (key === "kind" && datum.year !== undefined) return { year: datum.year, kind: datum.kind };
    if (key === "place" && datum.place !== undefined) return { place: datum.place, placeId: datum.place_id };
    return null;
  }

  /* The rows of one chart as (label, count, pick), for its table (keyboard and screen readers). */
  function rowsOf(key, stats) {
    if (key === "actor") {
      return stats.by_actor.map(function (row) {
        return [row.year + " · " + row.actor, row.count, pickOf(key, row)];
      });
    }
    if (key === "kind") {
      return stats.by_kind.map(function (row) {
        return [row.year + " · " + row.label, row.count, pickOf(key, row)];
      });
    }
    return stats.by_place.map(function (row) {
      return [row.place, row.count, pickOf(key, row)];
    });
  }

  /* The chart's numbers as a table under it; each row does what a click on its bar does: a link
   * when options.href names where (the /stats page), else a button calling options.onPick. */
  function table(key, stats, options) {
    var rows = rowsOf(key, stats).map(function (row) {
      var pick = row[2];
      var action;
      if (options.href) {
        action = el("a", { href: options.href(pick) }, [row[0]]);
      } else {
        action = el("button", { type: "button", className: "dm-link" }, [row[0]]);
        action.addEventListener("click", function () {
          if (options.onPick) options.onPick(pick);
        });
      }
      return el("tr", {}, [el("td", {}, [action]), el("td", { className: "num" }, [String(row[1])])]);
    });
    return el("details", { className: "dm-chart-table" }, [
      el("summary", {}, ["Numbers"]),
      el("table", {}, [
        el("thead", {}, [el("tr", {}, [el("th", { scope: "col" }, [key]), el("th", { scope: "col", className: "num" }, ["events"])])]),
        el("tbody", {}, rows),
      ]),
    ]);
  }

  /* Download a chart as PNG or SVG (vega renders either from the view). */
  function download(view, type, name) {
    return view.toImageURL(type, type === "png" ? 2 : 1).then(function (url) {
      var link = el("a", { href: url, download: name + "." + type, hidden: true });
      document.body.appendChild(link);
      link.click();
      link.remove();
    });
  }

  function finalize(root) {
    (root._dmViews || []).forEach(function (view) {
      view.finalize();
    });
    root._dmViews = [];
  }

  /* Draw the three charts into `root` (replacing what it held); resolves to the views by key.
   * options: {colours, compact, onPick(pick), href(pick)}. */
  function render(root, stats, options) {
    options = options || {};
    finalize(root);
    root.replaceChildren();
    if (!stats.events) {
      root.appendChild(el("p", { className: "dm-charts-empty" }, ["No events match these filters."]));
      return Promise.resolve({});
    }
    var all = specs(stats, options.colours, options.compact);
    var views = {};
    return Promise.all(
      CHARTS.map(function (chart) {
        var slot = el("div", { className: "dm-chart-body" });
        var png = el("button", { type: "button", className: "dm-export", "data-format": "png", title: "Download as PNG" }, ["PNG"]);
        var svg = el("button", { type: "button", className: "dm-export", "data-format": "svg", title: "Download as SVG" }, ["SVG"]);
        var title = chart.title;
        if (chart.key === "place" && stats.places > stats.by_place.length) {
          title += " (top " + stats.by_place.length + " of " + stats.places + ")";
        }
        var figure = el("figure", { className: "dm-chart", "data-chart": chart.key }, [
          el("figcaption", {}, [el("span", {}, [title]), el("span", { className: "dm-exports" }, [png, svg])]),
          slot,
          table(chart.key, stats, options),
        ]);
        root.appendChild(figure);
        return window.vegaEmbed(slot, all[chart.key], EMBED_OPTIONS).then(function (result) {
          var view = result.view;
          views[chart.key] = view;
          root._dmViews.push(view);
          [png, svg].forEach(function (button) {
            button.addEventListener("click", function () {
              download(view, button.getAttribute("data-format"), "drillmap-" + chart.file);
            });
          });
          view.addEventListener("click", function (event, item) {
            var pick = item && item.mark && item.mark.marktype === "rect" ? pickOf(chart.key, item.datum) : null;
            if (pick && options.onPick) options.onPick(pick);
          });
          figure.setAttribute("data-ready", "true");
        });
      })
    ).then(function () {
      return views;
    });
  }

  dm.charts = {
    UNATTRIBUTED: UNATTRIBUTED,
    CHARTS: CHARTS,
    EMBED_OPTIONS: EMBED_OPTIONS,
    el: el,
    specs: specs,
    pickOf: pickOf,
    render: render,
    download: download,
  };
})(window, document);

/* drillmap events table: sort by clicking a column header, filter by year, actor, kind and text.
 * Plain DOM, no library. The server already applied the URL's filters; while the page shows
 * every event, the selects filter in place and keep the URL in step (so it can be shared);
 * when the server filtered, a new choice reloads so rows it left out can come back. */
(function () {
  "use strict";

  var form = document.getElementById("event-filters");
  var table = document.getElementById("events-table");
  if (!form || !table) {
    return;
  }
  var body = table.tBodies[0];
  var rows = Array.prototype.slice.call(body.rows);
  var shown = document.getElementById("shown-count");
  var none = document.getElementById("no-rows");
  var text = document.getElementById("text-filter");
  var serverFiltered = form.getAttribute("data-server-filtered") === "true";

  // With JS the selects act at once; the text filter only exists with JS.
  form.querySelector(".apply").hidden = true;
  form.querySelector(".text-filter").hidden = false;

  function chosen(name) {
    var select = form.elements[name];
    return select && select.value ? select.value.split(",") : null;
  }

  function intersects(have, want) {
    return want.some(function (value) { return have.indexOf(value) !== -1; });
  }

  function applyFilters() {
    var years = chosen("year");
    var actors = chosen("actor");
    var kinds = chosen("kind");
    var langs = chosen("lang");
    var needle = text.value.trim().toLowerCase();
    var count = 0;
    rows.forEach(function (row) {
      var ok =
        (!years || intersects(row.getAttribute("data-years").split(" "), years)) &&
        (!actors || intersects(row.getAttribute("data-actors").split("|"), actors)) &&
        (!kinds || kinds.indexOf(row.getAttribute("data-kind")) !== -1) &&
        (!langs || intersects((row.getAttribute("data-langs") || "en").split(" "), langs)) &&
        (!needle || row.textContent.toLowerCase().indexOf(needle) !== -1);
      row.hidden = !ok;
      if (ok) {
        count += 1;
      }
    });
    shown.textContent = String(count);
    none.hidden = count !== 0;
  }

  function query() {
    var params = new URLSearchParams();
    ["year", "actor", "kind", "lang", "bbox", "review", "limit"].forEach(function (name) {
      var field = form.elements[name];
      if (field && field.value) {
        params.set(name, field.value);
      }
    });
    var search = params.toString();
    return search ? "?" + search : "";
  }

  form.addEventListener("change", function (event) {
    if (event.target === text) {
      return;
    }
    if (serverFiltered || event.target.name === "review") {
      window.location.assign(form.getAttribute("action") + query());
      return;
    }
    applyFilters();
    window.history.replaceState(null, "", form.getAttribute("action") + query());
  });
  form.addEventListener("submit", function (event) {
    event.preventDefault();
    applyFilters();
  });
  text.addEventListener("input", applyFilters);

  function sortValue(row, column, numeric) {
    var raw = row.cells[column].getAttribute("data-value") || "";
    if (!numeric) {
      return raw.toLowerCase();
    }
    return raw === "" ? null : parseFloat(raw);
  }

  function sortBy(header) {
    var column = header.cellIndex;
    var numeric = header.getAttribute("data-sort") === "number";
    var ascending = header.getAttribute("aria-sort") !== "ascending";
    Array.prototype.forEach.call(table.tHead.rows[0].cells, function (cell) {
      cell.removeAttribute("aria-sort");
    });
    header.setAttribute("aria-sort", ascending ? "ascending" : "descending");
    var keyed = rows.map(function (row, position) {
      return { row: row, key: sortValue(row, column, numeric), position: position };
    });
    keyed.sort(function (a, b) {
      // Empty values last in either direction; ties keep the build's order.
      if (a.key === null || a.key === "") {
        return b.key === null || b.key === "" ? a.position - b.position : 1;
      }
      if (b.key === null || b.key === "") {
        return -1;
      }
      var order = a.key < b.key ? -1 : a.key > b.key ? 1 : 0;
      if (order === 0) {
        return a.position - b.position;
      }
      return ascending ? order : -order;
    });
    keyed.forEach(function (item) {
      body.appendChild(item.row);
    });
  }

  Array.prototype.forEach.call(table.tHead.querySelectorAll("th[data-sort] button"), function (b) {
    b.addEventListener("click", function () {
      sortBy(b.parentNode);
    });
  });

  applyFilters();
})();

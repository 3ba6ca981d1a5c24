/* drillmap correction form: pick places from the gazetteer as you type, order the route.
 * Plain DOM; names from the server are set as text, never parsed as HTML. */
(function () {
  "use strict";

  var form = document.getElementById("review-form");
  if (!form) {
    return;
  }
  var list = document.getElementById("place-list");
  var search = document.getElementById("place-search");
  var results = document.getElementById("place-results");
  var searchUrl = form.getAttribute("data-search-url");
  var seq = 0;
  var timer = null;

  function button(cls, label, text) {
    var b = document.createElement("button");
    b.type = "button";
    b.className = cls;
    b.setAttribute("aria-label", label);
    b.textContent = text;
    return b;
  }

  function addPlace(place) {
    if (list.querySelector('li[data-place-id="' + CSS.escape(place.id) + '"]')) {
      return;
    }
    var li = document.createElement("li");
    li.setAttribute("data-place-id", place.id);
    var input = document.createElement("input");
    input.type = "hidden";
    input.name = "place_id";
    input.value = place.id;
    var name = document.createElement("span");
    name.className = "place-name";
    name.textContent = place.name;
    li.appendChild(input);
    li.appendChild(name);
    li.appendChild(document.createTextNode(" "));
    li.appendChild(button("place-up", "Move up", "↑"));
    li.appendChild(button("place-down", "Move down", "↓"));
    li.appendChild(button("place-remove", "Remove", "×"));
    list.appendChild(li);
  }

  list.addEventListener("click", function (event) {
    var target = event.target;
    var li = target.closest("li");
    if (!li) {
      return;
    }
    if (target.classList.contains("place-remove")) {
      li.remove();
    } else if (target.classList.contains("place-up") && li.previousElementSibling) {
      list.insertBefore(li, li.previousElementSibling);
    } else if (target.classList.contains("place-down") && li.nextElementSibling) {
      list.insertBefore(li.nextElementSibling, li);
    }
  });

  function show(places) {
    results.textContent = "";
    places.forEach(function (place) {
      var li = document.createElement("li");
      li.setAttribute("role", "option");
      li.setAttribute("data-place-id", place.id);
      var b = document.createElement("button");
      b.type = "button";
      b.className = "place-pick";
      b.textContent = place.name + " (" + place.kind + (place.country ? ", " + place.country : "") + ")";
      if (place.aliases && place.aliases.length) {
        b.title = "also " + place.aliases.join(", ");
      }
      b.addEventListener("click", function () {
        addPlace(place);
        results.textContent = "";
        search.value = "";
        search.focus();
      });
      li.appendChild(b);
      results.appendChild(li);
    });
  }

  function lookup() {
    timer = null;
    var q = search.value.trim();
    var mine = ++seq;
    if (!q) {
      show([]);
      return;
    }
    window
      .fetch(searchUrl + "?q=" + encodeURIComponent(q), { credentials: "same-origin" })
      .then(function (response) {
        return response.ok ? response.json() : { places: [] };
      })
      .then(function (body) {
        if (mine === seq) {
          show(body.places || []);
        }
      });
  }

  search.addEventListener("input", function () {
    if (timer !== null) {
      window.clearTimeout(timer);
    }
    timer = window.setTimeout(lookup, 120);
  });
  search.addEventListener("keydown", function (event) {
    if (event.key === "Enter") {
      event.preventDefault(); // Enter picks nothing by itself: it must not submit the form
      var first = results.querySelector(".place-pick");
      if (first) {
        first.click();
      }
    }
  });
})();

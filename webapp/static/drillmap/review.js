/* drillmap's review buttons in event popups: confirm, reject, or open the correction form.
 *
 * The map page is cached for everyone, so whether this browser may review (and its form token)
 * comes from /review/session once; the buttons appear only where writes are allowed. A verdict
 * is POSTed with the token; the popup shows the new state, and a rejected event leaves the map.
 */
(function (window, document, L) {
  "use strict";

  var dm = window.drillmap;
  var h = dm.h;

  dm.reviewControls = function (map, config) {
    var session = { writable: false, token: "" };
    dm.reviewSession = window
      .fetch(config.sessionUrl, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (response) {
        return response.ok ? response.json() : {};
      })
      .then(function (body) {
        session.writable = !!body.writable;
        session.token = body.csrf_token || "";
        return session;
      })
      .catch(function () {
        return session;
      });

    function featureUrl(props) {
      return config.reviewUrl + encodeURIComponent(props.layer) + "/" + encodeURIComponent(props.id);
    }

    /* Every layer again: event layers lose a rejected event, place layers list events too. */
    function reloadEvents() {
      Object.keys(dm.layers).forEach(function (name) {
        dm.layers[name].reload();
      });
    }

    function send(props, action, context, status) {
      var body = new window.FormData();
      body.append("csrf_token", session.token);
      body.append("action", action);
      status.textContent = "Saving…";
      return window
        .fetch(featureUrl(props), {
          method: "POST",
          body: body,
          credentials: "same-origin",
          headers: { Accept: "application/json" },
        })
        .then(function (response) {
          return response.json().then(function (data) {
            if (!response.ok) throw new Error(data.description || "HTTP " + response.status);
            return data;
          });
        })
        .then(function (data) {
          var leaf = context.leaf;
          if (data.review === "rejected") {
            map.closePopup();
            reloadEvents();
            return;
          }
          // The same feature object the popup reads: the popup and the marker show the verdict.
          Object.assign(props, data.feature.properties);
          if (context.loader) context.loader.restyle(context.feature);
          if (leaf && leaf.getPopup()) leaf.getPopup().setContent(dm.popupContent(props, context.loader.config, context));
        })
        .catch(function (error) {
          status.textContent = "Not saved: " + String((error && error.message) || error);
        });
    }

    dm.popupExtras.push(function (props, layerConfig, context) {
      if (!props.layer || !props.id) return null;
      var status = h("span", { className: "dm-review-status", role: "status" });
      var box = h("div", { className: "dm-review-actions", hidden: "hidden" }, []);
      dm.reviewSession.then(function () {
        if (!session.writable) return;
        box.removeAttribute("hidden");
        var here = window.location.pathname + window.location.search;
        var buttons = [];
        if (props.review !== "confirmed") {
          buttons.push(h("button", { type: "button", className: "dm-review-confirm" }, ["Confirm"]));
        }
        if (props.review !== "rejected") {
          buttons.push(h("button", { type: "button", className: "dm-review-reject" }, ["Reject"]));
        }
        buttons.forEach(function (button) {
          var action = button.className === "dm-review-confirm" ? "confirm" : "reject";
          button.addEventListener("click", function () {
            button.disabled = true;
            send(props, action, context, status);
          });
          box.appendChild(button);
        });
        box.appendChild(
          h("a", { href: featureUrl(props) + "?next=" + encodeURIComponent(here), className: "dm-review-correct" }, ["Correct…"])
        );
        box.appendChild(status);
      });
      return box;
    });
    return { session: session };
  };
})(window, document, L);

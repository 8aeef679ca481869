// Live coverage: new updates arrive without reloading. The page polls a small shared
// endpoint with If-None-Match (a 304 from the edge when nothing changed), every 15 s while
// the tab is visible and less and less often while it is hidden, and offers the new
// updates behind an "N new updates" button instead of moving what the reader is reading.
(function () {
  "use strict";

  var section = document.querySelector("[data-live]");
  if (!section || !window.fetch || section.hasAttribute("data-live-ended")) return;
  var url = section.getAttribute("data-live");
  var interval = parseInt(section.getAttribute("data-live-interval"), 10) || 15000;
  var HIDDEN_MAX = 5 * 60000;
  var list = section.querySelector("[data-live-list]");
  var button = section.querySelector("[data-live-new]");
  var empty = section.querySelector("[data-live-empty]");
  var plural = window.Intl && Intl.PluralRules ? new Intl.PluralRules("ar") : null;
  var etag = null;
  var pending = [];  // {id, html} not yet shown, newest first
  var known = {};  // id -> the HTML last received for an update on the page
  var delay = interval;
  var timer = null;
  var stopped = false;

  var shownIds = function () {
    var ids = {};
    list.querySelectorAll("[data-update-id]").forEach(function (item) {
      ids[item.getAttribute("data-update-id")] = item;
    });
    return ids;
  };

  var label = function (count) {
    var form = plural ? plural.select(count) : (count === 1 ? "one" : "other");
    var text = button.getAttribute("data-label-" + form) || button.getAttribute("data-label-other");
    return text.replace("{n}", String(count));
  };

  var render = function () {
    if (pending.length) {
      button.textContent = label(pending.length);
      button.hidden = false;
    } else {
      button.hidden = true;
    }
  };

  var fragment = function (html) {
    var template = document.createElement("template");
    template.innerHTML = html;  // our own endpoint, sanitized on the server
    return template.content.firstElementChild;
  };

  var apply = function (data) {
    var shown = shownIds();
    var returned = {};
    var fresh = [];
    var oldest = null;
    data.updates.forEach(function (update) {
      var id = String(update.id);
      returned[id] = true;
      oldest = update.id;
      if (shown[id]) {
        // Edited since the last answer: replaced where it stands, so nothing moves.
        if (known[id] !== undefined && known[id] !== update.html) {
          shown[id].replaceWith(fragment(update.html));
        }
        known[id] = update.html;
      } else {
        fresh.push(update);
      }
    });
    // Deleted by an editor (within the window the endpoint returns).
    Object.keys(shown).forEach(function (id) {
      if (!returned[id] && oldest !== null && Number(id) > oldest) shown[id].remove();
    });
    pending = fresh;
    render();
    if (data.ended) stop();
  };

  var schedule = function () {
    if (stopped) return;
    window.clearTimeout(timer);
    delay = document.hidden ? Math.min(delay * 2, HIDDEN_MAX) : interval;
    timer = window.setTimeout(poll, delay);
  };

  var poll = function () {
    var headers = etag ? { "If-None-Match": etag } : {};
    fetch(url, { credentials: "omit", cache: "no-store", headers: headers })
      .then(function (response) {
        // Gone (unpublished, or a preview of a draft): nothing more will come.
        if (response.status === 404) stop();
        if (response.status === 304 || !response.ok) return null;
        etag = response.headers.get("ETag");
        return response.json();
      })
      .then(function (data) { if (data) apply(data); })
      .catch(function () { /* offline: try again later */ })
      .then(schedule);
  };

  var stop = function () {
    stopped = true;
    window.clearTimeout(timer);
  };

  button.addEventListener("click", function () {
    var first = null;
    pending.slice().reverse().forEach(function (update) {
      var item = fragment(update.html);
      list.insertBefore(item, list.firstElementChild);
      known[String(update.id)] = update.html;
      first = item;
    });
    pending = [];
    render();
    if (empty) empty.hidden = true;
    if (first) first.focus();
  });

  document.addEventListener("visibilitychange", function () {
    if (!document.hidden && !stopped) {
      window.clearTimeout(timer);
      poll();
    }
  });
  schedule();
})();

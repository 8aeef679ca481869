// The breaking strip (عاجل): loaded from a small shared endpoint, so every page stays the
// same for every reader. A reader who hides a line does not see it again (localStorage).
(function () {
  "use strict";

  var slot = document.querySelector("[data-breaking]");
  var template = document.getElementById("breaking-template");
  if (!slot || !template || !window.fetch) return;
  var STORE = "levant24.breaking.dismissed";
  var REFRESH_MS = 60000;
  var shownId = null;

  var dismissed = function () {
    try { return window.localStorage.getItem(STORE); } catch (e) { return null; }
  };
  var remember = function (id) {
    try { window.localStorage.setItem(STORE, String(id)); } catch (e) { /* private mode */ }
  };

  var show = function (line) {
    if (!line || String(line.id) === dismissed()) {
      slot.textContent = "";
      shownId = null;
      return;
    }
    if (shownId === line.id && slot.firstElementChild) return;
    var strip = template.content.firstElementChild.cloneNode(true);
    var link = strip.querySelector("[data-breaking-text]");
    if (line.url) {
      link.href = line.url;
    } else {
      var span = document.createElement("span");
      span.className = link.className;
      link.replaceWith(span);
      link = span;
    }
    link.textContent = line.text;
    strip.setAttribute("data-breaking-id", String(line.id));
    strip.querySelector("[data-breaking-dismiss]").addEventListener("click", function () {
      remember(line.id);
      slot.textContent = "";
      shownId = null;
      var home = document.querySelector(".site-name");
      if (home) home.focus();
    });
    slot.textContent = "";
    slot.appendChild(strip);
    shownId = line.id;
  };

  var load = function () {
    if (document.hidden) return;
    // Revalidated each time: the edge answers a cheap 304 and purges reach readers at once.
    fetch(slot.getAttribute("data-breaking"), { credentials: "omit", cache: "no-cache" })
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(function (data) { if (data) show(data.line); })
      .catch(function () { /* offline: keep what is shown */ });
  };
  load();
  window.setInterval(load, REFRESH_MS);
})();

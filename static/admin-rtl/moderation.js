// Moderation queue shortcuts: A approve, R reject, S spam, N / J next, P / K previous.
// Keys are read by position (event.code), so they work with an Arabic keyboard layout too.
(function () {
  "use strict";

  var STORE = "levant24.moderation.row";
  var ACTIONS = { KeyA: "approved", KeyR: "rejected", KeyS: "spam" };
  var NEXT = { KeyN: 1, KeyJ: 1, KeyP: -1, KeyK: -1 };

  function typing(target) {
    if (!target || !target.closest) return false;
    if (target.closest("textarea, select, [contenteditable]")) return true;
    var input = target.closest("input");
    return Boolean(input) && !/^(checkbox|radio|submit|button)$/.test(input.type);
  }

  function start() {
    var table = document.getElementById("result_list");
    if (!table) return;
    var rows = Array.prototype.slice.call(table.querySelectorAll("tbody tr"));
    if (!rows.length) return;
    var current = 0;

    function select(index, focus) {
      current = Math.max(0, Math.min(rows.length - 1, index));
      rows.forEach(function (row, i) {
        row.classList.toggle("is-current", i === current);
        if (i === current) row.setAttribute("aria-current", "true");
        else row.removeAttribute("aria-current");
      });
      var row = rows[current];
      if (focus) {
        row.focus({ preventScroll: true });
        row.scrollIntoView({ block: "nearest" });
      }
      try { window.sessionStorage.setItem(STORE, String(current)); } catch (e) { /* private mode */ }
    }

    rows.forEach(function (row, i) {
      row.tabIndex = -1;
      row.setAttribute("aria-describedby", "moderation-keys");
      row.addEventListener("focusin", function () { if (i !== current) select(i, false); });
    });

    document.addEventListener("keydown", function (event) {
      if (event.ctrlKey || event.metaKey || event.altKey || typing(event.target)) return;
      if (ACTIONS[event.code]) {
        var button = rows[current].querySelector(
          'button[name="status"][value="' + ACTIONS[event.code] + '"]'
        );
        if (button) {
          event.preventDefault();
          button.click();
        }
      } else if (NEXT[event.code]) {
        event.preventDefault();
        select(current + NEXT[event.code], true);
      }
    });

    var saved = 0;
    try { saved = parseInt(window.sessionStorage.getItem(STORE) || "0", 10) || 0; } catch (e) { saved = 0; }
    select(saved, true);
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();

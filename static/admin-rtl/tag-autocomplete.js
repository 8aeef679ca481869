// Suggest existing tags while typing in the comma-separated tags field (progressive enhancement).
(function () {
  "use strict";

  // The same separators as the server (articles/tagging.py): Arabic and Latin commas and
  // semicolons.
  var SEPARATOR = /[,\u060C;\u061B]/;

  function lastTerm(value) {
    var parts = value.split(SEPARATOR);
    var term = parts[parts.length - 1];
    return { head: value.slice(0, value.length - term.length).replace(/[\s,\u060C;\u061B]+$/, ""), term: term.trim() };
  }

  function enhance(input) {
    var url = input.dataset.suggestUrl;
    if (!url) return;
    var list = document.createElement("datalist");
    list.id = input.id + "-suggestions";
    input.after(list);
    input.setAttribute("list", list.id);
    var timer = null;
    input.addEventListener("input", function () {
      window.clearTimeout(timer);
      var parts = lastTerm(input.value);
      if (!parts.term) { list.replaceChildren(); return; }
      timer = window.setTimeout(function () {
        fetch(url + "?q=" + encodeURIComponent(parts.term), { credentials: "same-origin" })
          .then(function (response) { return response.ok ? response.json() : { tags: [] }; })
          .then(function (data) {
            var prefix = parts.head ? parts.head + "، " : "";
            list.replaceChildren.apply(list, data.tags.map(function (name) {
              var option = document.createElement("option");
              option.value = prefix + name;
              return option;
            }));
          })
          .catch(function () { list.replaceChildren(); });
      }, 200);
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("input[data-suggest-url]").forEach(enhance);
  });
})();

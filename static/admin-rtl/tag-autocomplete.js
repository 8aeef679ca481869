// Suggest existing tags while typing in the comma-separated tags field (progressive enhancement).
(function () {
  "use strict";

  function lastTerm(value) {
    var parts = value.split(",");
    return { head: parts.slice(0, -1).join(","), term: parts[parts.length - 1].trim() };
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
            var prefix = parts.head ? parts.head + ", " : "";
            list.replaceChildren.apply(list, data.tags.map(function (name) {
              var option = document.createElement("option");
              option.value = prefix + (name.indexOf(",") >= 0 || name.indexOf(" ") >= 0 ? '"' + name + '"' : name);
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

// Progressive enhancement only: every page works without this file.
(function () {
  "use strict";
  var toggle = document.querySelector(".menu-toggle");
  var menu = document.getElementById("main-menu");
  if (toggle && menu) {
    toggle.addEventListener("click", function () {
      var open = menu.classList.toggle("open");
      toggle.setAttribute("aria-expanded", open ? "true" : "false");
    });
  }

  var bar = document.querySelector("[data-reading-bar]");
  var progress = document.querySelector("[data-reading-progress]");
  var article = document.querySelector(".article");
  if (bar && progress && article) {
    var onScroll = function () {
      var rect = article.getBoundingClientRect();
      var total = rect.height - window.innerHeight;
      var done = total > 0 ? Math.min(100, Math.max(0, (-rect.top / total) * 100)) : 100;
      progress.value = done;
      bar.hidden = rect.top > 0;
    };
    window.addEventListener("scroll", onScroll, { passive: true });
  }
})();

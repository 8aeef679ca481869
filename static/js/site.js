// Progressive enhancement only: every page works without this file.
(function () {
  "use strict";

  // Main menu on small screens.
  var toggle = document.querySelector(".menu-toggle");
  var menu = document.getElementById("main-menu");
  if (toggle && menu) {
    toggle.hidden = false;
    document.documentElement.classList.add("js");
    toggle.addEventListener("click", function () {
      var open = menu.classList.toggle("open");
      toggle.setAttribute("aria-expanded", open ? "true" : "false");
    });
  }

  // The "articles" submenu: a button opens it for keyboard and touch; Escape closes it.
  document.querySelectorAll("[data-submenu]").forEach(function (item) {
    var button = item.querySelector(".submenu-toggle");
    if (!button) return;
    button.hidden = false;
    item.classList.add("enhanced");
    var setOpen = function (open) {
      item.classList.toggle("open", open);
      button.setAttribute("aria-expanded", open ? "true" : "false");
    };
    button.addEventListener("click", function () {
      setOpen(button.getAttribute("aria-expanded") !== "true");
    });
    item.addEventListener("keydown", function (event) {
      if (event.key === "Escape" && item.classList.contains("open")) {
        setOpen(false);
        button.focus();
      }
    });
    item.addEventListener("focusout", function (event) {
      if (!item.contains(event.relatedTarget)) setOpen(false);
    });
  });

  // Copy a link to the clipboard, with a short confirmation on the button itself.
  var copyLink = function (button, url) {
    if (!navigator.clipboard) return;
    navigator.clipboard.writeText(url).then(function () {
      var label = button.textContent;
      button.textContent = button.getAttribute("data-copied") || label;
      setTimeout(function () { button.textContent = label; }, 2000);
    });
  };
  document.querySelectorAll("[data-copy-link]").forEach(function (button) {
    if (!navigator.clipboard) return;
    button.hidden = false;
    button.addEventListener("click", function () {
      copyLink(button, button.getAttribute("data-copy-link"));
    });
  });

  // Share button of the reading bar: the system share sheet, or copy the link.
  document.querySelectorAll("[data-share]").forEach(function (button) {
    var url = button.getAttribute("data-url");
    var copyButton = document.querySelector("[data-copy-link]");
    if (copyButton) button.setAttribute("data-copied", copyButton.getAttribute("data-copied"));
    button.addEventListener("click", function () {
      if (navigator.share) {
        navigator.share({ title: button.getAttribute("data-title"), url: url }).catch(function () {});
      } else {
        copyLink(button, url);
      }
    });
  });

  // Reading bar: appears once the article header scrolls away, shows progress.
  var bar = document.querySelector("[data-reading-bar]");
  var progress = document.querySelector("[data-reading-progress]");
  var article = document.querySelector("[data-article]");
  if (bar && progress && article) {
    var ticking = false;
    var update = function () {
      ticking = false;
      var rect = article.getBoundingClientRect();
      var total = rect.height - window.innerHeight;
      var done = total > 0 ? Math.min(100, Math.max(0, (-rect.top / total) * 100)) : 100;
      progress.value = Math.round(done);
      bar.hidden = rect.top > -120;
    };
    window.addEventListener("scroll", function () {
      if (!ticking) { ticking = true; window.requestAnimationFrame(update); }
    }, { passive: true });
  }

  // Notifications bell: the newest articles this browser has not seen yet.
  var bell = document.querySelector("[data-bell]");
  if (bell && window.fetch && window.localStorage) {
    var KEY = "levant24:seen-articles";
    var readSeen = function () {
      try { return JSON.parse(localStorage.getItem(KEY) || "[]"); } catch (e) { return []; }
    };
    var bellButton = bell.querySelector(".bell-button");
    var panel = bell.querySelector("[data-bell-panel]");
    var list = bell.querySelector("[data-bell-list]");
    var empty = bell.querySelector("[data-bell-empty]");
    var count = bell.querySelector("[data-bell-count]");
    var articles = [];
    var render = function () {
      var seen = readSeen();
      var fresh = articles.filter(function (a) { return seen.indexOf(a.id) === -1; });
      count.textContent = String(fresh.length);
      count.hidden = fresh.length === 0;
      list.textContent = "";
      fresh.forEach(function (a) {
        var li = document.createElement("li");
        var link = document.createElement("a");
        link.href = a.url;
        link.textContent = a.title;
        var kind = document.createElement("span");
        kind.className = "label";
        kind.textContent = a.kind;
        li.appendChild(kind);
        li.appendChild(document.createTextNode(" "));
        li.appendChild(link);
        list.appendChild(li);
      });
      empty.hidden = fresh.length > 0;
    };
    fetch(bell.getAttribute("data-feed"), { headers: { Accept: "application/json" } })
      .then(function (r) { return r.ok ? r.json() : { articles: [] }; })
      .then(function (data) {
        articles = data.articles || [];
        bell.hidden = false;
        render();
      })
      .catch(function () {});
    bellButton.addEventListener("click", function () {
      var open = panel.hidden;
      panel.hidden = !open;
      bellButton.setAttribute("aria-expanded", open ? "true" : "false");
      if (!open) {
        // Closing marks everything shown as seen.
        var ids = articles.map(function (a) { return a.id; });
        var seen = readSeen().concat(ids).filter(function (id, i, all) { return all.indexOf(id) === i; });
        localStorage.setItem(KEY, JSON.stringify(seen.slice(-200)));
        render();
      }
    });
    document.addEventListener("keydown", function (event) {
      if (event.key === "Escape" && !panel.hidden) { bellButton.click(); bellButton.focus(); }
    });
  }

  // The reader's own parts. Every public page is the same for every reader (an edge cache
  // keeps it); who is signed in, the CSRF token of the page's forms, the reader's pending
  // comments and their messages come from one small private endpoint.
  var readerUrl = document.body.getAttribute("data-reader-url");
  if (readerUrl && window.fetch) {
    var comments = document.querySelector("[data-comments]");
    var url = readerUrl + (comments ? "?article=" + encodeURIComponent(comments.getAttribute("data-comments")) : "");
    fetch(url, { credentials: "same-origin", cache: "no-store", headers: { Accept: "application/json" } })
      .then(function (r) { return r.ok ? r.json() : null; })
      .then(function (state) { if (state) applyReaderState(state); })
      .catch(function () {})
      .then(function () {
        showCommentMessages();
        document.body.setAttribute("data-reader-ready", "");
      });
  }

  function applyReaderState(state) {
    document.querySelectorAll("input[data-csrf-field]").forEach(function (input) {
      if (!input.value) input.value = state.csrf_token;
    });
    var signIn = document.querySelector("[data-user-area]");
    var template = document.getElementById("user-area-template");
    if (state.user && signIn && template) {
      var area = template.content.firstElementChild.cloneNode(true);
      area.querySelector("[data-user-name]").textContent = state.user.name;
      var reminder = area.querySelector("[data-confirm-reminder]");
      if (state.user.confirm_email_url) reminder.hidden = false; else reminder.remove();
      area.querySelector("input[data-csrf-field]").value = state.csrf_token;
      signIn.replaceWith(area);
      var dialog = document.getElementById("signin-dialog");
      if (dialog) dialog.remove();
    }
    var form = document.getElementById("comment-form");
    if (form && state.comment_form) {
      ["name", "email"].forEach(function (name) {
        var input = form.querySelector("[name=" + name + "]");
        if (input && !input.value && state.comment_form[name]) input.value = state.comment_form[name];
      });
    }
    var list = document.querySelector("[data-comment-list]");
    (state.pending || []).forEach(function (item) {
      if (!list || document.getElementById("comment-" + item.id)) return;
      var li = document.createElement("li");
      li.className = "comment is-pending";
      li.innerHTML = item.html; // rendered and escaped by our own template
      var parent = item.parent && document.getElementById("comment-" + item.parent);
      if (parent) {
        var host = parent.parentNode;
        var children = host.querySelector(":scope > ol.children");
        if (!children) {
          children = document.createElement("ol");
          children.className = "children";
          host.appendChild(children);
        }
        children.appendChild(li);
      } else {
        list.appendChild(li);
      }
    });
    if (state.messages && state.messages.length) {
      // Next to the comments when the reader came back to one, else at the top.
      var near = /^#comment/.test(window.location.hash) && document.querySelector("[data-messages=comments]");
      var box = near || document.querySelector("[data-messages]");
      state.messages.forEach(function (message) {
        var p = document.createElement("p");
        p.className = "message message-" + message.level;
        p.textContent = message.text;
        box.appendChild(p);
      });
    }
  }

  // Back at a comment (the one just posted, or the one reported) with a message: the message
  // goes right under that comment, so both are seen together, and the page scrolls there
  // again (a pending comment may not have existed when the browser looked for the target).
  function showCommentMessages() {
    var box = document.querySelector("[data-messages=comments]");
    var target = /^#comment-/.test(window.location.hash) && document.getElementById(window.location.hash.slice(1));
    if (!box || !target || !box.children.length) return;
    if (target.classList.contains("comment-body")) target.after(box);
    target.scrollIntoView({ block: "start" });
  }
})();

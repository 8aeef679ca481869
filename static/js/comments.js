// Progressive enhancement: without this file, "reply" reloads the page with the form set.
(function () {
  "use strict";
  var respond = document.querySelector("[data-comment-respond]");
  if (!respond) return;

  // A form sent back with mistakes: the summary of the errors is brought into view and
  // focused (screen readers announce it), and each of its links puts the cursor in its field.
  var summary = respond.querySelector("[data-error-summary]");
  if (summary) {
    var showSummary = function () {
      summary.scrollIntoView({ block: "start" });
      summary.focus({ preventScroll: true });
    };
    showSummary();
    // Without JavaScript the form's address (#respond) brings the page to the form; with it,
    // the browser's own scroll to that target comes after this script and takes the focus
    // away: give it back once the page has loaded, unless the reader has moved on.
    window.addEventListener("load", function () {
      setTimeout(function () {
        if (document.activeElement === document.body) showSummary();
      }, 0);
    });
    summary.addEventListener("click", function (event) {
      var link = event.target.closest("a[href^='#']");
      var field = link && document.getElementById(link.getAttribute("href").slice(1));
      if (!field) return;
      event.preventDefault();
      field.scrollIntoView({ block: "center" });
      field.focus({ preventScroll: true });
    });
  }
  var form = respond.querySelector("form");
  var parentInput = form && form.querySelector("input[name=parent]");
  var cancel = respond.querySelector("#cancel-reply");
  var heading = respond.querySelector("[data-reply-heading]");
  var replyHeading = respond.querySelector("[data-reply-to-heading]");
  var replyName = respond.querySelector("[data-reply-to-name]");
  if (!form || !parentInput || !cancel) return;

  // Where the form lives when it is not replying to anyone.
  var home = document.createElement("div");
  home.hidden = true;
  respond.parentNode.insertBefore(home, respond);

  // The reply link that moved the form, so that "cancel reply" can give focus back to it.
  var opener = null;

  function setReply(id, name) {
    parentInput.value = id || "";
    cancel.hidden = !id;
    heading.hidden = !!id;
    replyHeading.hidden = !id;
    replyName.textContent = name || "";
  }

  document.addEventListener("click", function (event) {
    var link = event.target.closest("[data-reply-to]");
    if (!link) return;
    var body = document.getElementById("comment-" + link.getAttribute("data-reply-to"));
    if (!body) return;
    event.preventDefault();
    opener = link;
    body.appendChild(respond);
    setReply(link.getAttribute("data-reply-to"), link.getAttribute("data-reply-name"));
    var text = form.querySelector("textarea");
    if (text) text.focus();
  });

  cancel.addEventListener("click", function (event) {
    event.preventDefault();
    home.parentNode.insertBefore(respond, home.nextSibling);
    setReply("", "");
    if (opener) opener.focus();
    opener = null;
    if (window.location.search.indexOf("replyto=") !== -1 && window.history.replaceState) {
      window.history.replaceState(null, "", window.location.pathname + "#comment-form");
    }
  });
})();

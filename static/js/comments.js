// Progressive enhancement: without this file, "reply" reloads the page with the form set.
(function () {
  "use strict";
  var respond = document.querySelector("[data-comment-respond]");
  if (!respond) return;
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

// Sign-in dialog: progressive enhancement of the header's sign-in link.
// Without JavaScript (or without <dialog> support, or if the CSRF token cannot be fetched)
// the link simply opens the full sign-in page.
(function () {
  "use strict";
  var dialog = document.getElementById("signin-dialog");
  var openers = document.querySelectorAll("[data-signin-open]");
  if (!dialog || !openers.length || typeof dialog.showModal !== "function" || !window.fetch) {
    return;
  }
  var csrfField = dialog.querySelector("[data-csrf-field]");
  var closeButton = dialog.querySelector("[data-signin-close]");
  var firstField = dialog.querySelector("input[name=username]");
  var opener = null;

  function loadToken() {
    return fetch(dialog.getAttribute("data-csrf-url"), {
      credentials: "same-origin",
      headers: { Accept: "application/json" },
    }).then(function (response) {
      if (!response.ok) {
        throw new Error("csrf " + response.status);
      }
      return response.json();
    }).then(function (data) {
      csrfField.value = data.token;
    });
  }

  function open(link) {
    opener = link;
    loadToken().then(function () {
      dialog.showModal();
      firstField.focus();
    }).catch(function () {
      window.location.href = link.href;
    });
  }

  Array.prototype.forEach.call(openers, function (link) {
    link.addEventListener("click", function (event) {
      // Let modified clicks (new tab, new window) behave as ordinary links.
      if (event.button !== 0 || event.ctrlKey || event.metaKey || event.shiftKey || event.altKey) {
        return;
      }
      event.preventDefault();
      open(link);
    });
  });

  if (closeButton) {
    closeButton.addEventListener("click", function () {
      dialog.close();
    });
  }

  // A click on the backdrop (outside the dialog's box) closes it, like Escape does.
  dialog.addEventListener("click", function (event) {
    if (event.target !== dialog) {
      return;
    }
    var box = dialog.getBoundingClientRect();
    var inside = event.clientX >= box.left && event.clientX <= box.right &&
      event.clientY >= box.top && event.clientY <= box.bottom;
    if (!inside) {
      dialog.close();
    }
  });

  // Give focus back to the link that opened the dialog.
  dialog.addEventListener("close", function () {
    if (opener) {
      opener.focus();
    }
  });
})();

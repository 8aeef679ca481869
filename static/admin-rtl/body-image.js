// Hand the uploaded image's URL back to the editor dialog that opened this window.
(function () {
  "use strict";
  function deliver(button) {
    var opener = window.opener;
    var func = button.dataset.bodyImageFunc;
    if (opener && opener.CKEDITOR && opener.CKEDITOR.tools && func) {
      opener.CKEDITOR.tools.callFunction(func, button.dataset.bodyImageUrl, {});
      window.close();
    }
  }
  document.addEventListener("DOMContentLoaded", function () {
    var button = document.querySelector("[data-body-image-url]");
    if (!button) return;
    button.addEventListener("click", function () { deliver(button); });
    deliver(button);
  });
})();

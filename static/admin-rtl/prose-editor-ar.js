// Arabic labels for django-prose-editor's toolbar and menus, and an RTL-aware heading menu.
// The editor translates its dialogs through Django's JavaScript catalogue (window.gettext);
// the toolbar tooltips and the heading menu are plain English in the library, so they are
// translated here, with the strings in locale/ar/LC_MESSAGES/djangojs.po.
(function () {
  "use strict";
  var gettext = window.gettext || function (s) { return s; };

  // Strings the library passes to gettext itself, listed so makemessages keeps them.
  var gettext_noop = window.gettext_noop || function (s) { return s; };
  [
    gettext_noop("Image URL"), gettext_noop("Alternative Text"), gettext_noop("Caption"), gettext_noop("Edit Figure"),
    gettext_noop("Insert Figure"), gettext_noop("Edit Image"), gettext_noop("Add caption"), gettext_noop("Remove caption"),
    gettext_noop("Browse..."), gettext_noop("Update"), gettext_noop("Insert"), gettext_noop("Cancel"), gettext_noop("URL"),
    gettext_noop("Title"), gettext_noop("Open in new window"), gettext_noop("Edit Link"), gettext_noop("List properties"),
    gettext_noop("Toggle fullscreen"), gettext_noop("Edit HTML"), gettext_noop("Prettify"),
  ];

  var labels = {
    "bold": gettext("Bold"),
    "italic": gettext("Italic"),
    "underline": gettext("Underline"),
    "strike": gettext("Strikethrough"),
    "subscript": gettext("Subscript"),
    "superscript": gettext("Superscript"),
    "unordered list": gettext("Bulleted list"),
    "ordered list": gettext("Numbered list"),
    "blockquote": gettext("Block quote"),
    "horizontal rule": gettext("Horizontal line"),
    "figure": gettext("Image"),
    "paragraph": gettext("Paragraph"),
    "Paragraph": gettext("Paragraph"),
    "heading 2": gettext("Heading 2"),
    "heading 3": gettext("Heading 3"),
    "heading 4": gettext("Heading 4"),
    "Heading 2": gettext("Heading 2"),
    "Heading 3": gettext("Heading 3"),
    "Heading 4": gettext("Heading 4"),
    "link": gettext("Link"),
    "Link": gettext("Link"),
    "unlink": gettext("Remove link"),
    "insert link": gettext("Insert link"),
    "remove link": gettext("Remove link"),
    "undo": gettext("Undo"),
    "redo": gettext("Redo"),
    "edit HTML": gettext("Edit HTML"),
  };

  function translate(root) {
    root.querySelectorAll("[title], [aria-label]").forEach(function (el) {
      ["title", "aria-label"].forEach(function (attr) {
        var value = el.getAttribute(attr);
        if (value && Object.prototype.hasOwnProperty.call(labels, value)) {
          el.setAttribute(attr, labels[value]);
        }
      });
    });
    root.querySelectorAll(".prose-menubar__option > *").forEach(function (el) {
      var text = el.textContent.trim();
      if (Object.prototype.hasOwnProperty.call(labels, text)) {
        el.textContent = labels[text];
      }
    });
  }

  // In RTL the heading menu must open towards the start side (right), not over the labels.
  function placePicker(event) {
    if (document.documentElement.dir !== "rtl") return;
    var wrapper = event.target.closest(".prose-menubar__selected");
    if (!wrapper) return;
    var picker = wrapper.parentElement.querySelector(".prose-menubar__picker");
    if (!picker) return;
    window.requestAnimationFrame(function () {
      var rect = wrapper.getBoundingClientRect();
      var left = window.scrollX + rect.right - picker.offsetWidth;
      picker.style.left = Math.max(0, left) + "px";
    });
  }

  // The editing area is a role=textbox without a name; the field's label names it.
  function nameEditingArea(container, textarea) {
    var area = container.querySelector(":scope > .ProseMirror[contenteditable]");
    var label = textarea && textarea.id && document.querySelector('label[for="' + textarea.id + '"]');
    if (!area || !label) return;
    if (!label.id) label.id = textarea.id + "-label";
    area.setAttribute("aria-labelledby", label.id);
    area.setAttribute("aria-multiline", "true");
  }

  document.addEventListener("prose-editor:ready", function (event) {
    var container = event.target.closest(".prose-editor") || event.target.parentElement;
    if (!container) return;
    translate(container);
    nameEditingArea(container, event.detail && event.detail.textarea);
    // The block-type menu clones buttons as the selection moves: translate them too.
    new MutationObserver(function () { translate(container); })
      .observe(container, { childList: true, subtree: true });
    container.addEventListener("click", placePicker);
  });
})();

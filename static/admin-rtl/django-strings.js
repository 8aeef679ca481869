// Strings of Django's own admin JavaScript (the two-list role picker, the calendar) that its
// Arabic catalogue (Django 5.2) lacks. No page loads this file: the strings are listed so that
// makemessages keeps them in locale/ar/LC_MESSAGES/djangojs.po, which the admin's JavaScript
// catalogue (admin:jsi18n) merges over Django's own.
(function () {
  "use strict";
  var gettext_noop = function (s) { return s; };
  var ngettext = function (s) { return s; };
  var pgettext = function (context, s) { return s; };
  [
    gettext_noop('Choose %s by selecting them and then select the "Choose" arrow button.'),
    gettext_noop("Choose all %s"), gettext_noop("Choose selected %s"), gettext_noop("Remove selected %s"),
    gettext_noop('Remove %s by selecting them and then select the "Remove" arrow button.'),
    gettext_noop("Type into this box to filter down the list of selected %s."),
    gettext_noop("(click to clear)"), gettext_noop("Remove all %s"),
    ngettext("%s selected option not visible", "%s selected options not visible", 2),
    gettext_noop("Sunday"), gettext_noop("Monday"), gettext_noop("Tuesday"), gettext_noop("Wednesday"),
    gettext_noop("Thursday"), gettext_noop("Friday"), gettext_noop("Saturday"),
    pgettext("abbrev. day Sunday", "Sun"), pgettext("abbrev. day Monday", "Mon"),
    pgettext("abbrev. day Tuesday", "Tue"), pgettext("abbrev. day Wednesday", "Wed"),
    pgettext("abbrev. day Thursday", "Thur"), pgettext("abbrev. day Friday", "Fri"),
    pgettext("abbrev. day Saturday", "Sat"),
  ];
}());

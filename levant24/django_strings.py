"""Strings of Django's own admin that its Arabic catalogue (Django 5.2) lacks or leaves English.

Nothing imports this module: the strings are listed here so that ``makemessages`` keeps
them in ``locale/ar/LC_MESSAGES/django.po``, whose translations take precedence over
Django's catalogue. The JavaScript side is ``static/admin-rtl/django-strings.js``.
"""

from django.utils.translation import gettext_noop, ngettext_lazy

DJANGO_AUTH_STRINGS = [
    # The user admin's password field and the add form (new in Django 5.1).
    gettext_noop("Password-based authentication"),
    gettext_noop("Enabled"),
    gettext_noop("Disabled"),
    gettext_noop(
        "Whether the user will be able to authenticate using a password or not. If disabled, "
        "they may still be able to authenticate using other backends, such as Single Sign-On "
        "or LDAP."
    ),
    gettext_noop("Raw passwords are not stored, so there is no way to see the user’s password."),
    gettext_noop("Enable password-based authentication for this user by setting a password."),
    gettext_noop("Password-based authentication was disabled."),
    gettext_noop("Reset password"),
    gettext_noop("Set password"),
    gettext_noop("Set password: %s"),
    gettext_noop("Conflicting form data submitted. Please try again."),
    # The password summary: Django's Arabic catalogue leaves these two in English.
    gettext_noop("salt"),
    gettext_noop("hash"),
]

TAGGIT_STRINGS = [
    # django-taggit's app name: its Arabic catalogue misspells it (أوْسِمه).
    gettext_noop("Taggit"),
]

# Durations (``timesince``) that Django's catalogue writes with a numeral before the dual or
# the singular ("2 دقيقتين", "1 دقيقة"); Arabic says دقيقتان and دقيقة واحدة.
DJANGO_DURATION_STRINGS = [
    ngettext_lazy("%(num)d year", "%(num)d years", "num"),
    ngettext_lazy("%(num)d month", "%(num)d months", "num"),
    ngettext_lazy("%(num)d week", "%(num)d weeks", "num"),
    ngettext_lazy("%(num)d day", "%(num)d days", "num"),
    ngettext_lazy("%(num)d hour", "%(num)d hours", "num"),
    ngettext_lazy("%(num)d minute", "%(num)d minutes", "num"),
]

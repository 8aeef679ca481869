"""Arabic month names as the site setting asks: Levantine (كانون الثاني), Egyptian (يناير) or
both ("كانون الثاني/يناير", as many Arabic newsrooms print them).

Django formats a month name ("F", "E", "N", "b" in a date format) from the month tables
of ``django.utils.dates``; :func:`install` puts lazy names in those tables that follow the
setting whenever Arabic is active, so every date with a month name follows it: public
dates, the admin's date drill-down and the admin calendar (through
:func:`javascript_names`)."""

from __future__ import annotations

from django.utils import dates, translation
from django.utils.functional import lazy

LEVANTINE = (
    "كانون الثاني",
    "شباط",
    "آذار",
    "نيسان",
    "أيار",
    "حزيران",
    "تموز",
    "آب",
    "أيلول",
    "تشرين الأول",
    "تشرين الثاني",
    "كانون الأول",
)
EGYPTIAN = (
    "يناير",
    "فبراير",
    "مارس",
    "أبريل",
    "مايو",
    "يونيو",
    "يوليو",
    "أغسطس",
    "سبتمبر",
    "أكتوبر",
    "نوفمبر",
    "ديسمبر",
)
ENGLISH = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)


def month_name(month: int, style: str | None = None) -> str:
    """The Arabic name of ``month`` (1-12) in ``style`` (the site setting when None)."""
    if style is None:
        from .selectors import site_settings

        style = site_settings().month_names
    levantine, egyptian = LEVANTINE[month - 1], EGYPTIAN[month - 1]
    if style == "egyptian":
        return egyptian
    if style == "both":
        return f"{levantine}/{egyptian}"
    return levantine


def _name_or_django(month: int, original) -> str:
    if (translation.get_language() or "").startswith("ar"):
        return month_name(month)
    return str(original)


_lazy_name = lazy(_name_or_django, str)


def install() -> None:
    """Called once from ``ArticlesConfig.ready``."""
    # Full names ("F", "E", "N"); the three-letter table also serves parsing and is left alone.
    for table in (dates.MONTHS, dates.MONTHS_ALT, dates.MONTHS_AP):
        for month, original in list(table.items()):
            table[month] = _lazy_name(month, original)


def javascript_names() -> dict[str, str]:
    """Entries of the admin's JavaScript catalogue for the calendar widget."""
    names = {}
    for month, english in enumerate(ENGLISH, start=1):
        name = month_name(month)
        names[english] = name
        names[f"abbrev. month {english}\x04{english[:3]}"] = name
    return names

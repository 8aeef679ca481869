"""Checks on what people type as their name."""

import unicodedata

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

# Characters Unicode files as letters that show nothing (the Hangul fillers) or only a
# stretch of line (the Arabic tatweel).
_BLANK_LETTERS = frozenset("\u115f\u1160\u3164\uffa0\u0640")


def has_visible_letter(value: str) -> bool:
    """True when ``value`` has at least one letter or digit (any script).

    Spaces, joiners, direction marks, combining marks and other format characters show
    nothing by themselves: a name made only of them would look empty or be a blank impostor.
    """
    return any(
        unicodedata.category(char)[0] in "LN" and char not in _BLANK_LETTERS for char in value
    )


def validate_visible_name(value: str) -> None:
    if not has_visible_letter(value):
        raise ValidationError(
            _("The name must contain at least one letter."), code="invisible_name"
        )

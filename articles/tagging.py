"""Tags as journalists type them: separated by Arabic or Latin commas and semicolons.

taggit's own parser knows only the Latin comma and, without one, splits on spaces, so
"دمشق، معارض" became the tags "دمشق،" and "معارض". Here a tag may hold spaces
("حلب القديمة") and every separator an Arabic keyboard offers ends a tag.
"""

import re

# Arabic comma, Latin comma, Arabic semicolon, Latin semicolon.
SEPARATORS = "،,؛;"
_SPLIT = re.compile(f"[{SEPARATORS}]")
# Quotes that taggit's format allowed around a tag; they are never part of a name.
_STRIP = f" \t\r\n\"'{SEPARATORS}"


def clean_tag(name: str) -> str:
    """One tag's name without stray separators, quotes or runs of spaces."""
    return " ".join(name.strip(_STRIP).split())


def parse_tags(text: str) -> list[str]:
    """The distinct tags in ``text``, sorted (taggit's contract for TAGGIT_TAGS_FROM_STRING)."""
    if not text:
        return []
    names = {clean_tag(part) for part in _SPLIT.split(text)}
    names.discard("")
    return sorted(names)


def edit_string_for_tags(tags) -> str:
    """The tags as the form shows them, joined with the Arabic comma."""
    return "، ".join(sorted(tag.name for tag in tags))

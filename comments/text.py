"""Plain-text handling for reader comments: cleaning on the way in and Arabic word matching.

Banned words are matched with the same Arabic folding as search (`articles.search`).
"""

import re
from collections.abc import Iterable

from articles.search import normalize_arabic as fold_arabic

# Direction overrides/embeddings (U+202A-U+202E) and isolates (U+2066-U+2069) let a reader
# flip how text around their comment is shown; the joiners U+200C/U+200D are needed by Arabic
# and Persian spelling and are kept.
BIDI_CONTROLS = re.compile("[\u202a-\u202e\u2066-\u2069]")

JOINERS = re.compile("[\u200c\u200d]")

WORD = re.compile(r"\w+")

# Letters that attach to the front of a word: a conjunction (و, ف), then a preposition
# (ب, ل), then the article (ال). ل followed by ال is written لل.
_CONJUNCTIONS = ("", "و", "ف")
_PREPOSITIONS = ("", "ب", "ل")
PREFIXES = tuple(
    sorted(
        {c + p + a for c in _CONJUNCTIONS for p in _PREPOSITIONS for a in ("", "ال")}
        - {""}
        - {c + "لال" for c in _CONJUNCTIONS}
        | {c + "لل" for c in _CONJUNCTIONS},
        key=len,
    )
)

LINK = re.compile(r"(?:https?://|www\.)\S+", re.IGNORECASE)


def strip_bidi_controls(value: str) -> str:
    return BIDI_CONTROLS.sub("", value)


def normalize_arabic(value: str) -> str:
    """Fold the spellings of one Arabic word to one form (and case-fold other scripts).

    Joiners only shape letters, so they are dropped before matching too.
    """
    return fold_arabic(JOINERS.sub("", value)).casefold()


def words(value: str) -> list[str]:
    return WORD.findall(normalize_arabic(strip_bidi_controls(value)))


def word_forms(word: str) -> set[str]:
    """Every way ``word`` (already normalized) can appear with attached prefixes."""
    forms = {word} | {prefix + word for prefix in PREFIXES}
    if word.startswith("ال") and len(word) > 2:
        # الكتاب -> للكتاب, وللكتاب
        forms |= {c + "لل" + word[2:] for c in _CONJUNCTIONS}
    return forms


def find_words(text: str, phrases: Iterable[str]) -> list[str]:
    """The entries of ``phrases`` that occur in ``text`` as whole words.

    Both sides are normalized first. A phrase of several words matches consecutive words;
    only its first word may carry a prefix.
    """
    tokens = words(text)
    found = []
    for phrase in phrases:
        target = words(phrase)
        if not target:
            continue
        first_forms = word_forms(target[0])
        rest = target[1:]
        for i, token in enumerate(tokens):
            if token in first_forms and tokens[i + 1 : i + 1 + len(rest)] == rest:
                found.append(phrase)
                break
    return found


def count_links(text: str) -> int:
    return len(LINK.findall(text))

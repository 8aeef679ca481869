"""Plain-text handling for reader comments: cleaning on the way in and the word filter.

The filter reads words with the site's Arabic analyzer (``articles.analyzer``), so a banned
word is caught in every spelling and form that search would treat as the same word, and
then goes further, because a commenter who wants a word through disguises it on purpose:

* invisible and format characters (ZWSP, ZWJ/ZWNJ, LRM/RLM, the Arabic letter mark,
  soft hyphen, word joiner, BOM) are removed, and NFKC turns presentation forms
  (ﺣﻤﺎﺭ) and full-width letters into ordinary ones (the analyzer's normalizer);
* look-alike letters of other scripts (Persian ی ک, dotless Arabic letters, Cyrillic and
  Greek letters shaped like Latin ones, digits used as Latin letters) are mapped to the
  letter they imitate;
* a letter repeated (حمااار) is read once as well as as typed;
* letters spaced or dotted apart (ح م ا ر، ح.م.ا.ر) are joined;
* the vocative يا glued to a word, a feminine ending (ة), dual and plural endings on short
  words and the broken-plural lexicon are undone, beyond what search does.

An innocent word (``InnocentWord``: بكس, كسوة …) that contains a banned one after that
reading is never caught; moderators keep that list in the admin.
"""

import re
from collections.abc import Iterable
from dataclasses import dataclass

from articles import analyzer

# Direction overrides/embeddings (U+202A-U+202E) and isolates (U+2066-U+2069) let a reader
# flip how text around their comment is shown; the joiners U+200C/U+200D are needed by Arabic
# and Persian spelling and are kept in the stored text (the filter ignores them).
BIDI_CONTROLS = re.compile("[\u202a-\u202e\u2066-\u2069]")

LINK = re.compile(r"(?:https?://|www\.)\S+", re.IGNORECASE)

# Letters that imitate others. Keys are compared after case folding.
CONFUSABLES = str.maketrans(
    {
        # Dotless and regional Arabic letters.
        "\u066e": "ب",
        "\u066f": "ق",
        "\u06a1": "ف",
        "\u06ba": "ن",
        "\u06bb": "ن",
        "\u06d2": "ي",
        "\u06cd": "ي",
        "\u06ce": "ي",
        # Cyrillic letters shaped like Latin ones.
        "а": "a",
        "в": "b",
        "е": "e",
        "ё": "e",
        "к": "k",
        "м": "m",
        "н": "h",
        "о": "o",
        "р": "p",
        "с": "c",
        "т": "t",
        "у": "y",
        "х": "x",
        "і": "i",
        "ї": "i",
        "ј": "j",
        "ѕ": "s",
        "һ": "h",
        "ԁ": "d",
        "ӏ": "l",
        "ɡ": "g",
        # Greek.
        "α": "a",
        "β": "b",
        "ε": "e",
        "ι": "i",
        "κ": "k",
        "ν": "v",
        "ο": "o",
        "ρ": "p",
        "τ": "t",
        "υ": "u",
        "χ": "x",
    }
)
# Digits and signs written for Latin letters (1d10t), used only inside Latin words.
LEET = str.maketrans(
    {"0": "o", "1": "i", "3": "e", "4": "a", "5": "s", "7": "t", "@": "a", "$": "s"}
)
_LEET_WORD = re.compile(r"[a-z0-9@$]*[a-z][a-z0-9@$]*")
_REPEATS = re.compile(r"(\w)\1+")


def strip_bidi_controls(value: str) -> str:
    return BIDI_CONTROLS.sub("", value)


def normalize_arabic(value: str) -> str:
    """One form for every spelling of a text, as the filter compares it."""
    folded = analyzer.fold(value).translate(CONFUSABLES)
    return _LEET_WORD.sub(lambda m: m.group().translate(LEET), folded)


def _tokens(text: str) -> list[str]:
    """Folded words, with runs of single letters (ح م ا ر) joined into one more word."""
    words = analyzer.WORD_RE.findall(normalize_arabic(text))
    out: list[str] = []
    run: list[str] = []
    for word in [*words, ""]:
        if len(word) == 1 and not word.isdigit():
            run.append(word)
            continue
        if len(run) >= 2:
            out.append("".join(run))
        out.extend(run if len(run) < 2 else [])
        run = []
        if word:
            out.append(word)
    return out


def _extra_stems(stem: str) -> set[str]:
    """Endings the filter undoes beyond search: ة on any word (كلبة), the dual and plural
    endings on short words (حمارين), which search keeps because names end that way, and a
    pronoun on a two-letter word."""
    stems = {stem}
    if stem.endswith("ه") and len(stem) >= 4:
        stems.add(stem[:-1])
    for suffix in ("ين", "ان", "ون", "ات"):
        if stem.endswith(suffix) and len(stem) - 2 >= 3:
            stems.add(stem[:-2])
    for suffix in ("ها", "هم", "هن", "كم", "نا"):
        if stem.endswith(suffix) and len(stem) - 2 >= 2:
            stems.add(stem[:-2])
    return stems


def _read(word: str) -> list[tuple[str, set[str]]]:
    """(form, stems) for each reading of one token, the word as typed first."""
    variants = [word, _REPEATS.sub(r"\1", word)]
    for variant in list(variants):
        if variant.startswith("يا") and len(variant) >= 5:
            variants.append(variant[2:])
    out = []
    for variant in dict.fromkeys(variants):
        readings = analyzer.readings(variant)
        # Search keeps three letters after a clitic; a filter must also see a two-letter
        # banned word behind one (بكس is ب + كس unless the innocent list says otherwise).
        readings += [
            (form[1:], frozenset({form[1:]}))
            for form, _stems in readings
            if len(form) == 3 and form[0] in "وفبلك"
        ]
        for form, stems in readings:
            expanded: set[str] = set()
            for stem in stems:
                expanded |= _extra_stems(stem)
            lexicon = analyzer.plural_lexicon()
            expanded |= {lexicon[s] for s in expanded if s in lexicon}
            out.append((form, expanded))
    return out


def _stems(word: str) -> set[str]:
    return set().union(*(stems for _form, stems in _read(word)))


def _phrase(value: str) -> list[set[str]]:
    """The stems of each word of a banned phrase."""
    return [stems for stems in map(_stems, _tokens(value)) if stems]


def _innocent_index(innocent: Iterable[str]) -> tuple[set[str], set[str]]:
    """The innocent words as typed (minus an article) and their own stems."""
    forms: set[str] = set()
    stems: set[str] = set()
    for word in innocent:
        for token in _tokens(word):
            readings = _read(token)
            if readings:
                form, own = readings[0]
                forms |= {token, form}
                stems |= own
    return forms, stems


def find_words(text: str, phrases: Iterable[str], innocent: Iterable[str] = ()) -> list[str]:
    """The entries of ``phrases`` that occur in ``text``, read as the module says.

    A phrase of several words matches consecutive words. A word of ``text`` that is, or
    carries, one of the ``innocent`` words is never part of a match.
    """
    innocent_forms, innocent_stems = _innocent_index(innocent)
    words = []
    for token in _tokens(text):
        readings = _read(token)
        if not readings:
            continue  # a stop word
        if any(form in innocent_forms or stems & innocent_stems for form, stems in readings):
            words.append(set())  # innocent: matches nothing
        else:
            words.append(set().union(*(stems for _form, stems in readings)))
    found = []
    for phrase in phrases:
        target = _phrase(phrase)
        if not target:
            continue
        n = len(target)
        for i in range(len(words) - n + 1):
            if all(words[i + j] & target[j] for j in range(n)):
                found.append(phrase)
                break
    return found


@dataclass(frozen=True)
class WordCheck:
    """What the filter makes of a sentence: for the moderators' test tool."""

    matched: list[str]
    spared: list[str]  # words of the text that an innocent word protected


def check_sentence(text: str, phrases: Iterable[str], innocent: Iterable[str]) -> WordCheck:
    phrases, innocent = list(phrases), list(innocent)
    matched = find_words(text, phrases, innocent)
    would_match = set(find_words(text, phrases)) - set(matched)
    spared = [
        word
        for word in analyzer.WORD_RE.findall(normalize_arabic(text))
        if find_words(word, would_match) and not find_words(word, would_match, innocent)
    ]
    return WordCheck(matched=matched, spared=spared)


def count_links(text: str) -> int:
    return len(LINK.findall(text))

"""The one Arabic analyzer: text in, search terms out.

Everything that compares Arabic words goes through here: the search index and the
query (``articles.search``), highlighting, the SQLite fallback, the admin's own search,
tag and section names, and the comment word filter (``comments.text``). Two spellings
meet only if this module says so, and it says so the same way everywhere.

A word becomes a small *set* of terms, all at the same position: the word as written and,
where a clitic may have been attached, the word without it (بحلب gives بحلب and حلب).
A query word matches a document word when their sets share a term.

How the rules compare with the two well-known Arabic analyzers
-------------------------------------------------------------------
* Lucene's ArabicNormalizer removes tatweel and harakat and folds the alef-hamza forms to a
  bare alef, alef maqsura to ya and taa marbuta to ha. We do the same, and more: hamza on a
  waw or ya seat and the bare hamza are one letter here (Lucene leaves ؤ and ئ alone, so
  مسؤول and مسئول never meet there); presentation forms, Persian letters, invisible format
  characters and Eastern digits are folded too. Unlike Lucene we compare stop words before
  alef maqsura is folded, because على (on) and علي (a name) must not meet.
* Lucene's ArabicStemmer removes one prefix from a fixed list (ال وال بال كال فال لل و) and
  then any number of suffixes from a list (ها ان ات ون ين يه ية ه ة ي), keeping at least
  two letters. That makes unrelated words meet (لبنان loses ان and becomes لبن, milk). We
  remove fewer endings, demand a longer remainder for the endings that often belong to
  names (ان ين ون), never remove a final ة/ه or ي, and keep a list of words that are never
  cut. A single-letter clitic is not removed but *added* as a second term, so بوتين is
  still indexed as بوتين.
* ISRI (Taghva et al.) goes further, to a three- or four-letter root through pattern
  matching. Roots join words of different meaning (كتاب، مكتب، كاتب), which is what we
  must avoid, so we stop at the light stem and reach broken plurals (أطفال → طفل) through a
  lexicon in ``articles/data/broken_plurals.txt`` instead.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from pathlib import Path

DATA = Path(__file__).resolve().parent / "data"

# --- normalization ---------------------------------------------------------------

# Harakat, Quranic annotation marks and the superscript alef: readers type them or not.
_MARKS = re.compile("[\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06ed]")
# Tatweel only stretches a word on screen.
_TATWEEL = "\u0640"

_FOLD = str.maketrans(
    {
        # Alef with hamza above/below, madda, wasla: readers mostly write a bare alef.
        "أ": "ا",
        "إ": "ا",
        "آ": "ا",
        "ٱ": "ا",
        # Hamza on a waw or ya seat and on the line are one letter, so that مسؤول, مسئول
        # and لاجئ/لاجىء spellings meet (the seat depends on vowels readers do not write).
        "ؤ": "ء",
        "ئ": "ء",
        # Taa marbuta is often typed as ha (مدرسه).
        "ة": "ه",
        # Persian and Urdu keyboards give look-alike letters.
        "\u06cc": "ي",  # Farsi yeh
        "\u06d0": "ي",
        "\u06a9": "ك",  # keheh
        "\u06aa": "ك",
        "\u06c1": "ه",  # heh goal
        "\u06d5": "ه",  # ae
        "\u06be": "ه",  # heh doachashmee
        "\u06c0": "ه",
        "\u06c2": "ه",
        "\u06c3": "ه",
        # Eastern (Arabic-Indic) and Persian digits equal Western ones.
        **{chr(0x0660 + i): str(i) for i in range(10)},
        **{chr(0x06F0 + i): str(i) for i in range(10)},
    }
)
_YA_HAMZA = re.compile("[يى]ء")
# Alef maqsura is folded after the stop-word check (على must stay a stop word, علي not).
_MAQSURA = str.maketrans({"ى": "ي"})

WORD_RE = re.compile(r"[^\W_]+")


def _is_invisible(char: str) -> bool:
    # Format characters (ZWSP, ZWJ/ZWNJ, LRM/RLM, ALM U+061C, soft hyphen, word joiner, BOM,
    # bidi controls) change nothing a reader sees inside a word; a filter must ignore them.
    return unicodedata.category(char) == "Cf"


@functools.lru_cache(maxsize=4096)
def _invisible_table(chars: str) -> dict:
    return {ord(c): None for c in chars}


def strip_invisible(text: str) -> str:
    found = "".join(sorted({c for c in text if _is_invisible(c)}))
    return text.translate(_invisible_table(found)) if found else text


def fold(text: str) -> str:
    """Spelling folded, alef maqsura kept: NFKC (presentation forms such as ﺣﻤﺎﺭ become
    ordinary letters), invisible characters removed, marks and tatweel removed, the rules
    of ``_FOLD`` applied, other scripts case-folded."""
    if not text:
        return ""
    text = unicodedata.normalize("NFKC", text)
    text = strip_invisible(text)
    text = _MARKS.sub("", text).replace(_TATWEEL, "")
    # A hamza typed after a ya or a dotless ya (لاجيء، لاجىء) is the hamza on a ya seat.
    return _YA_HAMZA.sub("ء", text.translate(_FOLD)).casefold()


def normalize(text: str) -> str:
    """:func:`fold`, then alef maqsura as ya: the form words are compared in."""
    return fold(text).translate(_MAQSURA)


def folded_words(text: str) -> list[str]:
    return WORD_RE.findall(fold(text))


# --- word lists ------------------------------------------------------------------


def _lines(name: str):
    for line in (DATA / name).read_text(encoding="utf-8").splitlines():
        line = line.strip()
        if line and not line.startswith("#"):
            yield line


@functools.cache
def stop_words() -> frozenset[str]:
    """Folded, alef maqsura kept."""
    return frozenset(fold(word) for word in _lines("stopwords.txt"))


@functools.cache
def keep_whole() -> frozenset[str]:
    return frozenset(normalize(word) for word in _lines("keep_whole.txt"))


@functools.cache
def plural_lexicon() -> dict[str, str]:
    """Normalized broken plural -> normalized singular."""
    lexicon = {}
    for line in _lines("broken_plurals.txt"):
        singular, _sep, plurals = line.partition(":")
        for plural in plurals.split():
            lexicon[normalize(plural)] = normalize(singular.strip())
    return lexicon


def is_stop_word(folded_word: str) -> bool:
    return folded_word in stop_words()


# --- stemming ------------------------------------------------------------------

# The definite article and the clitics that may stand before it. لل is ل + ال.
_ARTICLE_PREFIXES = (
    "وبال",
    "وكال",
    "فبال",
    "فكال",
    "وال",
    "فال",
    "بال",
    "كال",
    "ولل",
    "فلل",
    "لل",
    "ال",
)
_CONJUNCTIONS = "وف"
_PREPOSITIONS = "بلك"
# Pronoun suffixes (their, our, your): removed when three letters remain.
_PRONOUN_SUFFIXES = ("هما", "هم", "هن", "ها", "كم", "كن", "نا")
# Sound plural and dual endings. ون ين ان end many names and words (قانون، فلسطين، لبنان،
# طهران), so four letters must remain; ات (feminine plural) needs three.
_LONG_SUFFIXES = ("ون", "ين", "ان")
_MIN_STEM = 3
_MIN_LONG_STEM = 4


def _kept(word: str) -> bool:
    return word in keep_whole()


def _nisba(word: str) -> str:
    """سوريه/سوريا → سوري: the feminine and country forms of an adjective in ي."""
    if len(word) >= 5 and word.endswith(("يه", "يا")):
        return word[:-1]
    return word


def _singulars(word: str) -> set[str]:
    """The singular stems of a word with no prefix."""
    lexicon = plural_lexicon()
    if word in lexicon:
        return {_nisba(lexicon[word])}
    if _kept(word):
        return {word}
    if word.endswith("ات") and len(word) - 2 >= _MIN_STEM:
        base = word[:-2]
        # حكومات → حكومه (a singular in ة) and انتخابات → انتخاب (a singular without one).
        return {_nisba(base), base + "ه"}
    for suffix in _LONG_SUFFIXES:
        if word.endswith(suffix) and len(word) - 2 >= _MIN_LONG_STEM:
            return {_nisba(word[:-2])}
    return {_nisba(word)}


def _stems_without_prefix(word: str) -> set[str]:
    stems = _stems_without_tanween(word)
    if word.endswith("ا") and len(word) >= 4 and not _kept(word) and word not in plural_lexicon():
        # The indefinite accusative is written with a final alef (وفدا، رقما، أشهرا):
        # the word without it is a second reading.
        stems |= _stems_without_tanween(word[:-1])
    return stems


def _stems_without_tanween(word: str) -> set[str]:
    if word in plural_lexicon() or _kept(word):
        return _singulars(word)
    for suffix in _PRONOUN_SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= _MIN_STEM:
            base = word[: -len(suffix)]
            bases = {base}
            if base.endswith("ت"):
                # Taa marbuta is written ت before a suffix: حكومتها → حكومه.
                bases.add(base[:-1] + "ه")
            return set().union(*(_singulars(b) for b in bases))
    return _singulars(word)


def _prefix_forms(word: str) -> list[str]:
    """The word and the forms it may have had before clitics were attached."""
    if _kept(word):
        return [word]
    for prefix in _ARTICLE_PREFIXES:
        # The article may leave two letters (الحي → حي); the clitics alone may not.
        if word.startswith(prefix) and len(word) - len(prefix) >= 2:
            rest = word[len(prefix) :]
            if prefix.endswith("لل"):
                # ل + ال before a word that itself starts with ل drops a lam: للجنة is
                # ل + اللجنة. The kept-words list says which reading is a word.
                with_lam = "ل" + rest
                if _kept(with_lam):
                    return [with_lam]
                return [rest, with_lam]
            return [rest]
    forms = [word]
    current = word
    for letters in (_CONJUNCTIONS, _PREPOSITIONS):
        if current[:1] in letters and len(current) - 1 >= _MIN_STEM and not _kept(current):
            current = current[1:]
            forms.append(current)
            if _kept(current):
                break
    return forms


def readings(folded_word: str) -> list[tuple[str, frozenset[str]]]:
    """Each way to read a folded word: (the word without some clitics, its stems). The
    word filter needs them apart to tell an innocent word (بكس) from a banned one inside
    it (كس)."""
    if not folded_word or is_stop_word(folded_word):
        return []
    word = folded_word.translate(_MAQSURA)
    return [(form, frozenset(_stems_without_prefix(form))) for form in _prefix_forms(word)]


@functools.lru_cache(maxsize=50_000)
def word_terms(folded_word: str) -> frozenset[str]:
    """The index terms of one folded word (alef maqsura not yet folded); empty for a
    stop word. A news vocabulary repeats, hence the cache."""
    if not folded_word or is_stop_word(folded_word):
        return frozenset()
    word = folded_word.translate(_MAQSURA)
    if word.isdigit() or not word.isalpha():
        return frozenset({word})
    terms: set[str] = set()
    for form in _prefix_forms(word):
        terms |= _stems_without_prefix(form)
    return frozenset(terms)


def text_terms(text: str) -> list[frozenset[str]]:
    """The term sets of the words of ``text`` in order, stop words left out."""
    return [terms for terms in map(word_terms, folded_words(text)) if terms]


def terms_match(a: frozenset[str], b: frozenset[str]) -> bool:
    return not a.isdisjoint(b)

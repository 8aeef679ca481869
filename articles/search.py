"""Arabic search: normalization, a light stemmer, the stored search document and queries.

Readers type Arabic with or without hamza, diacritics, tatweel or a final taa
marbuta. The same :func:`normalize_arabic` and :func:`stem` run over the indexed
text (when an article is saved) and over the query, so both sides agree.

The search document is plain text kept on the article, one line per weighted
field (title, lead, body), each line a run of space-separated stems. On
PostgreSQL a stored ``tsvector`` is built from those lines with the ``arabic``
configuration and a GIN index answers the query; elsewhere (SQLite, ``make
run``) the same stems are matched as whole tokens in the text column.
"""

from __future__ import annotations

import functools
import html
import re
from dataclasses import dataclass

from django.db import connection, connections, transaction
from django.db.models import F, Func, TextField, Value
from django.utils.safestring import SafeString, mark_safe

from .sanitize import clean_html

SEARCH_CONFIG = "arabic"
MAX_QUERY_LENGTH = 200
# Ranking sorts only the newest matches: sorting every match of a very common
# word by rank is what made search slow on a large archive.
RANK_WINDOW = 500

_DIACRITICS = re.compile("[\u064b-\u065f\u0670\u0640]")
_FOLD = str.maketrans(
    {
        "أ": "ا",
        "إ": "ا",
        "آ": "ا",
        "ٱ": "ا",
        "ى": "ي",
        "ة": "ه",
        "ؤ": "و",
        "ئ": "ي",
    }
)
# A word of normalized text: letters and digits.
WORD_RE = re.compile(r"[^\W_]+")

# Prefixes that carry the definite article: stripping them is safe.
_ARTICLE_PREFIXES = ("وبال", "وال", "فال", "بال", "كال", "لل", "ال")
# Single-letter conjunctions and prepositions. Stripping them blindly would turn
# بوتين into وتين, so the document holds both forms and the query keeps its own.
_CLITICS = ("و", "ف", "ب", "ل")
_MIN_STEM = 3


def normalize_arabic(text: str) -> str:
    """Fold the spelling variants that readers mix up; lower-case Latin letters.

    Removes diacritics (U+064B-U+065F, U+0670) and tatweel; folds أ إ آ ٱ to ا,
    ى to ي, ة to ه, ؤ to و and ئ to ي.
    """
    if not text:
        return ""
    return _DIACRITICS.sub("", text).translate(_FOLD).lower()


def words(text: str) -> list[str]:
    """The normalized words of ``text``, punctuation dropped."""
    normalized = normalize_arabic(text)
    return [w for w in WORD_RE.findall(normalized) if w.strip()]


def stem(word: str) -> str:
    """A light stem of one normalized word: definite-article prefixes and a few endings.

    سوريا, سورية, السوري and والسورية all become سوري; a plural in ات and a final
    taa marbuta (ه after folding) are dropped. Never shorter than three letters.
    """
    for prefix in _ARTICLE_PREFIXES:
        if word.startswith(prefix) and len(word) - len(prefix) >= _MIN_STEM:
            word = word[len(prefix) :]
            break
    if len(word) >= 5 and word.endswith("يه"):
        return word[:-1]
    if len(word) >= 5 and word.endswith("يا"):
        return word[:-1]
    if len(word) >= 5 and word.endswith("ات"):
        return word[:-2]
    if len(word) > _MIN_STEM and word.endswith("ه"):
        return word[:-1]
    return word


def stem_variants(word: str) -> list[str]:
    """The stems indexed for one normalized word: itself and, if it starts with a
    single-letter clitic, the stem of the rest (وسوريا is indexed as وسوري and سوري)."""
    variants = [stem(word)]
    if word[:1] in _CLITICS and len(word) - 1 >= _MIN_STEM:
        rest = stem(word[1:])
        if rest not in variants:
            variants.append(rest)
    return variants


def _field_line(text: str) -> str:
    tokens: list[str] = []
    for word in words(text):
        tokens.extend(stem_variants(word))
    return " ".join(tokens)


# Tags of sanitised HTML; a quoted attribute value may hold a ">".
_TAG_RE = re.compile(r"""<(?:[^>"']|"[^"]*"|'[^']*')*>""")
_BLOCK_TAGS = frozenset(
    [
        "p",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "li",
        "ul",
        "ol",
        "blockquote",
        "figure",
        "figcaption",
        "div",
        "br",
        "hr",
        "table",
        "tr",
        "td",
        "th",
    ]
)
_TAG_NAME_RE = re.compile(r"</?([a-zA-Z0-9]+)")


def _tag_gap(match: re.Match) -> str:
    name = _TAG_NAME_RE.match(match.group())
    return " " if name and name.group(1).lower() in _BLOCK_TAGS else ""


def plain_text(html_text: str) -> str:
    """Visible text of sanitised HTML (an article body): tags dropped, entities decoded.

    A block boundary becomes a space, so the last word of a paragraph and the first word
    of the next stay two words, in the search document and in result snippets.
    """
    return html.unescape(_TAG_RE.sub(_tag_gap, html_text or ""))


def build_search_document(*, title: str, lead: str, body_html: str) -> str:
    """Three lines of stems (title, lead, body), each padded with spaces so that a
    token can be matched as `` stem ``."""
    body = plain_text(clean_html(body_html or ""))
    lines = (_field_line(title), _field_line(lead), _field_line(body))
    return "\n".join(f" {line} " for line in lines)


class _SplitPart(Func):
    function = "split_part"
    output_field = TextField()


def search_vector_expression():
    """The weighted ``tsvector`` of the stored document (PostgreSQL only)."""
    from django.contrib.postgres.search import SearchVector

    def part(n):
        return _SplitPart(F("search_document"), Value("\n"), Value(n))

    return (
        SearchVector(part(1), config=SEARCH_CONFIG, weight="A")
        + SearchVector(part(2), config=SEARCH_CONFIG, weight="B")
        + SearchVector(part(3), config=SEARCH_CONFIG, weight="C")
    )


def uses_postgres(using: str | None = None) -> bool:
    return (connections[using] if using else connection).vendor == "postgresql"


# --- Queries -------------------------------------------------------------------


@dataclass(frozen=True)
class ParsedQuery:
    text: str
    terms: tuple[str, ...]  # one stem per query word, in order, without duplicates
    error: str = ""  # "empty", "too_long" or "no_words"

    @property
    def ok(self) -> bool:
        return not self.error and bool(self.terms)


def parse_query(raw: str | None) -> ParsedQuery:
    text = (raw or "").strip()
    if not text:
        return ParsedQuery(text="", terms=(), error="empty")
    if len(text) > MAX_QUERY_LENGTH:
        return ParsedQuery(text=text, terms=(), error="too_long")
    terms: list[str] = []
    for word in words(text):
        term = stem(word)
        if term not in terms:
            terms.append(term)
    if not terms:
        return ParsedQuery(text=text, terms=(), error="no_words")
    return ParsedQuery(text=text, terms=tuple(terms[:20]))


def _rank_in_python(document: str, terms) -> float:
    lines = (document or "").split("\n")
    lines += [""] * (3 - len(lines))
    weights = (1.0, 0.4, 0.2)
    score = 0.0
    for term in terms:
        needle = f" {term} "
        for weight, line in zip(weights, lines, strict=False):
            count = line.count(needle)
            # Repeats count less and less, as ts_rank does.
            score += weight * sum(1 / (n * n) for n in range(1, min(count, 5) + 1))
    return score


# Found by trying: بوتن reaches بوتين only once the threshold is this low.
TRIGRAM_THRESHOLD = 0.45
TRIGRAM_LIMIT = 50


def _similar_title_ids(queryset, query: ParsedQuery) -> list[int]:
    """Near-miss spellings (PostgreSQL only): titles whose stems look like the query,
    through the trigram index on the title line. Used when full-text search finds nothing."""
    from django.contrib.postgres.search import TrigramWordSimilarity

    text = " ".join(query.terms)
    title_line = _SplitPart(F("search_document"), Value("\n"), Value(1))
    with transaction.atomic(using=queryset.db):
        with connections[queryset.db].cursor() as cursor:
            cursor.execute(
                "SET LOCAL pg_trgm.word_similarity_threshold = %s", [str(TRIGRAM_THRESHOLD)]
            )
        # As with ranking: similarity is computed for the newest candidates only.
        newest = (
            queryset.alias(title_line=title_line)
            .filter(title_line__trigram_word_similar=text)
            .order_by("-published_at", "-id")
            .values("pk")[:RANK_WINDOW]
        )
        return list(
            queryset.model.objects.filter(pk__in=newest)
            .annotate(similarity=TrigramWordSimilarity(text, title_line))
            .order_by("-similarity", "-published_at", "-id")
            .values_list("pk", flat=True)[:TRIGRAM_LIMIT]
        )


def ranked_article_ids(queryset, query: ParsedQuery, *, fuzzy: bool = True) -> list[int]:
    """Ids of the articles in ``queryset`` that contain every query term, best first.

    Only the newest :data:`RANK_WINDOW` matches are ranked. One query; on PostgreSQL,
    when nothing matches and ``fuzzy`` is true, titles with a similar spelling.
    """
    if not query.ok:
        return []
    if uses_postgres(queryset.db):
        from django.contrib.postgres.search import SearchQuery, SearchRank

        search_query = None
        for term in query.terms:
            part = SearchQuery(term, config=SEARCH_CONFIG, search_type="plain")
            search_query = part if search_query is None else search_query & part
        newest = (
            queryset.filter(search_vector=search_query)
            .order_by("-published_at", "-id")
            .values("pk")[:RANK_WINDOW]
        )
        ids = list(
            queryset.model.objects.filter(pk__in=newest)
            .annotate(rank=SearchRank(F("search_vector"), search_query))
            .order_by("-rank", "-published_at", "-id")
            .values_list("pk", flat=True)
        )
        if ids or not fuzzy:
            return ids
        return _similar_title_ids(queryset, query)
    matches = queryset
    for term in query.terms:
        matches = matches.filter(search_document__contains=f" {term} ")
    rows = list(
        matches.order_by("-published_at", "-id").values_list(
            "pk", "published_at", "search_document"
        )[:RANK_WINDOW]
    )
    # Stable sort: equal ranks keep newest first.
    rows.sort(key=lambda row: _rank_in_python(row[2], query.terms), reverse=True)
    return [row[0] for row in rows]


# --- Highlighting --------------------------------------------------------------

# A word of raw text, with the diacritics that may sit inside or after it.
_SPLIT_RE = re.compile(r"([^\W_]+(?:[\u064b-\u065f\u0670]+[^\W_]*)*)")


@functools.lru_cache(maxsize=20_000)
def _word_stems(word: str) -> frozenset[str]:
    # A news vocabulary repeats from one article to the next: each word of a result page
    # is usually normalised and stemmed already (a few MB at most per process).
    normalized = normalize_arabic(word)
    return frozenset(stem_variants(normalized)) if normalized else frozenset()


def _is_match(word: str, terms) -> bool:
    return not _word_stems(word).isdisjoint(terms)


def highlight(text: str, terms) -> SafeString:
    """``text`` escaped, with every word that matches a query term wrapped in ``<mark>``."""
    terms = set(terms)
    out = []
    plain: list[str] = []  # text between matches, escaped in one go
    seen: dict[str, bool] = {}  # words repeat: each is stemmed once
    for i, chunk in enumerate(_SPLIT_RE.split(text or "")):
        if i % 2:
            match = seen.get(chunk)
            if match is None:
                match = seen[chunk] = _is_match(chunk, terms)
            if match:
                out.append(html.escape("".join(plain)))
                out.append(f"<mark>{html.escape(chunk)}</mark>")
                plain = []
                continue
        plain.append(chunk)
    out.append(html.escape("".join(plain)))
    return mark_safe("".join(out))  # noqa: S308 - every chunk escaped above


def snippet(text: str, terms, *, width: int = 30) -> SafeString:
    """About ``width`` words of ``text`` around the first match, highlighted."""
    chunks = _SPLIT_RE.split(text or "")
    word_positions = list(range(1, len(chunks), 2))
    if not word_positions:
        return highlight(" ".join((text or "").split()[:width]), terms)
    terms = set(terms)
    first = next((i for i in word_positions if _is_match(chunks[i], terms)), word_positions[0])
    index = word_positions.index(first)
    start_word = max(0, index - width // 3)
    end_word = min(len(word_positions), start_word + width)
    start = 0 if start_word == 0 else word_positions[start_word]
    end = len(chunks) if end_word == len(word_positions) else word_positions[end_word]
    piece = " ".join("".join(chunks[start:end]).split())
    result = highlight(piece, terms)
    prefix = "… " if start_word > 0 else ""
    suffix = " …" if end_word < len(word_positions) else ""
    return mark_safe(f"{prefix}{result}{suffix}")  # noqa: S308 - result is escaped

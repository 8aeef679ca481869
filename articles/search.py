"""Arabic search: the stored search document, queries, ranking and highlighting.

Every word goes through ``articles.analyzer`` (normalizer and light stemmer), on the
indexed side and on the query side alike, so both agree; highlighting asks the same
analyzer which words of a result made it match.

The search document is plain text kept on the article, one line per weighted field
(title, lead, body, tag and section names). A line holds a token per word, and a token
the word's terms between bars (``|بحلب|حلب|``). On PostgreSQL a stored ``tsvector`` is
built from those tokens by a SQL function, with no text search configuration and so no
second stemmer, and a GIN index answers the query; elsewhere (SQLite, ``make run``) the
same terms are found as ``|term|`` in the text column and ranked in Python.
"""

from __future__ import annotations

import functools
import html
import re
from dataclasses import dataclass

from django.db import connection, connections, transaction
from django.db.models import BooleanField, F, FloatField, Func, Q, TextField
from django.db.models.expressions import RawSQL
from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe

from . import analyzer
from .sanitize import clean_html

MAX_QUERY_LENGTH = 200
# Ranking sorts only the newest matches: sorting every match of a very common
# word by rank is what made search slow on a large archive.
RANK_WINDOW = 500
MAX_QUERY_GROUPS = 20
MAX_TERM_LENGTH = 100


def normalize_arabic(text: str) -> str:
    """The analyzer's normalization (see ``articles.analyzer``)."""
    return analyzer.normalize(text)


def words(text: str) -> list[str]:
    """The normalized words of ``text``, punctuation dropped."""
    return analyzer.WORD_RE.findall(normalize_arabic(text))


def _token(terms) -> str:
    return "|" + "|".join(sorted(terms)) + "|"


def _field_line(text: str) -> str:
    """One field of the document: a token per word (stop words left out), each token the
    word's terms between bars, so that ``|term|`` finds a word by any of its terms."""
    return " ".join(
        _token(terms)
        for terms in analyzer.text_terms(text)
        # PostgreSQL refuses a lexeme over 2 KB; no reader searches for such a "word".
        if max(map(len, terms)) <= MAX_TERM_LENGTH
    )


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


def build_search_document(
    *, title: str, lead: str, body_html: str, tags=(), section: str = ""
) -> str:
    """Four lines of tokens: title, lead, body and the tag and section names."""
    body = plain_text(clean_html(body_html or ""))
    labels = " ، ".join([*tags, section] if section else list(tags))
    lines = (_field_line(title), _field_line(lead), _field_line(body), _field_line(labels))
    return "\n".join(lines)


def article_search_document(article) -> str:
    """The document of a saved or unsaved article, with its tags once it has an id."""
    tags = sorted(tag.name for tag in article.tags.all()) if article.pk else []
    section = article.section.name if article.section_id else ""
    return build_search_document(
        title=article.title, lead=article.lead, body_html=article.body, tags=tags, section=section
    )


class _SearchVector(Func):
    """``search_tsvector(document)``, a SQL function of migration 0006 that turns the token
    lines into a weighted tsvector: every term of a word at the word's position, so that a
    phrase query sees the words as adjacent. No text search configuration is involved:
    the analyzer has already produced the terms, and nothing stems them a second time."""

    function = "search_tsvector"

    def __init__(self):
        from django.contrib.postgres.search import SearchVectorField

        super().__init__(F("search_document"), output_field=SearchVectorField())


def search_vector_expression():
    """The weighted ``tsvector`` of the stored document (PostgreSQL only)."""
    return _SearchVector()


def uses_postgres(using: str | None = None) -> bool:
    return (connections[using] if using else connection).vendor == "postgresql"


# --- Queries -------------------------------------------------------------------

# Straight, curly and angle quotes mark a phrase.
_PHRASE_RE = re.compile(r'["“”«»]([^"“”«»]*)["“”«»]?')

Group = tuple[frozenset[str], ...]  # one word (a term set) or a phrase of several


@dataclass(frozen=True)
class ParsedQuery:
    text: str
    groups: tuple[Group, ...] = ()  # every group must match; a phrase's words in a row
    error: str = ""  # "empty", "too_long", "no_words" or "stop_words"

    @property
    def ok(self) -> bool:
        return not self.error and bool(self.groups)

    @property
    def terms(self) -> frozenset[str]:
        """Every term that can make a document match: what highlighting marks."""
        return frozenset().union(*(t for group in self.groups for t in group))

    @property
    def has_phrase(self) -> bool:
        return any(len(group) > 1 for group in self.groups)


def parse_query(raw: str | None) -> ParsedQuery:
    text = (raw or "").strip()
    if not text:
        return ParsedQuery(text="", error="empty")
    if len(text) > MAX_QUERY_LENGTH:
        return ParsedQuery(text=text, error="too_long")
    groups: list[Group] = []
    had_words = False

    def add(group_text: str, phrase: bool):
        nonlocal had_words
        had_words = had_words or bool(analyzer.folded_words(group_text))
        term_sets = tuple(analyzer.text_terms(group_text))
        parts = [term_sets] if phrase and len(term_sets) > 1 else [(t,) for t in term_sets]
        for group in parts:
            if group not in groups:
                groups.append(group)

    for match in _PHRASE_RE.finditer(text):
        add(match.group(1), phrase=True)
    add(_PHRASE_RE.sub(" ", text), phrase=False)
    if not groups:
        return ParsedQuery(text=text, error="stop_words" if had_words else "no_words")
    return ParsedQuery(text=text, groups=tuple(groups[:MAX_QUERY_GROUPS]))


def tsquery_text(query: ParsedQuery) -> str:
    """The query in ``tsquery`` syntax: ``('a' | 'b') <-> 'c' & 'd'``. Terms are letters and
    digits only (the analyzer's words), so quoting them is enough."""

    def word(terms):
        inner = " | ".join(f"'{t}'" for t in sorted(terms))
        return f"({inner})"

    return " & ".join(" <-> ".join(word(terms) for terms in group) for group in query.groups)


def document_tokens(document: str) -> list[list[frozenset[str]]]:
    """The stored document read back: per line, the term set of each word."""
    return [
        [frozenset(token.strip("|").split("|")) for token in line.split()]
        for line in (document or "").split("\n")
    ]


def _group_found(line: list[frozenset[str]], group: Group) -> int:
    """How many times ``group`` occurs in ``line`` (a phrase: its words in a row)."""
    n = len(group)
    return sum(
        all(not group[j].isdisjoint(line[i + j]) for j in range(n))
        for i in range(len(line) - n + 1)
    )


# Title, lead, body, tags and section: ts_rank's weights A, B, C, B.
LINE_WEIGHTS = (1.0, 0.4, 0.2, 0.4)


def _rank_in_python(document: str, query: ParsedQuery) -> float:
    """A score in the spirit of ts_rank; 0 when a group is missing (a phrase not in a row)."""
    lines = document_tokens(document)
    score = 0.0
    for group in query.groups:
        group_score = 0.0
        for weight, line in zip(LINE_WEIGHTS, lines, strict=False):
            count = _group_found(line, group)
            # Repeats count less and less, as ts_rank does.
            group_score += weight * sum(1 / (n * n) for n in range(1, min(count, 5) + 1))
        if not group_score:
            return 0.0
        score += group_score
    return score


def _with_recency(score: float, published_at, now) -> float:
    """Equal matches: the newer article first; a title match still beats a body match."""
    if published_at is None:
        return score * 0.7
    age_days = max((now - published_at).total_seconds(), 0) / 86400
    return score * (0.7 + 0.3 / (1 + age_days / 30))


# Found by trying: بوتن reaches بوتين only once the threshold is this low.
TRIGRAM_THRESHOLD = 0.45
TRIGRAM_LIMIT = 50


class _TitleAndLead(Func):
    """The title and lead lines, as the trigram index of migration 0006 stores them."""

    template = (
        "(split_part(%(expressions)s, E'\\n', 1) || ' ' || split_part(%(expressions)s, E'\\n', 2))"
    )
    output_field = TextField()

    def __init__(self):
        super().__init__(F("search_document"))


def _similar_ids(queryset, query: ParsedQuery) -> list[int]:
    """Near-miss spellings (PostgreSQL only): titles and leads whose terms look like the
    query, through the trigram index. Used when full-text search finds nothing."""
    from django.contrib.postgres.search import TrigramWordSimilarity

    # The longest term of each word: the word as typed, not its clitic-less variant.
    text = " ".join(max(sorted(terms), key=len) for group in query.groups for terms in group)
    with transaction.atomic(using=queryset.db):
        with connections[queryset.db].cursor() as cursor:
            cursor.execute(
                "SET LOCAL pg_trgm.word_similarity_threshold = %s", [str(TRIGRAM_THRESHOLD)]
            )
        # As with ranking: similarity is computed for the newest candidates only.
        newest = (
            queryset.alias(heading=_TitleAndLead())
            .filter(heading__trigram_word_similar=text)
            .order_by("-published_at", "-id")
            .values("pk")[:RANK_WINDOW]
        )
        return list(
            queryset.model.objects.filter(pk__in=newest)
            .annotate(similarity=TrigramWordSimilarity(text, _TitleAndLead()))
            .order_by("-similarity", "-published_at", "-id")
            .values_list("pk", flat=True)[:TRIGRAM_LIMIT]
        )


def _postgres_matches(queryset, query: ParsedQuery):
    tsquery = tsquery_text(query)
    match = RawSQL("search_vector @@ %s::tsquery", [tsquery], output_field=BooleanField())
    rank = RawSQL("ts_rank(search_vector, %s::tsquery)", [tsquery], output_field=FloatField())
    return match, rank


def ranked_article_ids(queryset, query: ParsedQuery, *, fuzzy: bool = True) -> list[int]:
    """Ids of the articles in ``queryset`` that match every query group, best first.

    Only the newest :data:`RANK_WINDOW` matches are ranked. One query; on PostgreSQL,
    when nothing matches and ``fuzzy`` is true, titles and leads with a similar spelling.
    """
    if not query.ok:
        return []
    now = timezone.now()
    if uses_postgres(queryset.db):
        match, rank = _postgres_matches(queryset, query)
        newest = (
            queryset.alias(found=match)
            .filter(found=True)
            .order_by("-published_at", "-id")
            .values("pk")[:RANK_WINDOW]
        )
        rows = list(
            queryset.model.objects.filter(pk__in=newest)
            .annotate(rank=rank)
            .values_list("pk", "rank", "published_at")
        )
        if not rows:
            # A phrase asks for exact words: no near misses.
            return _similar_ids(queryset, query) if fuzzy and not query.has_phrase else []
        scored = [(pk, _with_recency(r, at, now), at) for pk, r, at in rows]
    else:
        matches = queryset
        for group in query.groups:
            for terms in group:
                any_term = Q()
                for term in terms:
                    any_term |= Q(search_document__contains=f"|{term}|")
                matches = matches.filter(any_term)
        # A phrase is checked word by word below: fetch more candidates than are ranked.
        limit = RANK_WINDOW * 4 if query.has_phrase else RANK_WINDOW
        rows = list(
            matches.order_by("-published_at", "-id").values_list(
                "pk", "published_at", "search_document"
            )[:limit]
        )
        scored = []
        for pk, at, document in rows:
            score = _rank_in_python(document, query)
            if score:
                scored.append((pk, _with_recency(score, at, now), at))
        scored = scored[:RANK_WINDOW]
    # Newest first among equal scores.
    scored.sort(key=lambda row: (row[1], row[2].timestamp() if row[2] else 0, row[0]), reverse=True)
    return [row[0] for row in scored]


# --- Highlighting --------------------------------------------------------------

# A word of raw text, with the diacritics that may sit inside or after it.
_SPLIT_RE = re.compile(r"([^\W_]+(?:[\u064b-\u065f\u0670]+[^\W_]*)*)")


@functools.lru_cache(maxsize=20_000)
def _word_stems(word: str) -> frozenset[str]:
    # A news vocabulary repeats from one article to the next: each word of a result page
    # is usually normalised and stemmed already (a few MB at most per process).
    folded = analyzer.folded_words(word)
    return analyzer.word_terms(folded[0]) if len(folded) == 1 else frozenset()


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


# --- Keeping the index current ---------------------------------------------------


def reindex_articles(queryset) -> int:
    """Recompute the documents (and tsvectors) of ``queryset``: after a change to tags or a
    section name, which ``Article.save()`` does not see."""
    count = 0
    model = queryset.model
    for article in (
        queryset.select_related("section").prefetch_related("tags").iterator(chunk_size=200)
    ):
        document = article_search_document(article)
        if document == article.search_document:
            continue
        rows = model._base_manager.using(queryset.db).filter(pk=article.pk)
        rows.update(search_document=document)
        if uses_postgres(queryset.db):
            rows.update(search_vector=search_vector_expression())
        count += 1
    return count


def _on_tags_changed(sender, instance, action, reverse, pk_set, model, **kwargs):
    if action not in ("post_add", "post_remove", "post_clear"):
        return
    from .models import Article

    if isinstance(instance, Article):
        reindex_articles(Article._base_manager.filter(pk=instance.pk))
    elif pk_set:
        reindex_articles(Article._base_manager.filter(pk__in=pk_set))


def _on_section_saved(sender, instance, created, **kwargs):
    if not created:
        reindex_articles(instance.articles.all())


def _on_tag_saved(sender, instance, created, **kwargs):
    from .models import Article

    if not created:
        reindex_articles(Article._base_manager.filter(tags=instance))


def connect_signals() -> None:
    from django.db.models.signals import m2m_changed, post_save
    from taggit.models import Tag

    from .models import Article, Section

    m2m_changed.connect(
        _on_tags_changed, sender=Article.tags.through, dispatch_uid="search-article-tags"
    )
    post_save.connect(_on_section_saved, sender=Section, dispatch_uid="search-section")
    post_save.connect(_on_tag_saved, sender=Tag, dispatch_uid="search-tag")

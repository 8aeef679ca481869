"""Search quality on a judged set of our own (tests/articles/data/search_eval.json).

Precision and recall are micro-averaged over every query: a result counts once per query.
The same set runs on SQLite (``make run``) and on PostgreSQL (production).
"""

import json
import re
from collections import Counter
from datetime import timedelta
from pathlib import Path

import pytest
from django.db import connection
from django.utils import timezone

from articles import analyzer
from articles.models import Article
from articles.search import highlight, parse_query, plain_text, ranked_article_ids, snippet
from tests.factories import make_article, make_author, make_section

EVAL = json.loads((Path(__file__).parent / "data" / "search_eval.json").read_text("utf-8"))
MIN_PRECISION = 0.95
MIN_RECALL = 0.98


@pytest.fixture
def corpus(db):
    """Eval id -> article, published on the day the set says."""
    author = make_author()
    sections = {}
    now = timezone.now()
    by_id = {}
    for item in EVAL["articles"]:
        name = item["section"]
        if name not in sections:
            sections[name] = make_section(name=name, slug=f"s{len(sections)}")
        by_id[item["id"]] = make_article(
            title=item["title"],
            lead=item["lead"],
            body=f"<p>{item['body']}</p>",
            section=sections[name],
            author=author,
            tags=item["tags"],
            published_at=now - timedelta(days=item["days_ago"]),
        )
    return by_id


def run_queries(corpus):
    eval_id = {article.pk: n for n, article in corpus.items()}
    found = relevant_found = relevant_total = 0
    misses, noise = [], []
    for item in EVAL["queries"]:
        query = parse_query(item["q"])
        assert query.error == item.get("error", ""), item["q"]
        got = {eval_id[pk] for pk in ranked_article_ids(Article.objects.published(), query)}
        relevant = set(item["relevant"])
        found += len(got)
        relevant_found += len(got & relevant)
        relevant_total += len(relevant)
        if relevant - got:
            misses.append((item["q"], sorted(relevant - got)))
        if got - relevant:
            noise.append((item["q"], sorted(got - relevant)))
    print(f"\n{found} found, {relevant_found} relevant found of {relevant_total}")
    precision = relevant_found / found if found else 1.0
    recall = relevant_found / relevant_total
    return precision, recall, misses, noise


def test_the_evaluation_set_is_large_and_covers_every_category():
    assert len(EVAL["articles"]) >= 40
    assert len(EVAL["queries"]) >= 100
    categories = Counter(item["category"] for item in EVAL["queries"])
    for category in (
        "hamza",
        "digits",
        "clitic",
        "sound plural",
        "feminine plural",
        "broken plural",
        "stop words",
        "phrase",
        "tag",
        "section",
        "precision",
        "name",
    ):
        assert categories[category] >= 1, category
    ids = {item["id"] for item in EVAL["articles"]}
    assert all(set(item["relevant"]) <= ids for item in EVAL["queries"])


def test_search_precision_and_recall_on_the_judged_set(corpus):
    """Fails below precision 0.95 or recall 0.98 (on SQLite and on PostgreSQL alike)."""
    precision, recall, misses, noise = run_queries(corpus)
    print(f"\n{connection.vendor}: precision {precision:.3f}, recall {recall:.3f}")
    assert recall >= MIN_RECALL, misses
    assert precision >= MIN_PRECISION, noise


def test_every_result_of_the_judged_set_shows_what_matched_and_nothing_else(corpus):
    """Each result row marks at least one word in its title or snippet, and every marked
    word is one of the query's words as the analyzer reads it."""
    unmarked = []
    wrong = []
    for item in EVAL["queries"]:
        query = parse_query(item["q"])
        if not query.ok:
            continue
        rows = Article.objects.filter(pk__in=ranked_article_ids(Article.objects.all(), query))
        for article in rows:
            html = highlight(article.title, query.terms) + snippet(
                article.lead + " " + plain_text(article.body), query.terms
            )
            marked = re.findall(r"<mark>(.*?)</mark>", html)
            labels = " ".join([article.section.name, *article.tags.names()])
            # A row found through a tag or its section name only has nothing to mark.
            by_label = any(terms & query.terms for terms in analyzer.text_terms(labels))
            if not marked and not by_label:
                unmarked.append((item["q"], article.title))
            wrong += [
                (item["q"], word)
                for word in marked
                if not any(terms & query.terms for terms in analyzer.text_terms(word))
            ]
    assert wrong == []
    assert unmarked == []

"""Seeds a large newsroom fast (bulk inserts), for the benchmark only.

Run by bench/run.py with DATABASE_URL pointing at the dedicated benchmark database.
Prints one JSON line describing what the benchmark needs (hot article, reader session).
"""

from __future__ import annotations

import argparse
import json
import os
import random
import sys
from datetime import timedelta
from importlib import import_module
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "levant24.settings.prod")

import django  # noqa: E402

django.setup()

from django.apps import apps  # noqa: E402
from django.conf import settings  # noqa: E402
from django.contrib.auth import (  # noqa: E402
    BACKEND_SESSION_KEY,
    HASH_SESSION_KEY,
    SESSION_KEY,
    get_user_model,  # noqa: E402
)
from django.db import transaction  # noqa: E402
from django.utils import timezone  # noqa: E402

from articles.models import (  # noqa: E402
    Article,
    Kind,
    LiveUpdate,
    Section,
    SiteSettings,
    Status,
)
from articles.sanitize import clean_html  # noqa: E402
from articles.search import (  # noqa: E402
    _field_line,
    article_search_document,
    plain_text,
    search_vector_expression,
    uses_postgres,
)

BATCH = 2000
WORDS = str.split(
    "دمشق حلب حمص اللاذقية درعا إدلب الرقة دير الزور الاقتصاد الحكومة المجلس الوزراء "
    "المواطنين الأسعار الكهرباء المياه المدارس الجامعة الطرق الإعمار الزراعة القمح "
    "الليرة السوق المصارف الصادرات الحدود اللاجئين العودة الانتخابات البلديات الصحة "
    "المستشفيات الأطباء الشتاء الوقود النقل المطار الميناء السياحة الثقافة المسرح الكتاب"
)
SECTIONS = ["سوريا", "العالم", "اقتصاد", "سياسة", "ثقافة", "رياضة", "تقارير", "مجتمع"]


def sentence(rng: random.Random, n: int) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(n))


def body(rng: random.Random) -> str:
    paragraphs = [f"<p>{sentence(rng, 45)}.</p>" for _ in range(6)]
    paragraphs.insert(3, f"<h2>{sentence(rng, 4)}</h2>")
    return "".join(paragraphs)


# Bodies and leads are drawn from a pool so that their search lines (the slow part of a
# search document) are computed once per pool entry; every title is different.
POOL = 400


def search_document(title_line: str, lead_line: str, body_line: str, section_line: str) -> str:
    """Exactly what ``build_search_document`` gives, from precomputed field lines."""
    return "\n".join((title_line, lead_line, body_line, section_line))


def seed_thread(Comment, rng: random.Random, article, size: int, now) -> None:
    """Exactly ``size`` approved comments on ``article``, one in five a reply (a few of them
    replies to replies), each with its HTML rendered as approving it does."""

    def comment(i: int, parent=None):
        return Comment(
            article=article,
            parent=parent,
            name=f"قارئ {i % 97}",
            email=f"thread{i % 97}@bench.example",
            website="",
            text=sentence(rng, 12 + i % 40),
            status="approved",
            ip_address="127.0.0.1",
            user_agent="bench",
            created_at=now - timedelta(minutes=size - i),
        )

    replies = size // 5
    roots = Comment.objects.bulk_create([comment(i) for i in range(size - replies)])
    first = Comment.objects.bulk_create(
        [
            comment(size - replies + j, roots[(j * 7) % len(roots)])
            for j in range(replies - replies // 3)
        ]
    )
    nested = Comment.objects.bulk_create(
        [comment(size - replies // 3 + j, first[j % len(first)]) for j in range(replies // 3)]
    )
    made = roots + first + nested
    for c in made:
        c.html = c.render_html()
    Comment.objects.bulk_update(made, ["html"], batch_size=500)


def seed_live(rng: random.Random, *, section, author, published_at, updates: int = 40) -> dict:
    """A live coverage under way with ``updates`` updates (a few of them key points), for the
    polling row: what its readers' pages ask for every few seconds."""
    title = f"تغطية مباشرة: {sentence(rng, 5)}"
    lead = sentence(rng, 20)
    text = clean_html(f"<p>{sentence(rng, 40)}</p>")
    [live] = Article.objects.bulk_create(
        [
            Article(
                kind=Kind.LIVE,
                title=title,
                slug="تغطية-مباشرة",
                section=section,
                author=author,
                lead=lead,
                body=text,
                status=Status.PUBLISHED,
                published_at=published_at,
                search_document=search_document(
                    _field_line(title),
                    _field_line(lead),
                    _field_line(plain_text(text)),
                    _field_line(section.name),
                ),
            )
        ]
    )
    LiveUpdate.objects.bulk_create(
        LiveUpdate(
            article=live,
            body=clean_html(f"<p>{sentence(rng, 25)}</p>"),
            pinned=i % 10 == 0,
            author=author,
            posted_at=published_at + timedelta(minutes=3 * i),
        )
        for i in range(updates)
    )
    return {"id": live.pk, "url": live.get_absolute_url(), "updates": updates}


def seed(
    *,
    articles: int,
    comments: int,
    hot_comments: int,
    search_articles: int = 0,
    thread_sizes: tuple[int, ...] = (30, 300),
) -> dict:
    rng = random.Random(24)
    total_articles = max(articles, search_articles)
    bodies = [clean_html(body(rng)) for _ in range(POOL)]
    body_lines = [_field_line(plain_text(b)) for b in bodies]
    leads = [sentence(rng, 25) for _ in range(POOL)]
    lead_lines = [_field_line(lead) for lead in leads]
    User = get_user_model()
    now = timezone.now()
    with transaction.atomic():
        SiteSettings.load()
        sections = [
            Section.objects.get_or_create(slug=name, defaults={"name": name, "order": i})[0]
            for i, name in enumerate(SECTIONS)
        ]
        authors = []
        for i in range(20):
            user, _ = User.objects.get_or_create(
                username=f"bench-author-{i}",
                defaults={
                    "email": f"author{i}@bench.example",
                    "is_staff": True,
                    "display_name": f"كاتب {i}",
                },
            )
            authors.append(user)
        reader, created = User.objects.get_or_create(
            username="bench-reader", defaults={"email": "reader@bench.example"}
        )
        if created:
            reader.set_password("bench-reader-pass-2024")
            reader.save()

        section_lines = [_field_line(section.name) for section in sections]
        kinds = list(Kind)
        batch = []
        for i in range(total_articles):
            title = f"{sentence(rng, 6)} {i}"
            b, le = rng.randrange(POOL), rng.randrange(POOL)
            batch.append(
                Article(
                    kind=kinds[i % len(kinds)],
                    title=title,
                    slug=f"مقال-{i}",
                    section=sections[i % len(sections)],
                    author=authors[i % len(authors)],
                    lead=leads[le],
                    body=bodies[b],
                    status=Status.PUBLISHED if i % 20 else Status.DRAFT,
                    published_at=now - timedelta(minutes=10 * (i + 1)),
                    search_document=search_document(
                        _field_line(title),
                        lead_lines[le],
                        body_lines[b],
                        section_lines[i % len(sections)],
                    ),
                )
            )
            if len(batch) >= BATCH:
                Article.objects.bulk_create(batch)
                batch = []
        Article.objects.bulk_create(batch)

        # The hot article: the newest published one, with exactly `hot_comments` approved
        # (the comment writers post to it). The next two get exactly `thread_sizes` approved
        # comments each, a few of them replies: the full renders are measured on those.
        newest = list(Article.objects.published().order_by("-published_at")[:3])
        hot = newest[0]
        result = {"hot_article_id": hot.pk, "hot_article_url": hot.get_absolute_url()}

        try:
            Comment = apps.get_model("comments", "Comment")
        except LookupError:
            Comment = None
        result["comments_seeded"] = 0
        if Comment is not None:
            result["threads"] = {}
            for article, size in zip(newest[1:], thread_sizes, strict=False):
                seed_thread(Comment, rng, article, size, now)
                result["threads"][str(size)] = {
                    "id": article.pk,
                    "url": article.get_absolute_url(),
                }
                result["comments_seeded"] += size
        if Comment is not None and comments:
            # Comments go to the newest `articles` articles (the live part of the newsroom),
            # except the two thread articles, whose approved counts stay exact.
            article_ids = list(
                Article.objects.published()
                .exclude(pk__in=[a.pk for a in newest])
                .order_by("-published_at")
                .values_list("pk", flat=True)[:articles]
            )
            statuses = ["approved"] * 7 + ["pending", "rejected", "spam"]
            batch = []
            made = 0
            for i in range(comments):
                on_hot = i < hot_comments
                batch.append(
                    Comment(
                        article_id=hot.pk if on_hot else article_ids[i % len(article_ids)],
                        name=f"قارئ {i % 500}",
                        email=f"reader{i % 500}@bench.example",
                        website="",
                        text=sentence(rng, 30),
                        status="approved" if on_hot else statuses[i % len(statuses)],
                        ip_address="127.0.0.1",
                        user_agent="bench",
                    )
                )
                if len(batch) >= BATCH:
                    Comment.objects.bulk_create(batch)
                    made += len(batch)
                    batch = []
            Comment.objects.bulk_create(batch)
            made += len(batch)
            result["comments_seeded"] += made

        # The benchmark's writers all post from 127.0.0.1: no hourly limit per address
        # (the flood interval is turned off by bench/run.py through COMMENTS_FLOOD_SECONDS).
        try:
            ModerationSettings = apps.get_model("comments", "ModerationSettings")
        except LookupError:
            ModerationSettings = None
        if ModerationSettings is not None:
            rules = ModerationSettings.objects.filter(pk=1).first() or ModerationSettings(pk=1)
            rules.hourly_limit = 0
            rules.save()

        # A live coverage, older than every other article so that no page of the other rows
        # changes: only its live.json is measured.
        result["live"] = seed_live(
            rng,
            section=sections[0],
            author=authors[0],
            published_at=now - timedelta(minutes=10 * (total_articles + 1)),
        )

    # Bulk inserts skip save(): the search documents were computed above; the tsvectors are
    # computed by PostgreSQL in one UPDATE. A sample is checked against the real function.
    for article in Article.objects.order_by("?")[:20]:
        expected = article_search_document(article)
        if article.search_document != expected:
            sys.exit(f"seed: search document of article {article.pk} differs from the app's")
    if uses_postgres():
        Article.objects.update(search_vector=search_vector_expression())
    result["search_index"] = "built"

    # The configured session engine, as a real sign-in would use.
    session = import_module(settings.SESSION_ENGINE).SessionStore()
    session[SESSION_KEY] = str(reader.pk)
    session[BACKEND_SESSION_KEY] = "accounts.backends.EmailOrUsernameBackend"
    session[HASH_SESSION_KEY] = reader.get_session_auth_hash()
    session.create()
    result["reader_session"] = session.session_key
    result["articles"] = Article.objects.count()
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--articles", type=int, default=10_000)
    parser.add_argument("--comments", type=int, default=100_000)
    parser.add_argument("--hot-comments", type=int, default=100)
    parser.add_argument(
        "--search-articles",
        type=int,
        default=0,
        help="total articles for search (older archive added beyond --articles)",
    )
    parser.add_argument(
        "--thread-sizes",
        type=int,
        nargs="*",
        default=[30, 300],
        help="approved comments on each of the next newest articles (the full renders)",
    )
    args = parser.parse_args()
    if Article.objects.exists():
        sys.exit("The benchmark database is not empty; bench/run.py recreates it.")
    print(
        json.dumps(
            seed(
                articles=args.articles,
                comments=args.comments,
                hot_comments=args.hot_comments,
                search_articles=args.search_articles,
                thread_sizes=tuple(args.thread_sizes),
            )
        )
    )


if __name__ == "__main__":
    main()

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
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "levant24.settings.prod")

import django  # noqa: E402

django.setup()

from django.apps import apps  # noqa: E402
from django.contrib.auth import get_user_model  # noqa: E402
from django.contrib.sessions.backends.db import SessionStore  # noqa: E402
from django.core.management import call_command, get_commands  # noqa: E402
from django.db import transaction  # noqa: E402
from django.utils import timezone  # noqa: E402

from articles.models import Article, Kind, Section, SiteSettings, Status  # noqa: E402

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


def seed(*, articles: int, comments: int, hot_comments: int) -> dict:
    rng = random.Random(24)
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

        kinds = list(Kind)
        batch = []
        for i in range(articles):
            title = f"{sentence(rng, 6)} {i}"
            batch.append(
                Article(
                    kind=kinds[i % len(kinds)],
                    title=title,
                    slug=f"مقال-{i}",
                    section=sections[i % len(sections)],
                    author=authors[i % len(authors)],
                    lead=sentence(rng, 25),
                    body=body(rng),
                    status=Status.PUBLISHED if i % 20 else Status.DRAFT,
                    published_at=now - timedelta(minutes=10 * (i + 1)),
                )
            )
            if len(batch) >= BATCH:
                Article.objects.bulk_create(batch)
                batch = []
        Article.objects.bulk_create(batch)

        # The hot article: the newest published one, with exactly `hot_comments` approved.
        hot = Article.objects.published().order_by("-published_at").first()
        result = {"hot_article_id": hot.pk, "hot_article_url": hot.get_absolute_url()}

        try:
            Comment = apps.get_model("comments", "Comment")
        except LookupError:
            Comment = None
        result["comments_seeded"] = 0
        if Comment is not None and comments:
            article_ids = list(
                Article.objects.published().exclude(pk=hot.pk).values_list("pk", flat=True)
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
            result["comments_seeded"] = made

    # Bulk inserts skip save(): let the search app index the new articles if it can.
    if "rebuild_search_index" in get_commands():
        call_command("rebuild_search_index", stdout=sys.stderr)
        result["search_index"] = "rebuilt"

    session = SessionStore()
    session["_auth_user_id"] = str(reader.pk)
    session["_auth_user_backend"] = "accounts.backends.EmailOrUsernameBackend"
    session["_auth_user_hash"] = reader.get_session_auth_hash()
    session.create()
    result["reader_session"] = session.session_key
    result["articles"] = Article.objects.count()
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--articles", type=int, default=10_000)
    parser.add_argument("--comments", type=int, default=100_000)
    parser.add_argument("--hot-comments", type=int, default=100)
    args = parser.parse_args()
    if Article.objects.exists():
        sys.exit("The benchmark database is not empty; bench/run.py recreates it.")
    print(
        json.dumps(
            seed(articles=args.articles, comments=args.comments, hot_comments=args.hot_comments)
        )
    )


if __name__ == "__main__":
    main()

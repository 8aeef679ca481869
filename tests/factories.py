"""Small factories: each builds the least data a test needs."""

import itertools
from datetime import timedelta

from django.contrib.auth import get_user_model
from django.utils import timezone

from articles.models import Article, Kind, Section, Status

_seq = itertools.count(1)


def make_user(*, username=None, password="pass-1234-word", is_staff=False, groups=(), **extra):
    n = next(_seq)
    username = username or f"user{n}"
    extra.setdefault("email", f"{username}@example.com")
    user = get_user_model().objects.create_user(
        username=username, password=password, is_staff=is_staff, **extra
    )
    if groups:
        from django.contrib.auth.models import Group

        for name in groups:
            group, _ = Group.objects.get_or_create(name=name)
            user.groups.add(group)
    return user


def make_author(**extra):
    extra.setdefault("display_name", "سارة الكاتبة")
    return make_user(is_staff=True, **extra)


def make_section(*, name=None, slug=None, **extra):
    n = next(_seq)
    name = name or f"قسم {n}"
    return Section.objects.create(name=name, slug=slug or f"قسم-{n}", **extra)


def make_article(
    *,
    title=None,
    status=Status.PUBLISHED,
    published_at=None,
    section=None,
    author=None,
    kind=Kind.NEWS,
    tags=(),
    **extra,
):
    n = next(_seq)
    if status == Status.PUBLISHED and published_at is None:
        published_at = timezone.now() - timedelta(hours=n)
    article = Article.objects.create(
        title=title or f"خبر عاجل رقم {n} من دمشق",
        status=status,
        published_at=published_at,
        section=section or make_section(),
        author=author or make_author(),
        kind=kind,
        lead=extra.pop("lead", "موجز الخبر في سطر واحد."),
        body=extra.pop("body", "<p>نص المقال الكامل.</p>"),
        **extra,
    )
    if tags:
        article.tags.add(*tags)
    return article


def make_staff(*, role, **extra):
    """A staff account in one of the newsroom roles (groups come from the roles migration)."""
    return make_user(is_staff=True, groups=(role,), **extra)

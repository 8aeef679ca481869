"""Small factories: each builds the least data a test needs."""

import itertools
from datetime import timedelta

from django.contrib.auth import get_user_model
from django.utils import timezone

from articles.models import Article, Kind, Section, Status
from articles.services import article_search_document_rebuild

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
    # In a test the commit that would queue the search document never comes: build it now.
    article_search_document_rebuild(article_id=article.pk)
    article.refresh_from_db(fields=["search_document"])
    return article


def make_comment(*, article, status="approved", parent=None, **extra):
    """A stored comment, written straight to the database (no submission rules)."""
    from comments.models import Comment

    n = next(_seq)
    extra.setdefault("name", f"قارئ {n}")
    extra.setdefault("email", f"reader{n}@example.org")
    extra.setdefault("text", f"تعليق رقم {n} على الخبر.")
    extra.setdefault("ip_address", f"198.51.100.{n % 250 + 1}")
    return Comment.objects.create(article=article, parent=parent, status=status, **extra)


def make_moderator(**extra):
    """A staff user in the `moderator` group holding every permission of the comments app."""
    from django.contrib.auth.models import Group, Permission

    user = make_user(is_staff=True, groups=("moderator",), **extra)
    group = Group.objects.get(name="moderator")
    group.permissions.set(Permission.objects.filter(content_type__app_label="comments"))
    return user


def make_reader(*, email_confirmed=True, **extra):
    """A reader account: no staff status, no groups."""
    extra.setdefault("display_name", "قارئ من حمص")
    return make_user(email_confirmed=email_confirmed, **extra)


def make_image_file(*, name="photo.jpg", size=(800, 450), colour=(120, 30, 30), fmt="JPEG"):
    """An in-memory upload holding a real image."""
    import io

    from django.core.files.uploadedfile import SimpleUploadedFile
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", size, colour).save(buffer, fmt)
    content_type = {"JPEG": "image/jpeg", "PNG": "image/png"}.get(fmt, "application/octet-stream")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type=content_type)


def make_site_settings(**fields):
    from articles.models import SiteSettings

    obj, _ = SiteSettings.objects.update_or_create(pk=1, defaults=fields)
    return obj


def make_staff(*, role, **extra):
    """A staff account in one of the newsroom roles (groups come from the roles migration)."""
    return make_user(is_staff=True, groups=(role,), **extra)


def make_breaking_line(*, text="عاجل: انقطاع الكهرباء عن أحياء في حمص", minutes=60, **extra):
    from articles.models import BreakingLine

    expires_at = extra.pop("expires_at", timezone.now() + timedelta(minutes=minutes))
    return BreakingLine.objects.create(text=text, expires_at=expires_at, **extra)


def make_live_update(*, article, body="<p>وصول فرق الإنقاذ إلى موقع الحادث.</p>", **extra):
    from articles.models import LiveUpdate

    author = extra.pop("author", None) or article.author
    return LiveUpdate.objects.create(article=article, body=body, author=author, **extra)

"""Revisions of articles (django-reversion): what changed, compare two, restore one.

Restoring copies the content of an earlier version onto the article, its tags included, and
saves it as a new revision; the workflow fields (status, publish time, who published) stay
as they are, so a restore never publishes or unpublishes anything by itself.

Tags are not columns of the article: each version's tag names are kept beside it
(``ArticleVersionTags``), written when the revision is committed, after the form has saved
the tags.
"""

import difflib

import reversion
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext as _
from reversion.models import Version

from .models import Article, ArticleVersionTags
from .search import plain_text

# Fields an editor compares and restores.
CONTENT_FIELDS = (
    "title",
    "slug",
    "kind",
    "section",
    "lead",
    "body",
    "image",
    "image_caption",
    "image_credit",
    "image_alt",
    "interviewee_name",
    "interviewee_role",
    "video_url",
    "comments_open",
    "is_lead",
)


def record_tags(sender, revision, versions, **kwargs) -> None:
    """``post_revision_commit`` receiver: keep the tag names of each article version."""
    article_type = ContentType.objects.get_for_model(Article)
    article_versions = [v for v in versions if v.content_type_id == article_type.pk]
    if not article_versions:
        return
    ids = {int(v.object_id) for v in article_versions}
    names: dict[int, list[str]] = {pk: [] for pk in ids}
    tagged = Article.tags.through.objects.filter(
        content_type=article_type, object_id__in=ids
    ).values_list("object_id", "tag__name")
    for object_id, name in tagged:
        names[object_id].append(name)
    ArticleVersionTags.objects.bulk_create(
        ArticleVersionTags(version_id=v.pk, names=sorted(names[int(v.object_id)]))
        for v in article_versions
    )


def tags_of(version: Version) -> list[str] | None:
    """The tag names of a version; None for a version saved before tags were kept."""
    try:
        return version.article_tags.names
    except ArticleVersionTags.DoesNotExist:
        return None


def describe_save(*, form, change: bool, user) -> None:
    """Name the revision being recorded after the fields that changed."""
    if not reversion.is_active():
        return
    if not change:
        reversion.set_comment(_("Created"))
        return
    labels = [
        str(form.fields[name].label or name)
        for name in form.changed_data
        if name in form.fields and name != "loaded_version"
    ]
    if labels:
        reversion.set_comment(_("Changed: %(fields)s") % {"fields": "، ".join(labels)})
    else:
        reversion.set_comment(_("Saved without changes"))


def versions_of(article: Article):
    return (
        Version.objects.get_for_object(article)
        .select_related("revision", "revision__user", "article_tags")
        .order_by("-revision__date_created", "-pk")
    )


def _field_label(name: str) -> str:
    return str(Article._meta.get_field(name).verbose_name)


def _word_diff(old: str, new: str):
    """Words removed in <del> and added in <ins>, everything escaped."""
    old_words, new_words = old.split(), new.split()
    parts = []
    matcher = difflib.SequenceMatcher(a=old_words, b=new_words, autojunk=False)
    for op, a1, a2, b1, b2 in matcher.get_opcodes():
        if op == "equal":
            parts.append(format_html("{} ", " ".join(old_words[a1:a2])))
            continue
        if op in ("delete", "replace"):
            parts.append(format_html("<del>{}</del> ", " ".join(old_words[a1:a2])))
        if op in ("insert", "replace"):
            parts.append(format_html("<ins>{}</ins> ", " ".join(new_words[b1:b2])))
    return format_html_join("", "{}", ((p,) for p in parts))


def compare(old: Version, new: Version) -> list[dict]:
    """The fields that differ between two versions, each with a word diff."""
    rows = []
    old_fields, new_fields = old.field_dict, new.field_dict
    for name in CONTENT_FIELDS:
        before = old_fields.get(_attname(name))
        after = new_fields.get(_attname(name))
        if before == after:
            continue
        before, after = _as_text(before), _as_text(after)
        if name == "body":
            # Editors compare what readers read, not the markup.
            before, after = plain_text(before), plain_text(after)
        rows.append({"label": _field_label(name), "diff": _word_diff(before, after)})
    old_tags, new_tags = tags_of(old), tags_of(new)
    if old_tags is not None and new_tags is not None and old_tags != new_tags:
        rows.append(
            {
                "label": _field_label("tags"),
                "diff": _word_diff("، ".join(old_tags), "، ".join(new_tags)),
            }
        )
    return rows


def _attname(name: str) -> str:
    return Article._meta.get_field(name).attname


def _as_text(value) -> str:
    if value is None:
        return ""
    return str(value)


def revisions_page(request, *, article: Article, model_admin, url_prefix: str):
    versions = list(versions_of(article))
    by_id = {v.pk: v for v in versions}
    diff_rows = None
    old = new = None
    a, b = request.GET.get("a"), request.GET.get("b")
    if a and b:
        try:
            old, new = by_id[int(a)], by_id[int(b)]
        except (KeyError, ValueError):
            raise Http404 from None
        if old.revision.date_created > new.revision.date_created:
            old, new = new, old
        diff_rows = compare(old, new)
    context = {
        **model_admin.admin_site.each_context(request),
        "opts": model_admin.opts,
        "title": _("Revisions of “%(title)s”") % {"title": article.title},
        "article": article,
        "versions": versions,
        "diff_rows": diff_rows,
        "old": old,
        "new": new,
        "url_prefix": url_prefix,
        "change_url_name": f"admin:{url_prefix}_change",
        "restore_url_name": f"admin:{url_prefix}_restore",
    }
    return TemplateResponse(request, "admin/articles/article/revisions.html", context)


@transaction.atomic
def restore(*, article: Article, version_id: int, by) -> Article:
    version = get_object_or_404(versions_of(article), pk=version_id)
    fields = version.field_dict
    for name in CONTENT_FIELDS:
        attname = _attname(name)
        if attname in fields:
            value = fields[attname]
            setattr(article, attname, getattr(value, "name", value) if name == "image" else value)
    tags = tags_of(version)
    with reversion.create_revision():
        article.save()
        if tags is not None:
            article.tags.set(tags)
        reversion.set_user(by)
        reversion.set_comment(
            _("Restored the version of %(time)s")
            % {"time": timezone.localtime(version.revision.date_created).strftime("%d/%m/%Y %H:%M")}
        )
    return article

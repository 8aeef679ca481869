"""Writes of the newsroom workflow: draft -> review -> published (or scheduled).

Every path (admin form buttons, list actions, anything else) goes through these
functions, and they check the acting user's rights themselves, so a crafted
request cannot skip a rule that the interface merely hides.
"""

from datetime import datetime

import reversion
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from .models import Article, Status
from .search import build_search_document, search_vector_expression, uses_postgres

PUBLISH_PERMISSION = "articles.publish_article"


def user_can_publish(user) -> bool:
    """Editors (and site admins) publish, schedule, unpublish and send back."""
    return bool(user.is_active and user.has_perm(PUBLISH_PERMISSION))


def user_can_edit(user, article: Article) -> bool:
    """Editors edit everything; a journalist only their own drafts (including sent back)."""
    if not (user.is_active and user.is_staff and user.has_perm("articles.change_article")):
        return False
    if user_can_publish(user):
        return True
    return article.author_id == user.pk and article.status == Status.DRAFT


def user_can_delete(user, article: Article) -> bool:
    if not (user.is_active and user.is_staff and user.has_perm("articles.delete_article")):
        return False
    if user_can_publish(user):
        return True
    return article.author_id == user.pk and article.status == Status.DRAFT


# What a workflow step changes. The text is saved by whoever edits it; a step writes only
# these columns, so the body is neither cleaned nor stemmed again.
WORKFLOW_FIELDS = ("status", "published_at", "published_by", "review_note", "updated_at")


def _save(article: Article, *, by, comment: str) -> Article:
    with reversion.create_revision():
        article.save(update_fields=WORKFLOW_FIELDS)
        reversion.set_user(by)
        reversion.set_comment(comment)
    return article


@transaction.atomic
def article_submit_for_review(*, article: Article, by) -> Article:
    if not user_can_edit(by, article):
        raise PermissionDenied
    if article.status != Status.DRAFT:
        raise ValidationError(_("Only a draft can be submitted for review."))
    article.status = Status.REVIEW
    return _save(article, by=by, comment=_("Submitted for review"))


@transaction.atomic
def article_publish(*, article: Article, by, at: datetime | None = None) -> Article:
    """Publish now, or schedule when ``at`` lies in the future; records who and when."""
    if not user_can_publish(by):
        raise PermissionDenied
    if article.is_public and at is None:
        # Publishing again must not move a live article's date.
        raise ValidationError(_("The article is already published."))
    now = timezone.now()
    article.status = Status.PUBLISHED
    article.published_at = at or now
    article.published_by = by
    article.review_note = ""
    if article.published_at > now:
        comment = _("Scheduled for %(time)s") % {
            "time": timezone.localtime(article.published_at).strftime("%d/%m/%Y %H:%M")
        }
    else:
        comment = _("Published")
    return _save(article, by=by, comment=comment)


@transaction.atomic
def article_unpublish(*, article: Article, by) -> Article:
    """Take an article (or a scheduled one) off the site; it becomes a draft again."""
    if not user_can_publish(by):
        raise PermissionDenied
    if article.status != Status.PUBLISHED:
        raise ValidationError(_("Only a published or scheduled article can be unpublished."))
    article.status = Status.DRAFT
    article.published_at = None
    article.published_by = None
    return _save(article, by=by, comment=_("Unpublished"))


@transaction.atomic
def article_send_back(*, article: Article, by, note: str) -> Article:
    """Return an article to its author as a draft, with the editor's note."""
    if not user_can_publish(by):
        raise PermissionDenied
    note = (note or "").strip()
    if not note:
        raise ValidationError(_("Write a note for the author when sending an article back."))
    if article.status == Status.PUBLISHED:
        raise ValidationError(_("Unpublish the article before sending it back."))
    article.status = Status.DRAFT
    article.review_note = note
    return _save(article, by=by, comment=_("Sent back to the author"))


def article_search_document_rebuild(*, article_id: int) -> bool:
    """Rebuild one article's search document from its current text (the task's work; safe
    to repeat). Writes the columns directly: no save, no signals, no new revision."""
    article = Article._base_manager.filter(pk=article_id).only("title", "lead", "body").first()
    if article is None:
        return False
    document = build_search_document(title=article.title, lead=article.lead, body_html=article.body)
    rows = Article._base_manager.filter(pk=article_id)
    rows.update(search_document=document)
    if uses_postgres(rows.db):
        # The tsvector is derived from the column just written, in the database.
        rows.update(search_vector=search_vector_expression())
    return True

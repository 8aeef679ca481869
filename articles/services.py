"""Writes of the newsroom workflow: draft -> review -> published (or scheduled).

Every path (admin form buttons, list actions, anything else) goes through these
functions, and they check the acting user's rights themselves, so a crafted
request cannot skip a rule that the interface merely hides. Which steps a user may
take on an article right now is answered in one place, ``article_allowed_actions``:
the admin's buttons, its form checks and the services below all ask it.
"""

import enum
from datetime import datetime

import reversion
from django.conf import settings
from django.contrib.admin.models import CHANGE, LogEntry
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from accounts.services import mail_send_later

from .models import Article, Kind, Status
from .search import article_search_document, search_vector_expression, uses_postgres

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


def user_can_view(user, article: Article) -> bool:
    """Editors see everything; a journalist sees everything they wrote, in every state."""
    if not (user.is_active and user.is_staff):
        return False
    if user_can_publish(user):
        return True
    may_open = user.has_perm("articles.view_article") or user.has_perm("articles.change_article")
    return may_open and article.author_id == user.pk


def user_can_delete(user, article: Article) -> bool:
    if not (user.is_active and user.is_staff and user.has_perm("articles.delete_article")):
        return False
    if user_can_publish(user):
        return True
    return article.author_id == user.pk and article.status == Status.DRAFT


class Action(enum.StrEnum):
    """The workflow steps; the values are what the admin's templates test for."""

    SUBMIT = "submit"
    PUBLISH = "publish"  # publish now, or schedule when a later time is given
    UNPUBLISH = "unpublish"
    SEND_BACK = "send_back"


def article_allowed_actions(*, article: Article, user) -> frozenset[Action]:
    """Which workflow steps ``user`` may take on ``article`` now.

    The single answer to that question: an unsaved ``article`` (``pk`` None) is the one on
    the "add" form. Anything outside the set is refused by the services below.
    """
    if not (user.is_active and user.is_staff):
        return frozenset()
    new = article.pk is None
    status = Status.DRAFT if new else article.status
    allowed = set()
    if status == Status.DRAFT:
        may_write = user.has_perm("articles.add_article") if new else user_can_edit(user, article)
        if may_write:
            allowed.add(Action.SUBMIT)
    if user_can_publish(user):
        # A live article keeps its date: it is unpublished first, never published again.
        if not (status == Status.PUBLISHED and article.is_public):
            allowed.add(Action.PUBLISH)
        if status == Status.PUBLISHED:
            allowed.add(Action.UNPUBLISH)
        if status == Status.REVIEW:
            allowed.add(Action.SEND_BACK)
    return frozenset(allowed)


# Why a step is refused when the user's role allows it but the article's state does not.
_STATE_REFUSALS = {
    Action.SUBMIT: lambda: _("Only a draft can be submitted for review."),
    Action.PUBLISH: lambda: _("The article is already published."),
    Action.UNPUBLISH: lambda: _("Only a published or scheduled article can be unpublished."),
    Action.SEND_BACK: lambda: _("Only an article in review can be sent back to its author."),
}


def article_require_action(action: Action, *, article: Article, by) -> None:
    """Refuse ``action`` unless ``article_allowed_actions`` grants it: PermissionDenied when
    the user's role never may, ValidationError when the article's state does not fit."""
    if action in article_allowed_actions(article=article, user=by):
        return
    role_allows = (
        user_can_edit(by, article) or (article.author_id == by.pk and by.is_staff)
        if action == Action.SUBMIT
        else user_can_publish(by)
    )
    if not role_allows:
        raise PermissionDenied
    raise ValidationError(_STATE_REFUSALS[action](), code="invalid_transition")


# What a workflow step changes. The text is saved by whoever edits it; a step writes only
# these columns, so the body is neither cleaned nor stemmed again.
WORKFLOW_FIELDS = (
    "status",
    "published_at",
    "published_by",
    "review_note",
    "news_for_author",
    "updated_at",
)


def _save(article: Article, *, by, comment: str) -> Article:
    with reversion.create_revision():
        article.save(update_fields=WORKFLOW_FIELDS)
        reversion.set_user(by)
        reversion.set_comment(comment)
    # The admin's History page lists the step in words (Django's own entry for a form save
    # would only say that no field changed).
    LogEntry.objects.log_actions(
        user_id=by.pk, queryset=[article], action_flag=CHANGE, change_message=comment
    )
    return article


def _history_words(message, **params) -> str:
    """History is written once and read by every member of staff: in the site's language."""
    with translation.override(settings.LANGUAGE_CODE):
        return str(message()) % params if params else str(message())


@transaction.atomic
def article_submit_for_review(*, article: Article, by) -> Article:
    article_require_action(Action.SUBMIT, article=article, by=by)
    article.status = Status.REVIEW
    return _save(article, by=by, comment=_history_words(lambda: _("Submitted for review")))


@transaction.atomic
def article_publish(*, article: Article, by, at: datetime | None = None) -> Article:
    """Publish now, or schedule when ``at`` lies in the future; records who and when."""
    article_require_action(Action.PUBLISH, article=article, by=by)
    now = timezone.now()
    article.status = Status.PUBLISHED
    article.published_at = at or now
    article.published_by = by
    article.review_note = ""
    scheduled = article.published_at > now
    if scheduled:
        comment = _history_words(
            lambda: _("Scheduled for %(time)s"),
            time=timezone.localtime(article.published_at).strftime("%d/%m/%Y %H:%M"),
        )
    else:
        comment = _history_words(lambda: pgettext("history of an article", "Published"))
    _tell_author(article=article, by=by, event="scheduled" if scheduled else "published")
    return _save(article, by=by, comment=comment)


@transaction.atomic
def article_unpublish(*, article: Article, by) -> Article:
    """Take an article (or a scheduled one) off the site; it becomes a draft again."""
    article_require_action(Action.UNPUBLISH, article=article, by=by)
    article.status = Status.DRAFT
    article.published_at = None
    article.published_by = None
    return _save(article, by=by, comment=_history_words(lambda: _("Unpublished")))


@transaction.atomic
def article_send_back(*, article: Article, by, note: str) -> Article:
    """Return an article in review to its author as a draft, with the editor's note."""
    article_require_action(Action.SEND_BACK, article=article, by=by)
    note = (note or "").strip()
    if not note:
        raise ValidationError(_("Write a note for the author when sending an article back."))
    article.status = Status.DRAFT
    article.review_note = note
    _tell_author(article=article, by=by, event="sent_back")
    comment = _history_words(lambda: _("Sent back to the author: %(note)s"), note=note)
    return _save(article, by=by, comment=comment)


def article_mark_seen(*, article: Article, by) -> None:
    """The author opened the article: the badge for its news goes away."""
    if article.news_for_author and article.author_id == by.pk:
        Article.objects.filter(pk=article.pk).update(news_for_author=False)
        article.news_for_author = False


def _tell_author(*, article: Article, by, event: str) -> None:
    """A badge in the author's admin, and a mail once the step is committed.

    Nothing when editors act on their own article: they know already.
    """
    author = article.author
    if author.pk == by.pk:
        return
    article.news_for_author = True
    if not author.email:
        return
    context = {
        "article": article,
        "author": author,
        "editor": by,
        "event": event,
        "note": article.review_note,
        "publish_time": timezone.localtime(article.published_at).strftime("%d/%m/%Y %H:%M")
        if article.published_at
        else "",
        "admin_url": settings.SITE_URL
        + reverse("admin:articles_article_change", args=[article.pk]),
    }
    with translation.override(settings.LANGUAGE_CODE):
        subject = {
            "published": _("Your article was published: %(title)s"),
            "scheduled": _("Your article was scheduled: %(title)s"),
            "sent_back": _("Your article was sent back to you: %(title)s"),
        }[event] % {"title": article.title}
        body = render_to_string("articles/email/article_workflow.txt", context)
    mail_send_later(to=author.email, subject=subject, text=body)


def article_search_document_rebuild(*, article_id: int) -> bool:
    """Rebuild one article's search document from its current text (the task's work; safe
    to repeat). Writes the columns directly: no save, no signals, no new revision."""
    article = Article._base_manager.select_related("section").filter(pk=article_id).first()
    if article is None:
        return False
    document = article_search_document(article)
    rows = Article._base_manager.filter(pk=article_id)
    rows.update(search_document=document)
    if uses_postgres(rows.db):
        # The tsvector is derived from the column just written, in the database.
        rows.update(search_vector=search_vector_expression())
    return True


@transaction.atomic
def live_coverage_end(*, article: Article, by) -> Article:
    """Close a live coverage: readers' pages stop polling; the page says when it ended."""
    if article.kind != Kind.LIVE:
        raise ValidationError(_("Only live coverage can be ended."))
    if not user_can_publish(by):
        raise PermissionDenied
    if article.coverage_ended_at is None:
        article.coverage_ended_at = timezone.now()
        with reversion.create_revision():
            article.save(update_fields=["coverage_ended_at", "updated_at"])
            reversion.set_user(by)
            reversion.set_comment(_history_words(lambda: _("Live coverage ended")))
    return article


def breaking_line_take_down(*, line) -> None:
    """Stop showing a breaking line now (it stays in the list, expired)."""
    now = timezone.now()
    if line.expires_at > now:
        line.expires_at = now
        line.save(update_fields=["expires_at"])

"""Every write to comments: submission with its rules, moderation, edits and reports."""

import hashlib
import logging
from datetime import timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core import mail, signing
from django.core.cache import cache
from django.db import IntegrityError, transaction
from django.db.models import F
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from accounts import roles
from accounts.ratelimits import limit_exceeded
from accounts.validators import has_visible_letter
from core.tasks import enqueue_after_commit

from . import forms
from . import text as plain
from .models import (
    BannedWord,
    Comment,
    CommentEdit,
    CommentReport,
    InnocentWord,
    ModerationSettings,
    ModeratorDigest,
    Status,
)

logger = logging.getLogger(__name__)

# Seconds one IP address must wait between two comments; settings.COMMENTS_FLOOD_SECONDS
# (env COMMENTS_FLOOD_SECONDS) overrides it, 0 turns the rule off (the benchmark's writers
# all come from 127.0.0.1).
FLOOD_SECONDS = 15

# A guest's browser keeps a signed list of its own comments (cookie TRUST_COOKIE, sent only to
# the comment URLs). Once one of them is approved, later comments with the same email from that
# browser are approved at once: the browser proves it wrote the approved comment, which a typed
# email cannot.
TRUST_COOKIE = "comments_trust"
TRUST_SALT = "levant24.comments.commenter-trust"
TRUST_MAX_AGE = 365 * 24 * 3600
TRUST_KEEP = 5


# What the reader sees after sending a comment, whatever its fate: a different message for an
# approved comment would tell anyone which emails have commented before.
THANK_YOU_MESSAGE = _(
    "Thank you. We have received your comment; it appears here once it is approved."
)


class CommentRefused(Exception):
    """A submission that is not stored, with the message the reader sees."""

    def __init__(self, message, *, field: str | None = None, code: str = "refused"):
        super().__init__(str(message))
        self.message = message
        self.field = field
        self.code = code


def _refuse(message, *, field=None, code="refused"):
    raise CommentRefused(message, field=field, code=code)


def comment_submit(
    *,
    article,
    name: str,
    email: str,
    text: str,
    website: str = "",
    parent: Comment | None = None,
    user=None,
    ip_address: str | None = None,
    user_agent: str = "",
    honeypot: str = "",
    trust_token: str = "",
    now=None,
) -> Comment:
    """Store a reader's comment after the flood, spam and moderation rules.

    Raises ``CommentRefused`` when nothing is stored. A stored comment is pending, approved
    or (for a word the moderators reject) rejected. ``trust_token`` is the browser's
    ``TRUST_COOKIE``; only it, or a signed-in account with a confirmed email, can make a
    comment skip the queue.
    """
    now = now or timezone.now()
    rules = ModerationSettings.load()
    name = plain.strip_bidi_controls(name).strip()
    text = plain.strip_bidi_controls(text).strip()
    email = email.strip()
    if "\x00" in name + text + email + website:
        _refuse(_("The text contains a forbidden character (NUL)."), field="text", code="nul")
    # The form says this more precisely; these guard other callers of the service.
    if not (forms.TEXT_MIN <= len(text) <= forms.TEXT_MAX):
        _refuse(_("Please write your comment."), field="text", code="text")
    if not name or len(name) > forms.NAME_MAX:
        _refuse(_("Please enter your name."), field="name", code="name")
    if not has_visible_letter(name):
        _refuse(forms.NAME_INVISIBLE, field="name", code="name")
    if not email:
        _refuse(_("Please enter your email address."), field="email", code="email")
    if rules.comments_closed(article, now=now):
        _refuse(_("Comments are closed for this article."), code="closed")
    if honeypot:
        _refuse(
            _("Your comment looks automated and was not accepted. Leave the last field empty."),
            code="honeypot",
        )
    if parent is not None and (parent.article_id != article.pk or parent.status != Status.APPROVED):
        _refuse(_("The comment you are replying to is not available."), code="parent")
    if rules.is_email_blocked(email) or rules.is_ip_blocked(ip_address):
        _refuse(_("Comments from this address are not accepted."), code="blocked")
    duplicate = (
        Comment.objects.for_article(article)
        .filter(text=text, email__iexact=email)
        .exclude(status=Status.REJECTED)
    )
    if duplicate.exists():
        _refuse(DUPLICATE_MESSAGE, field="text", code="duplicate")
    _check_rate_limits(ip_address=ip_address, rules=rules)

    user = user if user is not None and user.is_authenticated else None
    status = _initial_status(rules=rules, email=email, text=text, user=user, token=trust_token)
    try:
        # The unique key is what holds when identical comments arrive at once in several
        # workers: the check above is only the quick answer.
        with transaction.atomic():
            comment = Comment.objects.create(
                article=article,
                parent=parent,
                name=name,
                email=email,
                website=website,
                text=text,
                status=status,
                ip_address=ip_address,
                user_agent=user_agent[:300],
                user=user,
                created_at=now,
                dedupe_key=None
                if status == Status.REJECTED
                else comment_dedupe_key(article_id=article.pk, email=email, text=text),
            )
    except IntegrityError:
        if Comment.objects.filter(
            dedupe_key=comment_dedupe_key(article_id=article.pk, email=email, text=text)
        ).exists():
            _refuse(DUPLICATE_MESSAGE, field="text", code="duplicate")
        raise
    if status == Status.PENDING and rules.notify_moderators:
        moderators_digest_queue()
    return comment


BANNED_WORDS_KEY = "comments:banned-words"


DUPLICATE_MESSAGE = _("You have already posted this comment.")


def comment_dedupe_key(*, article_id: int, email: str, text: str) -> str:
    """One key per article, email (any case) and text: stored unique, so a second identical
    comment cannot be stored however many arrive at the same moment."""
    raw = f"{article_id}\n{email.strip().lower()}\n{text}"
    return hashlib.sha256(raw.encode()).hexdigest()


def _check_rate_limits(*, ip_address: str | None, rules: ModerationSettings) -> None:
    """The flood interval and the hourly limit per address, counted in the shared cache."""
    flood_seconds = getattr(settings, "COMMENTS_FLOOD_SECONDS", FLOOD_SECONDS)
    if flood_seconds and ip_address:
        # One atomic add: of several comments arriving at once from one address, one wins.
        key = "comments:flood:" + hashlib.sha256(ip_address.encode()).hexdigest()
        if not cache.add(key, 1, timeout=flood_seconds):
            _refuse(
                _("You are commenting too quickly. Please wait a few seconds and try again."),
                code="flood",
            )
    if rules.hourly_limit and limit_exceeded(
        group="comments.hourly", value=ip_address, rate=f"{rules.hourly_limit}/h"
    ):
        _refuse(
            _("You have reached the limit of comments for one hour. Please try again later."),
            code="hourly",
        )


def commenter_trust_token(*, comment: Comment, previous: str = "") -> str:
    """The browser's new ``TRUST_COOKIE`` value: its earlier comments and this one."""
    ids = [pk for pk in _trusted_ids(previous) if pk != comment.pk]
    return signing.dumps((ids + [comment.pk])[-TRUST_KEEP:], salt=TRUST_SALT, compress=True)


def _trusted_ids(token: str) -> list[int]:
    if not token:
        return []
    try:
        ids = signing.loads(token, salt=TRUST_SALT, max_age=TRUST_MAX_AGE)
    except signing.BadSignature:
        return []
    if not isinstance(ids, list):
        return []
    return [pk for pk in ids if isinstance(pk, int)][-TRUST_KEEP:]


def _verified_commenter(*, email: str, user, token: str) -> bool:
    """True for a reader whose identity we checked ourselves: a signed-in account with a
    confirmed email (commenting under that email), or a browser that wrote an approved
    comment with this email."""
    approved = Comment.objects.approved()
    if user is not None and user.email_confirmed and user.email.lower() == email.lower():
        return approved.filter(email__iexact=email).exists()
    ids = _trusted_ids(token)
    return bool(ids) and approved.filter(pk__in=ids, email__iexact=email).exists()


def banned_words() -> dict[str, str]:
    """Every banned word with its action, from the cache.

    A change forgets the list in the shared cache at once (comments.edge); a per-process
    cache keeps the old list for a minute at most.
    """
    words = cache.get(BANNED_WORDS_KEY)
    if words is None:
        words = dict(BannedWord.objects.values_list("word", "action"))
        cache.set(BANNED_WORDS_KEY, words, 60)
    return words


def innocent_words() -> list[str]:
    """The words the filter must never catch (a short list, read when a comment arrives)."""
    return list(InnocentWord.objects.values_list("word", flat=True))


def banned_words_check(text: str) -> dict:
    """What the word filter does with ``text`` under the current lists: the banned words it
    finds, the words an innocent word spared, and the status a comment would get from them
    (``None`` when no banned word is found). The moderators' test tool shows this."""
    banned = banned_words()
    result = plain.check_sentence(text, banned, innocent_words())
    actions = {banned[word] for word in result.matched}
    status = None
    if BannedWord.Action.REJECT in actions:
        status = Status.REJECTED
    elif actions:
        status = Status.PENDING
    return {
        "matched": [(word, banned[word]) for word in result.matched],
        "spared": result.spared,
        "status": status,
    }


def _initial_status(*, rules: ModerationSettings, email: str, text: str, user, token: str) -> str:
    banned = banned_words()
    matched = plain.find_words(text, banned, innocent_words()) if banned else []
    if matched:
        actions = {banned[word] for word in matched}
        if BannedWord.Action.REJECT in actions:
            return Status.REJECTED
        return Status.PENDING
    if rules.link_threshold and plain.count_links(text) >= rules.link_threshold:
        return Status.PENDING
    if not rules.hold_all:
        return Status.APPROVED
    if rules.auto_approve_known_email and _verified_commenter(email=email, user=user, token=token):
        return Status.APPROVED
    return Status.PENDING


def comment_set_status(*, comment: Comment, status: str, by=None, at=None) -> Comment:
    """The one way a comment changes status. ``by`` is None when a rule makes the change."""
    if status not in Status.values:
        raise ValueError(f"unknown comment status {status!r}")
    comment.status = status
    fields = ["status"]
    if status == Status.REJECTED and comment.dedupe_key:
        # A rejected comment may be sent again once the reader has changed what was refused.
        comment.dedupe_key = None
        fields.append("dedupe_key")
    if by is not None:
        comment.moderated_by = by
        comment.moderated_at = at or timezone.now()
        fields += ["moderated_by", "moderated_at"]
        if status == Status.APPROVED:
            # A moderator has looked at it: earlier reports are dealt with.
            comment.flag_count = 0
            fields.append("flag_count")
    comment.save(update_fields=fields)
    return comment


@transaction.atomic
def comment_edit_text(*, comment: Comment, text: str, by) -> Comment:
    """Change a comment's text and keep a record of the change."""
    text = plain.strip_bidi_controls(text).strip()
    if text == comment.text:
        return comment
    CommentEdit.objects.create(comment=comment, edited_by=by, old_text=comment.text, new_text=text)
    comment.text = text
    comment.save(update_fields=["text"])
    return comment


def comment_thread_ids(*, ids) -> set[int]:
    """``ids`` and the ids of every reply below them, at any depth, one query per level."""
    found = set(ids)
    frontier = set(found)
    while frontier:
        frontier = (
            set(Comment.objects.filter(parent_id__in=frontier).values_list("pk", flat=True)) - found
        )
        found |= frontier
    return found


_DELETE_CHUNK = 500


@transaction.atomic
def comments_delete(*, ids) -> int:
    """Delete comments and every reply below them. Returns the number of comments deleted.

    Django's deletion collector follows the replies one level per nested call, so a reply
    chain a few hundred deep would end in a RecursionError; the chain is cut first (every
    comment in the thread loses its parent), then the thread is deleted level-free.
    """
    doomed = sorted(comment_thread_ids(ids=ids))
    for start in range(0, len(doomed), _DELETE_CHUNK):
        chunk = doomed[start : start + _DELETE_CHUNK]
        Comment.objects.filter(pk__in=chunk).update(parent=None)
    for start in range(0, len(doomed), _DELETE_CHUNK):
        Comment.objects.filter(pk__in=doomed[start : start + _DELETE_CHUNK]).delete()
    return len(doomed)


def comment_set_featured(*, comment: Comment, featured: bool) -> Comment:
    comment.is_featured = featured
    comment.save(update_fields=["is_featured"])
    return comment


# A report moves a comment back to the queue only when it comes from a confirmed account at
# least this old; several accounts from one address count once.
REPORTER_MIN_AGE = timedelta(days=1)


def reporter_counts(*, user, now=None) -> bool:
    """True for an account whose reports count towards sending a comment back to the queue."""
    if user is None or not user.is_authenticated or not user.email_confirmed:
        return False
    return user.date_joined <= (now or timezone.now()) - REPORTER_MIN_AGE


@transaction.atomic
def comment_report(
    *, comment: Comment, user=None, session_key: str = "", ip_address: str | None = None
) -> bool:
    """Record one reader's report. False when this reader already reported the comment.

    Every report is kept for the moderators. Only those from confirmed accounts older than a
    day count, once per address; after the configured number of counted reports the comment
    goes back to the pending queue.
    """
    # One report at a time per comment, so two reports from one address cannot both count.
    comment = Comment.objects.select_for_update().get(pk=comment.pk)
    reports = CommentReport.objects.filter(comment=comment)
    if user is not None and user.is_authenticated:
        already = reports.filter(user=user)
    elif session_key:
        already = reports.filter(session_key=session_key) | reports.filter(
            user__isnull=True, ip_address=ip_address
        )
    else:
        already = reports.filter(user__isnull=True, ip_address=ip_address)
    if already.exists():
        return False
    counted = reporter_counts(user=user) and not (
        ip_address and reports.filter(counted=True, ip_address=ip_address).exists()
    )
    CommentReport.objects.create(
        comment=comment,
        user=user if user is not None and user.is_authenticated else None,
        session_key=session_key,
        ip_address=ip_address,
        counted=counted,
    )
    if not counted:
        return True
    Comment.objects.filter(pk=comment.pk).update(flag_count=F("flag_count") + 1)
    comment.refresh_from_db(fields=["flag_count"])
    threshold = ModerationSettings.load().reports_threshold
    if threshold and comment.flag_count >= threshold and comment.status == Status.APPROVED:
        comment_set_status(comment=comment, status=Status.PENDING)
    return True


# --- moderator digest ------------------------------------------------------------------------
# Moderators get at most one mail every ModerationSettings.digest_minutes, listing the
# comments that arrived since their last one, instead of a mail per comment. A pending comment
# queues a digest run (at most one run queued per DIGEST_QUEUE_SECONDS); Celery beat runs
# one every minute as well, which sends what waited for a moderator's window to pass.

DIGEST_QUEUE_KEY = "comments:digest-queued"
DIGEST_QUEUE_SECONDS = 30
# Comments listed in one mail; the mail says how many more wait in the queue.
DIGEST_LIST_LIMIT = 20


def moderators_digest_queue() -> None:
    """After this commit, queue a digest run unless one was queued moments ago."""
    from .tasks import moderator_digest

    if cache.add(DIGEST_QUEUE_KEY, 1, timeout=DIGEST_QUEUE_SECONDS):
        enqueue_after_commit(moderator_digest)


def _moderators():
    return (
        get_user_model()
        .objects.filter(groups__name=roles.MODERATOR, is_active=True)
        .exclude(email="")
        .distinct()
        .order_by("pk")
    )


def moderators_digest_send(*, now=None) -> int:
    """Mail each moderator whose window has passed the pending comments that are new to
    them. Returns the number of mails sent. Safe to run at any time and any number of
    times: each moderator's row is locked, and updated in the same transaction as the
    mail, so two runs never mail one moderator twice."""
    rules = ModerationSettings.load()
    if not rules.notify_moderators:
        return 0
    newest = Comment.objects.pending().order_by("-pk").values_list("pk", flat=True).first()
    if newest is None:
        return 0
    now = now or timezone.now()
    window = timedelta(minutes=rules.digest_minutes)
    return sum(
        _digest_send_one(moderator=moderator, now=now, window=window) for moderator in _moderators()
    )


def _digest_send_one(*, moderator, now, window) -> int:
    with transaction.atomic():
        ModeratorDigest.objects.get_or_create(moderator=moderator)
        state = ModeratorDigest.objects.select_for_update().get(moderator=moderator)
        if state.last_sent_at is not None and now - state.last_sent_at < window:
            return 0
        new = Comment.objects.pending().filter(pk__gt=state.last_comment_id)
        listed = list(new.select_related("article").order_by("-pk")[:DIGEST_LIST_LIMIT])
        if not listed:
            return 0
        new_count = len(listed) if len(listed) < DIGEST_LIST_LIMIT else new.count()
        _digest_mail(
            to=moderator.email,
            comments=listed,
            new_count=new_count,
            pending_count=Comment.objects.pending().count(),
        )
        state.last_sent_at = now
        state.last_comment_id = listed[0].pk
        state.save(update_fields=["last_sent_at", "last_comment_id"])
        return 1


def _digest_mail(*, to: str, comments: list[Comment], new_count: int, pending_count: int) -> None:
    with translation.override(settings.LANGUAGE_CODE):
        context = {
            "comments": [
                {
                    "comment": comment,
                    "review_url": settings.SITE_URL
                    + reverse("admin:comments_comment_change", args=[comment.pk]),
                }
                for comment in comments
            ],
            "new_count": new_count,
            "more_count": new_count - len(comments),
            "pending_count": pending_count,
            "queue_url": settings.SITE_URL + reverse("admin:comments_comment_changelist"),
        }
        subject = str(_("Comments awaiting moderation: %(count)s")) % {"count": new_count}
        body = render_to_string("comments/email/moderator_digest.txt", context)
        html = render_to_string("comments/email/moderator_digest.html", context)
    message = mail.EmailMultiAlternatives(subject=subject, body=body, to=[to])
    message.attach_alternative(html, "text/html")
    message.send()

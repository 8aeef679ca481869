import zlib
from datetime import timedelta

from django.conf import settings
from django.core.cache import cache
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models.functions import Upper
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core import rawsql


class Status(models.TextChoices):
    PENDING = "pending", _("Pending")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Rejected")
    SPAM = "spam", _("Spam")


# Skipped at the start of a word when taking initials ("الساعور" gives "س").
ARABIC_ARTICLE = "ال"


class CommentQuerySet(models.QuerySet):
    def approved(self):
        """The one rule for which comments the public may see."""
        return self.filter(status=Status.APPROVED)

    def pending(self):
        return self.filter(status=Status.PENDING)

    def reported(self):
        """Comments with any report, counted or not: moderators see them all."""
        return self.filter(
            models.Q(flag_count__gt=0)
            | models.Exists(CommentReport.objects.filter(comment=models.OuterRef("pk")))
        )

    def for_article(self, article):
        return self.filter(article=article)

    def thread_order(self):
        return self.order_by("created_at", "id")

    def from_ip_since(self, ip_address, since):
        return self.filter(ip_address=ip_address, created_at__gte=since)


class Comment(models.Model):
    article = models.ForeignKey(
        "articles.Article",
        on_delete=models.CASCADE,
        related_name="comments",
        verbose_name=_("article"),
    )
    parent = models.ForeignKey(
        "self",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="replies",
        verbose_name=_("in reply to"),
    )
    name = models.CharField(_("name"), max_length=100)
    email = models.EmailField(_("email"))
    website = models.URLField(_("website"), blank=True)
    text = models.TextField(_("comment"))
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PENDING
    )
    ip_address = models.GenericIPAddressField(_("IP address"), null=True, blank=True)
    user_agent = models.CharField(_("user agent"), max_length=300, blank=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="comments",
        verbose_name=_("signed-in user"),
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    moderated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("moderated by"),
    )
    moderated_at = models.DateTimeField(_("moderated at"), null=True, blank=True)
    is_featured = models.BooleanField(
        _("editor's pick"), default=False, help_text=_("Shown first among its replies.")
    )
    flag_count = models.PositiveIntegerField(_("reports"), default=0)
    # The comment as the public thread shows it, rendered once instead of on every page
    # view (comments.thread); empty until the comment has an id, filled when first shown.
    html = models.TextField(editable=False, blank=True, default="")
    RENDERED_FIELDS = ("name", "website", "text", "is_featured", "created_at")
    # comments.services.comment_dedupe_key: the same text from the same email on the same
    # article is stored once, even when the copies arrive at the same moment. Empty for
    # rejected comments (which may be sent again) and for rows written outside the service.
    dedupe_key = models.CharField(
        _("duplicate check"), max_length=64, null=True, blank=True, unique=True, editable=False
    )

    objects = CommentQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("comment")
        verbose_name_plural = _("comments")
        indexes = [
            models.Index(fields=["article", "status", "created_at"], name="comment_thread_idx"),
            models.Index(fields=["status", "-created_at"], name="comment_queue_idx"),
            models.Index(fields=["ip_address", "created_at"], name="comment_ip_idx"),
            models.Index(fields=["email"], name="comment_email_idx"),
            # "Known email" and duplicate checks compare emails case-insensitively.
            models.Index(Upper("email"), name="comment_email_upper_idx"),
        ]

    def __str__(self):
        excerpt = self.text[:60] + ("…" if len(self.text) > 60 else "")
        return f"{self.name}: {excerpt}"

    def save(self, *args, **kwargs):
        update_fields = kwargs.get("update_fields")
        shown_differently = update_fields is None or set(update_fields) & set(self.RENDERED_FIELDS)
        if self.pk is not None and (shown_differently or self._needs_html()):
            self.html = self.render_html()
            if update_fields is not None:
                kwargs["update_fields"] = {*update_fields, "html"}
        super().save(*args, **kwargs)
        if self._needs_html():
            # Approved as it was stored: its HTML needed the id the insert gave it.
            self.html = self.render_html()
            type(self)._base_manager.filter(pk=self.pk).update(html=self.html)

    def _needs_html(self) -> bool:
        return not self.html and self.status == Status.APPROVED

    @classmethod
    def from_db(cls, db, field_names, values):
        instance = super().from_db(db, field_names, values)
        # The status as stored, so a save can tell whether the comment is or was public
        # (comments.edge: a comment that never was public changes no page).
        instance._stored_status = instance.__dict__.get("status")
        return instance

    def render_html(self) -> str:
        from django.template.loader import render_to_string
        from django.utils import translation

        with translation.override(settings.LANGUAGE_CODE):
            return render_to_string("comments/comment_body.html", {"comment": self})

    @property
    def initials(self) -> str:
        """The first letters of the first two words, past the Arabic article: أحمد الساعور is أس."""
        parts = [p for p in self.name.split() if p[:1].isalnum()]
        letters = []
        for part in parts[:2]:
            if part.startswith(ARABIC_ARTICLE) and len(part) > len(ARABIC_ARTICLE) + 1:
                part = part[len(ARABIC_ARTICLE) :]
            letters.append(part[0])
        return "".join(letters).upper() or "؟"

    @property
    def avatar_colour(self) -> int:
        """A stable colour class (0-5) so the same name keeps the same avatar."""
        return zlib.crc32(self.name.encode()) % 6

    @property
    def is_pending(self) -> bool:
        return self.status == Status.PENDING


class CommentEdit(models.Model):
    """A moderator's change to a comment's text, kept so the original is never lost."""

    comment = models.ForeignKey(
        Comment, on_delete=models.CASCADE, related_name="edits", verbose_name=_("comment")
    )
    edited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("edited by"),
    )
    edited_at = models.DateTimeField(_("edited at"), default=timezone.now)
    old_text = models.TextField(_("text before"))
    new_text = models.TextField(_("text after"))

    class Meta:
        ordering = ["-edited_at", "-id"]
        verbose_name = _("comment edit")
        verbose_name_plural = _("comment edits")

    def __str__(self):
        return f"{self.comment_id} @ {self.edited_at:%Y-%m-%d %H:%M}"


class CommentReport(models.Model):
    """One reader's report of one comment; a reader is a user, else a session, else an IP."""

    comment = models.ForeignKey(
        Comment, on_delete=models.CASCADE, related_name="reports", verbose_name=_("comment")
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("user"),
    )
    session_key = models.CharField(_("session"), max_length=40, blank=True)
    ip_address = models.GenericIPAddressField(_("IP address"), null=True, blank=True)
    counted = models.BooleanField(
        _("counted"),
        default=False,
        help_text=_(
            "Only reports from confirmed accounts older than a day count, once per address."
        ),
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("comment report")
        verbose_name_plural = _("comment reports")

    def __str__(self):
        return f"{self.comment_id}"


class BannedWord(models.Model):
    class Action(models.TextChoices):
        HOLD = "hold", _("Hold for moderation")
        REJECT = "reject", _("Reject")

    word = models.CharField(
        _("word or phrase"),
        max_length=100,
        unique=True,
        help_text=_(
            "Matched as a whole word in any spelling and form: diacritics, tatweel, hamza "
            "forms, invisible characters, look-alike letters, repeated or spaced-out letters, "
            "prefixes such as و ف ب ل ال, endings and plurals."
        ),
    )
    action = models.CharField(_("action"), max_length=10, choices=Action, default=Action.HOLD)
    created_at = models.DateTimeField(_("created"), default=timezone.now)

    class Meta:
        ordering = ["word"]
        verbose_name = _("banned word")
        verbose_name_plural = _("banned words")

    def __str__(self):
        return self.word


class InnocentWord(models.Model):
    """A harmless word that the word filter would otherwise read as a banned one."""

    word = models.CharField(
        _("word"),
        max_length=100,
        unique=True,
        help_text=_(
            "A harmless word that contains a banned word, such as بكس (a pickup truck) "
            "when كس is banned. The word filter never catches it, in any of its forms."
        ),
    )
    note = models.CharField(_("note"), max_length=200, blank=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now)

    class Meta:
        ordering = ["word"]
        verbose_name = _("innocent word")
        verbose_name_plural = _("innocent words")

    def __str__(self):
        return self.word


class ModerationSettings(models.Model):
    """The rules moderators change in the admin. A single row."""

    CACHE_KEY = "comments:moderation-settings"

    hold_all = models.BooleanField(
        _("hold every comment for moderation"),
        default=True,
        help_text=_("Unless another rule approves it, a comment waits for a moderator."),
    )
    auto_approve_known_email = models.BooleanField(
        _("approve comments from verified commenters"),
        default=True,
        help_text=_(
            "Approve automatically when the same email already has an approved comment and "
            "the reader proved it is theirs: signed in with a confirmed email, or commenting "
            "from the browser that wrote the approved comment. A typed email alone never counts."
        ),
    )
    link_threshold = models.PositiveSmallIntegerField(
        _("hold comments with this many links"),
        default=2,
        help_text=_("0 turns this rule off."),
    )
    blocked_emails = models.TextField(
        _("blocked emails"),
        blank=True,
        help_text=_("One per line. A line such as @example.com blocks a whole domain."),
    )
    blocked_ips = models.TextField(
        _("blocked IP addresses"), blank=True, help_text=_("One per line.")
    )
    close_after_days = models.PositiveIntegerField(
        _("close comments after (days)"),
        null=True,
        blank=True,
        help_text=_("Days after publishing. Leave empty to keep comments open."),
    )
    hourly_limit = models.PositiveSmallIntegerField(
        _("comments per hour from one IP address"),
        default=10,
        help_text=_("0 turns this limit off."),
    )
    reports_threshold = models.PositiveSmallIntegerField(
        _("reports before a comment returns to the queue"), default=3
    )
    notify_moderators = models.BooleanField(
        _("email moderators about new pending comments"), default=True
    )
    digest_minutes = models.PositiveSmallIntegerField(
        _("minutes between two moderator emails"),
        default=10,
        validators=[MinValueValidator(1)],
        help_text=_(
            "Each moderator gets at most one email in this time, listing the comments "
            "that arrived since the last one."
        ),
    )

    class Meta:
        verbose_name = _("moderation settings")
        verbose_name_plural = _("moderation settings")

    def __str__(self):
        return str(_("Moderation settings"))

    @classmethod
    def load(cls) -> "ModerationSettings":
        # Saving the rules forgets them (comments.edge); with a per-process cache the other
        # workers keep the old ones for a minute at most.
        obj = cache.get(cls.CACHE_KEY)
        if obj is None:
            # Reading the rules never writes: an unconfigured site gets the defaults.
            obj = rawsql.get(cls, 1) or cls(pk=1)
            cache.set(cls.CACHE_KEY, obj, 60)
        return obj

    @staticmethod
    def _lines(value: str) -> list[str]:
        return [line.strip().lower() for line in value.splitlines() if line.strip()]

    def is_email_blocked(self, email: str) -> bool:
        email = email.strip().lower()
        domain = "@" + email.rpartition("@")[2]
        return any(entry in (email, domain) for entry in self._lines(self.blocked_emails))

    def is_ip_blocked(self, ip_address: str | None) -> bool:
        return bool(ip_address) and ip_address.lower() in self._lines(self.blocked_ips)

    def closes_at(self, article):
        if not self.close_after_days or not article.published_at:
            return None
        return article.published_at + timedelta(days=self.close_after_days)

    def comments_closed(self, article, *, now=None) -> bool:
        if not article.comments_open:
            return True
        closes_at = self.closes_at(article)
        return closes_at is not None and (now or timezone.now()) >= closes_at


class ModeratorDigest(models.Model):
    """When a moderator last got the pending-comments digest, and the newest comment in it."""

    moderator = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("moderator"),
    )
    last_sent_at = models.DateTimeField(_("last sent"), null=True, blank=True)
    last_comment_id = models.BigIntegerField(default=0)

    class Meta:
        verbose_name = _("moderator digest")
        verbose_name_plural = _("moderator digests")

    def __str__(self):
        return str(self.moderator)

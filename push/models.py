"""Web push: the browsers that asked for notifications, and what was sent to them.

A subscription is what the browser's push service gives us (an endpoint URL and two
encryption keys) plus the reader's choice. Nothing else: no account, no address, no user
agent. The endpoint is the only way to reach (or remove) it.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

from articles.models import Article, BreakingLine, Section


class PushSubscriptionQuerySet(models.QuerySet):
    def for_breaking(self):
        return self.filter(breaking=True)

    def for_section(self, section_id: int):
        return self.filter(sections=section_id)


class PushSubscription(models.Model):
    endpoint = models.URLField(_("endpoint"), max_length=1000, unique=True)
    # The browser's P-256 public key (65 bytes) and auth secret (16 bytes), base64url.
    p256dh = models.CharField(max_length=100)
    auth = models.CharField(max_length=40)
    breaking = models.BooleanField(_("breaking news"), default=True)
    sections = models.ManyToManyField(
        Section, blank=True, related_name="+", verbose_name=_("sections")
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    last_success = models.DateTimeField(_("last delivered"), null=True, blank=True)
    # Failures in a row other than "gone" (404/410); reset by a delivery.
    failures = models.PositiveIntegerField(_("failures"), default=0)

    objects = PushSubscriptionQuerySet.as_manager()

    class Meta:
        verbose_name = _("push subscription")
        verbose_name_plural = _("push subscriptions")

    def __str__(self):
        return f"{self.pk}"

    @property
    def info(self) -> dict:
        """What pywebpush needs to encrypt and deliver to this browser."""
        return {"endpoint": self.endpoint, "keys": {"p256dh": self.p256dh, "auth": self.auth}}


class Notification(models.Model):
    """One push sent about a breaking line or an article, with its delivery counts.

    There is at most one per line and one per article (the unique columns): creating it is
    how a sender claims the work, so a line or an article is never pushed twice.
    """

    breaking_line = models.OneToOneField(
        BreakingLine, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    article = models.OneToOneField(
        Article, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    title = models.CharField(_("title"), max_length=250)
    body = models.CharField(_("text"), max_length=300, blank=True)
    url = models.CharField(max_length=500)
    tag = models.CharField(max_length=50)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    audience = models.PositiveIntegerField(_("subscriptions"), default=0)
    sent = models.PositiveIntegerField(_("delivered"), default=0)
    dropped = models.PositiveIntegerField(_("expired, removed"), default=0)
    failed = models.PositiveIntegerField(_("failed"), default=0)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("push notification")
        verbose_name_plural = _("push notifications")

    def __str__(self):
        return self.title

    @property
    def payload(self) -> dict:
        return {"title": self.title, "body": self.body, "url": self.url, "tag": self.tag}

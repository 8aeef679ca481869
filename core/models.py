import uuid

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class OutboxMessage(models.Model):
    """A task to hand to the broker, written in the same transaction as the change that
    asks for it. The row is deleted once the broker has accepted the task; while the broker
    is down it waits here and ``core.outbox.drain`` sends it later."""

    # Also the Celery task id: a task that is published twice runs under the same id, which
    # is what the tasks' idempotency records key on.
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    task_name = models.CharField(_("task"), max_length=200)
    args = models.JSONField(_("arguments"), default=list, blank=True)
    kwargs = models.JSONField(_("keyword arguments"), default=dict, blank=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now, db_index=True)
    attempts = models.PositiveIntegerField(_("failed attempts"), default=0)
    last_error = models.TextField(_("last error"), blank=True)

    class Meta:
        ordering = ["created_at"]
        verbose_name = _("queued task")
        verbose_name_plural = _("queued tasks")

    def __str__(self):
        return f"{self.task_name} {self.id}"


class CompletedTask(models.Model):
    """A task run that must not happen twice (an email sent): its key is stored in the same
    transaction as the run, so a retry or a second delivery of the message does nothing."""

    key = models.CharField(max_length=250, primary_key=True)
    done_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        verbose_name = _("completed task")
        verbose_name_plural = _("completed tasks")

    def __str__(self):
        return self.key

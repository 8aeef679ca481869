from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from .paths import MAX_LENGTH, normalize_old_path


def validate_new_path(value: str) -> None:
    if not (value.startswith("/") and not value.startswith("//")) and not value.startswith(
        ("https://", "http://")
    ):
        raise ValidationError(
            _("Enter a path on this site starting with / or a full http(s) address.")
        )


class RedirectQuerySet(models.QuerySet):
    def matching(self, keys):
        """The redirects stored under any of ``keys`` (see ``paths.lookup_keys``)."""
        return self.filter(old_path__in=keys)


class Redirect(models.Model):
    """An old address that answers with a permanent redirect (301) to its new place.

    Consulted only when a page would otherwise be "not found", so it never hides a live page.
    """

    old_path = models.CharField(
        _("old address"),
        max_length=MAX_LENGTH,
        unique=True,
        help_text=_(
            "A path such as /2025/02/13/article-title/ or /?p=123 (a full address works too). "
            "Encoded and plain Arabic letters, capitals and the final slash do not matter."
        ),
    )
    new_path = models.CharField(
        _("new address"),
        max_length=MAX_LENGTH,
        validators=[validate_new_path],
        help_text=_("Where readers are sent: a path on this site or a full address."),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = RedirectQuerySet.as_manager()

    class Meta:
        ordering = ["old_path"]
        verbose_name = _("redirect")
        verbose_name_plural = _("redirects")

    def __str__(self):
        return f"{self.old_path} → {self.new_path}"

    def clean(self):
        self.old_path = normalize_old_path(self.old_path)
        if self.old_path == "/":
            raise ValidationError({"old_path": _("The home page cannot be redirected.")})
        if self.new_path and normalize_old_path(self.new_path) == self.old_path:
            raise ValidationError({"new_path": _("A redirect cannot point to itself.")})

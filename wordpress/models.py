from django.db import models
from django.utils.translation import gettext_lazy as _


class ImportedItem(models.Model):
    """What one WordPress object became here, so a second import updates instead of adding.

    ``digest`` fingerprints the exported data: an unchanged object is skipped next time.
    """

    class Type(models.TextChoices):
        USER = "user", _("Author")
        POST = "post", _("Post")
        COMMENT = "comment", _("Comment")

    site = models.CharField(_("WordPress site"), max_length=200)
    type = models.CharField(_("type"), max_length=20, choices=Type.choices)
    wp_id = models.BigIntegerField(_("WordPress id"))
    # The id of the article, comment or user it became.
    target = models.CharField(_("imported as"), max_length=300)
    digest = models.CharField(_("fingerprint"), max_length=64, blank=True)
    imported_at = models.DateTimeField(_("imported at"), auto_now=True)

    class Meta:
        verbose_name = _("imported WordPress item")
        verbose_name_plural = _("imported WordPress items")
        constraints = [
            models.UniqueConstraint(fields=["site", "type", "wp_id"], name="wordpress_item_unique")
        ]

    def __str__(self):
        return f"{self.site} {self.type} {self.wp_id} → {self.target}"

"""Keep cached reads in step with the rows they come from."""

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from .selectors import site_settings_forget


@receiver(post_save, sender="articles.SiteSettings", dispatch_uid="site_settings_saved")
@receiver(post_delete, sender="articles.SiteSettings", dispatch_uid="site_settings_deleted")
def _forget_site_settings(**kwargs):
    site_settings_forget()

from django.contrib.auth.models import AbstractUser, Group, UserManager
from django.db import models
from django.db.models.functions import Lower
from django.utils.translation import gettext_lazy as _

from core.links import link


class UserQuerySet(models.QuerySet):
    def authors(self):
        """Staff accounts that have a public author page."""
        return self.filter(is_staff=True, is_active=True)


class Manager(UserManager.from_queryset(UserQuerySet)):
    use_in_migrations = True


class User(AbstractUser):
    """Every account: readers and staff alike. Staff double as public authors."""

    email = models.EmailField(_("email address"), blank=True)
    display_name = models.CharField(_("display name"), max_length=100, blank=True)
    bio = models.TextField(_("short bio"), blank=True, max_length=1000)
    photo = models.ImageField(_("photo"), upload_to="authors/", blank=True)
    email_confirmed = models.BooleanField(_("email confirmed"), default=False)

    objects = Manager()

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        constraints = [
            models.UniqueConstraint(
                Lower("email"),
                name="accounts_user_email_ci_unique",
                condition=~models.Q(email=""),
                violation_error_message=_("An account with this email already exists."),
            ),
        ]

    def __str__(self):
        return self.public_name

    @property
    def public_name(self) -> str:
        return self.display_name or self.get_full_name() or self.username

    def get_absolute_url(self):
        return link("articles:author", self.username)


class Role(Group):
    """A newsroom role as people see it: the group under its Arabic name.

    Groups keep their contract names (``journalist``, ``editor``, ``moderator``, see
    ``accounts.roles``); this proxy only changes how they are shown in the admin.
    """

    class Meta:
        proxy = True
        verbose_name = _("role")
        verbose_name_plural = _("roles")

    def __str__(self):
        from .roles import role_label

        return role_label(self.name)

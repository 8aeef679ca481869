from django import forms
from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.forms import AdminPasswordChangeForm, SetUnusablePasswordMixin
from django.contrib.auth.models import Group, Permission
from django.db.models import Count, Exists, OuterRef
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from levant24.admin_site import NewsroomAdminMixin, yes_no_icon

from . import services
from .models import Role, User
from .roles import role_label

# Django stores permission names in English ("Can add user"); they are shown from these.
PERMISSION_ACTIONS = {
    "add": _("Can add %(model)s"),
    "change": _("Can change %(model)s"),
    "delete": _("Can delete %(model)s"),
    "view": _("Can view %(model)s"),
}


def permission_label(permission: Permission) -> str:
    """A permission in Arabic: built from the model's verbose name, never the stored name."""
    model = permission.content_type.model_class()
    if model is None:
        return permission.name
    custom = dict(model._meta.permissions)
    if permission.codename in custom:
        label = str(custom[permission.codename])
    else:
        action, _sep, _model = permission.codename.partition("_")
        if action not in PERMISSION_ACTIONS:
            return permission.name
        label = PERMISSION_ACTIONS[action] % {"model": model._meta.verbose_name}
    return f"{model._meta.app_config.verbose_name}: {label}"


class RoleFilter(admin.SimpleListFilter):
    """Filter users by role, under the roles' Arabic names."""

    title = _("role")
    parameter_name = "role"

    def lookups(self, request, model_admin):
        return [(group.pk, role_label(group.name)) for group in Group.objects.order_by("name")]

    def queryset(self, request, queryset):
        if self.value():
            return queryset.filter(groups__pk=self.value())
        return queryset


class SiteAdminOnly:
    """Accounts and roles are the site admin's business (superusers), nobody else's."""

    def has_module_permission(self, request):
        return request.user.is_active and request.user.is_superuser

    def has_view_permission(self, request, obj=None):
        return self.has_module_permission(request)

    def has_add_permission(self, request):
        return self.has_module_permission(request)

    def has_change_permission(self, request, obj=None):
        return self.has_module_permission(request)

    def has_delete_permission(self, request, obj=None):
        return self.has_module_permission(request)


class PasswordChangeForm(AdminPasswordChangeForm):
    """Django's form for setting a user's password in the admin; Django 5.2 leaves the
    warning under its "password-based authentication" choice untranslatable."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "usable_password" in self.fields:
            self.fields["usable_password"].help_text = format_html(
                '{}<ul id="id_unusable_warning" class="messagelist"><li class="warning">{}'
                "</li></ul>",
                SetUnusablePasswordMixin.usable_password_help_text,
                _("If disabled, the current password for this user will be lost."),
            )


@admin.register(User)
class UserAdmin(NewsroomAdminMixin, SiteAdminOnly, DjangoUserAdmin):
    change_password_form = PasswordChangeForm
    list_display = ("username", "display_name", "email", "staff", "roles", "two_factor", "active")
    actions = ["reset_second_factor"]
    list_filter = ("is_staff", "is_superuser", "is_active", RoleFilter)
    search_fields = ("username", "display_name", "first_name", "last_name", "email")
    # Roles are given by group; raw permissions (stored in English) stay out of the form.
    filter_horizontal = ("groups",)
    fieldsets = (
        *(
            (name, {**options, "fields": [f for f in options["fields"] if f != "user_permissions"]})
            for name, options in DjangoUserAdmin.fieldsets
        ),
        (
            _("Public profile"),
            {"fields": ("display_name", "bio", "photo", "email_confirmed")},
        ),
    )

    def get_queryset(self, request):
        authenticator = TOTPDevice.objects.filter(user=OuterRef("pk"), confirmed=True)
        return (
            super()
            .get_queryset(request)
            .prefetch_related("groups")
            .annotate(has_authenticator=Exists(authenticator))
        )

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if db_field.name == "groups":
            # Role shows each group under its Arabic name.
            kwargs["queryset"] = Role.objects.order_by("name")
            kwargs["label"] = _("roles")
            kwargs["help_text"] = _("The roles give this account its rights in the newsroom.")
        return super().formfield_for_manytomany(db_field, request, **kwargs)

    @admin.display(description=_("roles"))
    def roles(self, obj):
        return "، ".join(role_label(g.name) for g in obj.groups.all()) or "—"

    @admin.display(description=_("staff status"), ordering="is_staff")
    def staff(self, obj):
        return yes_no_icon(obj.is_staff)

    @admin.display(description=_("two-factor sign-in"), ordering="has_authenticator")
    def two_factor(self, obj):
        return yes_no_icon(obj.has_authenticator)

    @admin.action(description=_("Reset two-factor sign-in of the selected users"))
    def reset_second_factor(self, request, queryset):
        """For a lost phone: the user sets up a new authenticator at their next sign-in. Each
        reset is written to the user's history."""
        for user in queryset:
            services.second_factor_reset(user=user, actor=request.user)
        count = len(queryset)
        self.message_user(
            request,
            ngettext(
                "Two-factor sign-in was reset for %(count)d user.",
                "Two-factor sign-in was reset for %(count)d users.",
                count,
            )
            % {"count": count},
            messages.SUCCESS,
        )

    @admin.display(description=_("active"), ordering="is_active")
    def active(self, obj):
        return yes_no_icon(obj.is_active)


admin.site.unregister(Group)
# django-otp's own admin pages show secret keys and recovery codes to any superuser; the
# newsroom manages second factors through the user's own pages and the reset action above.
admin.site.unregister(TOTPDevice)
admin.site.unregister(StaticDevice)


NEWSROOM_APPS = ["accounts", "articles", "comments", "taggit"]


class PermissionChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        return permission_label(obj)


@admin.register(Group)
class GroupAdmin(NewsroomAdminMixin, SiteAdminOnly, admin.ModelAdmin):
    """The roles, each under its Arabic name (``Role``) and with its rights in Arabic.

    The three newsroom roles get their rights back from ``accounts.roles`` after every
    ``migrate``; this page is for looking at them and for any extra group a site needs.
    """

    list_display = ("__str__", "member_count")
    search_fields = ("name",)
    filter_horizontal = ("permissions",)

    def get_queryset(self, request):
        # Role is a proxy of Group: same rows, shown under their Arabic names.
        return Role.objects.annotate(members=Count("user"))

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if db_field.name == "permissions":
            # Rights over the newsroom's own content; library bookkeeping (sessions, lockout
            # records, revision tables) is no role's business.
            kwargs["queryset"] = Permission.objects.filter(
                content_type__app_label__in=NEWSROOM_APPS
            ).select_related("content_type")
            kwargs["form_class"] = PermissionChoiceField
            kwargs["label"] = _("rights")
        return super().formfield_for_manytomany(db_field, request, **kwargs)

    @admin.display(description=_("members"), ordering="members")
    def member_count(self, obj):
        return obj.members

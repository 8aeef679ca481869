from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.models import Group
from django.utils.translation import gettext_lazy as _

from .models import User
from .roles import ROLE_LABELS


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


@admin.register(User)
class UserAdmin(SiteAdminOnly, DjangoUserAdmin):
    list_display = ("username", "display_name", "email", "is_staff", "roles", "is_active")
    list_filter = ("is_staff", "is_superuser", "is_active", "groups")
    search_fields = ("username", "display_name", "first_name", "last_name", "email")
    fieldsets = (
        *DjangoUserAdmin.fieldsets,
        (
            _("Public profile"),
            {"fields": ("display_name", "bio", "photo", "email_confirmed")},
        ),
    )

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("groups")

    @admin.display(description=_("roles"))
    def roles(self, obj):
        return "، ".join(str(ROLE_LABELS.get(g.name, g.name)) for g in obj.groups.all()) or "—"


admin.site.unregister(Group)


@admin.register(Group)
class GroupAdmin(SiteAdminOnly, admin.ModelAdmin):
    search_fields = ("name",)
    filter_horizontal = ("permissions",)

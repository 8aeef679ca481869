from django.contrib import admin

from .models import OutboxMessage


@admin.register(OutboxMessage)
class OutboxMessageAdmin(admin.ModelAdmin):
    """Read-only: shows what waits for the broker (normally nothing)."""

    list_display = ["task_name", "created_at", "attempts", "last_error"]
    readonly_fields = ["id", "task_name", "args", "kwargs", "created_at", "attempts", "last_error"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

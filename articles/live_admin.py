"""Admin of the breaking strip and of live coverage updates."""

from django.contrib import admin
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from levant24.admin_site import NewsroomAdminMixin, yes_no_icon

from .models import BreakingLine


@admin.register(BreakingLine)
class BreakingLineAdmin(NewsroomAdminMixin, admin.ModelAdmin):
    list_display = ("text", "expires_at", "shown", "created_by", "created_at")
    list_select_related = ("created_by",)
    fields = ("text", "article", "expires_at")
    autocomplete_fields = ("article",)
    search_fields = ("text",)

    def get_changeform_initial_data(self, request):
        initial = super().get_changeform_initial_data(request)
        initial.setdefault("expires_at", timezone.now() + timezone.timedelta(hours=2))
        return initial

    @admin.display(description=_("on the site now"))
    def shown(self, obj):
        current = BreakingLine.objects.current().values_list("pk", flat=True).first()
        return yes_no_icon(obj.pk == current)

    def save_model(self, request, obj, form, change):
        if not change:
            obj.created_by = request.user
        super().save_model(request, obj, form, change)

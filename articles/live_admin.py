"""Admin of the breaking strip and of live coverage updates."""

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db import models
from django.db.models import BooleanField, Count, ExpressionWrapper, Max, Q, Subquery
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html, strip_tags
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _

from levant24.admin_site import NewsroomAdminMixin, yes_no_icon

from . import services
from .admin import BaseArticleAdmin
from .models import Article, BreakingLine, Kind, LiveArticle, LiveUpdate


class LiveCoverageFilter(admin.RelatedFieldListFilter):
    """Only live coverages, newest first (not every article of the site)."""

    def field_choices(self, field, request, model_admin):
        return [
            (a.pk, a.title)
            for a in Article.objects.filter(kind=Kind.LIVE).order_by("-created_at")[:50]
        ]


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

    def get_queryset(self, request):
        # Whether each line is the one the strip shows, in the list's own query.
        current = BreakingLine.objects.current().values("pk")[:1]
        return (
            super()
            .get_queryset(request)
            .annotate(
                is_current=ExpressionWrapper(Q(pk=Subquery(current)), output_field=BooleanField())
            )
        )

    @admin.display(description=_("on the site now"), boolean=False)
    def shown(self, obj):
        return yes_no_icon(bool(getattr(obj, "is_current", False)))

    def save_model(self, request, obj, form, change):
        if not change:
            obj.created_by = request.user
        super().save_model(request, obj, form, change)

    def get_urls(self):
        return [
            path(
                "desk/",
                self.admin_site.admin_view(self.desk_view),
                name="articles_breakingline_desk",
            ),
            *super().get_urls(),
        ]

    def desk_view(self, request):
        """The live desk: the breaking line on the site now and the live coverages, with the
        quick actions an editor needs while news breaks."""
        if not self.has_view_permission(request):
            raise PermissionDenied
        if request.method == "POST":
            return self.desk_action(request)
        coverages = (
            Article.objects.filter(kind=Kind.LIVE)
            .annotate(
                update_count=Count("live_updates"), last_update=Max("live_updates__posted_at")
            )
            .select_related("section")
        )
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": _("Live desk"),
            "breaking": BreakingLine.objects.current().select_related("created_by").first(),
            "open_coverages": coverages.filter(coverage_ended_at__isnull=True).order_by(
                "-created_at"
            ),
            "ended_coverages": coverages.filter(coverage_ended_at__isnull=False).order_by(
                "-coverage_ended_at"
            )[:5],
            "can_change_breaking": self.has_change_permission(request),
            "can_add_breaking": self.has_add_permission(request),
            "can_add_update": request.user.has_perm("articles.add_liveupdate"),
            "can_end": services.user_can_publish(request.user),
        }
        return TemplateResponse(request, "admin/articles/live_desk.html", context)

    def desk_action(self, request):
        action = request.POST.get("action")
        if action == "take_down":
            line = get_object_or_404(BreakingLine, pk=request.POST.get("line"))
            if not self.has_change_permission(request, line):
                raise PermissionDenied
            services.breaking_line_take_down(line=line)
            self.message_user(request, _("The breaking line is off the site."), messages.SUCCESS)
        elif action == "end_coverage":
            article = get_object_or_404(Article, pk=request.POST.get("article"), kind=Kind.LIVE)
            services.live_coverage_end(article=article, by=request.user)
            self.message_user(request, _("Live coverage ended."), messages.SUCCESS)
        return HttpResponseRedirect(reverse("admin:articles_breakingline_desk"))


@admin.register(LiveUpdate)
class LiveUpdateAdmin(NewsroomAdminMixin, admin.ModelAdmin):
    """Updates are written one by one, without opening the coverage's whole article form:
    "Add update" comes back to a fresh form for the same coverage."""

    list_display = ("posted_at", "summary", "article", "pinned", "author")
    list_display_links = ("posted_at", "summary")
    list_select_related = ("article", "author")
    list_filter = (("article", LiveCoverageFilter), "pinned")
    search_fields = ("body",)
    fields = ("article", "body", "pinned", "image", "image_alt", "embed_url", "posted_at")
    autocomplete_fields = ("article",)
    date_hierarchy = "posted_at"

    def get_changeform_initial_data(self, request):
        initial = super().get_changeform_initial_data(request)
        article_id = request.GET.get("article")
        if article_id and article_id.isdigit():
            initial["article"] = int(article_id)
        return initial

    def get_readonly_fields(self, request, obj=None):
        return ("article",) if obj is not None else ()

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        if isinstance(db_field, models.URLField):
            kwargs.setdefault("assume_scheme", "https")  # as articles.admin.https_url_formfield
        return super().formfield_for_dbfield(db_field, request, **kwargs)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "article":
            kwargs["queryset"] = Article.objects.filter(kind=Kind.LIVE)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    @admin.display(description=_("text"))
    def summary(self, obj):
        return Truncator(strip_tags(obj.body)).chars(80)

    def save_model(self, request, obj, form, change):
        if not change:
            obj.author = request.user
        super().save_model(request, obj, form, change)

    def response_add(self, request, obj, post_url_continue=None):
        if "_continue" in request.POST or "_popup" in request.POST:
            return super().response_add(request, obj, post_url_continue)
        self.message_user(request, _("The update is on the coverage."), messages.SUCCESS)
        url = reverse("admin:articles_liveupdate_add")
        return HttpResponseRedirect(f"{url}?article={obj.article_id}")


class LiveArticleAdmin(BaseArticleAdmin):
    kind = Kind.LIVE
    actions = (*BaseArticleAdmin.actions, "end_coverage")

    def get_readonly_fields(self, request, obj=None):
        return (*super().get_readonly_fields(request, obj), "live_updates_links")

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        if obj is not None:
            fieldsets.insert(0, (_("Live updates"), {"fields": ("live_updates_links",)}))
        return fieldsets

    @admin.display(description=_("updates"))
    def live_updates_links(self, obj):
        add = reverse("admin:articles_liveupdate_add")
        listing = reverse("admin:articles_liveupdate_changelist")
        return format_html(
            '<a class="button" href="{}?article={}">{}</a> <a href="{}?article__id__exact={}">{}</a>',
            add,
            obj.pk,
            _("Add an update"),
            listing,
            obj.pk,
            _("Edit or delete updates (%(count)s)") % {"count": obj.live_updates.count()},
        )

    @admin.action(description=_("End the live coverage"))
    def end_coverage(self, request, queryset):
        if not services.user_can_publish(request.user):
            raise PermissionDenied
        for article in queryset:
            services.live_coverage_end(article=article, by=request.user)
        self.message_user(request, _("Live coverage ended."), messages.SUCCESS)


admin.site.unregister(LiveArticle)
admin.site.register(LiveArticle, LiveArticleAdmin)

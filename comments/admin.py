from django import forms
from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied
from django.db.models import Count, IntegerField, OuterRef, Prefetch, Q, Subquery, Value
from django.db.models.functions import Coalesce, Upper
from django.http import Http404, HttpResponseNotAllowed, HttpResponseRedirect
from django.template.defaultfilters import date as date_filter
from django.template.defaultfilters import linebreaksbr, truncatechars
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from levant24.admin_site import NewsroomAdminMixin

from . import services
from .models import (
    BannedWord,
    Comment,
    CommentEdit,
    CommentReport,
    InnocentWord,
    ModerationSettings,
    Status,
)

REPORTED = "reported"
REPORTERS_SHOWN = 5
ALL = "all"


class QueueFilter(admin.SimpleListFilter):
    """Tabs of the moderation queue; it opens on the pending comments."""

    title = _("queue")
    parameter_name = "status"

    def lookups(self, request, model_admin):
        counts = Comment.objects.aggregate(
            **{value: Count("pk", filter=Q(status=value)) for value in Status.values},
        )
        counts["reported"] = Comment.objects.reported().count()
        reported = gettext("Reported")
        tabs = [(value, f"{label} ({counts[value]})") for value, label in Status.choices]
        tabs.append((REPORTED, f"{reported} ({counts['reported']})"))
        tabs.append((ALL, gettext("All")))
        return tabs

    def value(self):
        return super().value() or Status.PENDING

    def choices(self, changelist):
        for lookup, title in self.lookup_choices:
            yield {
                "selected": self.value() == str(lookup),
                "query_string": changelist.get_query_string({self.parameter_name: lookup}),
                "display": title,
            }

    def queryset(self, request, queryset):
        value = self.value()
        if value == ALL:
            return queryset
        if value == REPORTED:
            return queryset.reported()
        if value in Status.values:
            return queryset.filter(status=value)
        return queryset


class CommentEditInline(admin.TabularInline):
    model = CommentEdit
    extra = 0
    can_delete = False
    fields = ["edited_at", "edited_by", "old_text", "new_text"]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class CommentReportInline(admin.TabularInline):
    model = CommentReport
    extra = 0
    can_delete = False
    fields = ["created_at", "user", "ip_address", "counted"]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


# (status, label, keyboard shortcut); moderation.js presses a row's button on its key.
MODERATION_BUTTONS = (
    (Status.APPROVED, _("Approve"), "A"),
    (Status.REJECTED, _("Reject"), "R"),
    (Status.SPAM, _("Spam"), "S"),
)
HISTORY_STATUSES = (Status.APPROVED, Status.REJECTED, Status.SPAM)


def _history_count(status: str):
    """How many other comments from the same email (any case) ended with ``status``.

    A correlated subquery per status, answered from the index on UPPER(email): the queue
    costs the same number of queries whatever the number of rows.
    """
    others = (
        Comment.objects.annotate(email_key=Upper("email"))
        .filter(email_key=Upper(OuterRef("email")), status=status)
        .exclude(pk=OuterRef("pk"))
        .order_by()
        .values("email_key")
        .annotate(total=Count("pk"))
        .values("total")
    )
    return Coalesce(Subquery(others, output_field=IntegerField()), Value(0))


@admin.register(Comment)
class CommentAdmin(NewsroomAdminMixin, admin.ModelAdmin):
    """The moderation queue: each row is the comment itself, large, with who wrote it (and
    what became of their earlier comments), where, in reply to whom, and the buttons."""

    change_list_template = "comments/admin/comment_change_list.html"
    list_display = ["comment_in_context", "reporters", "moderation_buttons"]
    list_display_links = None
    list_filter = [QueueFilter, "is_featured", "created_at"]
    list_select_related = ["article", "parent"]
    list_per_page = 50
    search_fields = ["text", "name", "email", "ip_address", "article__title"]
    date_hierarchy = "created_at"
    ordering = ["-created_at", "-id"]
    actions = ["approve_selected", "reject_selected", "spam_selected", "feature_selected"]
    fields = [
        "article_link",
        "parent_excerpt",
        "status",
        "moderation_buttons",
        "text",
        "is_featured",
        "name",
        "email",
        "website",
        "user",
        "ip_address",
        "user_agent",
        "created_at",
        "moderated_by",
        "moderated_at",
        "flag_count",
    ]
    readonly_fields = [f for f in fields if f not in ("text", "is_featured")]
    inlines = [CommentEditInline, CommentReportInline]

    class Media:
        css = {"all": ["admin-rtl/moderation.css"]}
        js = ["admin-rtl/moderation.js"]

    def get_queryset(self, request):
        # The reporters column: every report of the page's comments in one more query.
        reports = CommentReport.objects.select_related("user").order_by("created_at")
        return (
            super()
            .get_queryset(request)
            .annotate(
                **{f"history_{status}": _history_count(status) for status in HISTORY_STATUSES}
            )
            .prefetch_related(Prefetch("reports", reports))
        )

    def has_add_permission(self, request):
        # Comments come from readers, through the site's own rules.
        return False

    # --- list columns -------------------------------------------------------------------

    @admin.display(description=_("reports"), ordering="flag_count")
    def reporters(self, obj):
        """Who reported the comment; ✓ marks the reports that count towards the queue."""
        reports = list(obj.reports.all())
        if not reports:
            return str(obj.flag_count or "")
        shown = format_html_join(
            "",
            '<div><bdi>{}</bdi> <small dir="ltr">{}</small>{}</div>',
            (
                (
                    report.user.public_name if report.user else gettext("guest"),
                    report.ip_address or "",
                    " ✓" if report.counted else "",
                )
                for report in reports[:REPORTERS_SHOWN]
            ),
        )
        more = ""
        if len(reports) > REPORTERS_SHOWN:
            more = format_html(
                "<div>{}</div>",
                gettext("and %(count)d more") % {"count": len(reports) - REPORTERS_SHOWN},
            )
        counted = gettext("%(counted)d of %(total)d count") % {
            "counted": obj.flag_count,
            "total": len(reports),
        }
        return format_html("<strong>{}</strong>{}{}", counted, shown, more)

    @admin.display(description=_("comment"))
    def comment_in_context(self, obj):
        change_url = reverse("admin:comments_comment_change", args=[obj.pk])
        reply = ""
        if obj.parent_id:
            reply = format_html(
                '<blockquote class="mod-parent"><span>{}</span> <q dir="auto">{}</q></blockquote>',
                gettext("In reply to %(name)s:") % {"name": obj.parent.name},
                truncatechars(obj.parent.text, 240),
            )
        flags = ""
        if obj.flag_count:
            flags = format_html(
                '<span class="mod-flags">{}</span>',
                gettext("Reports: %(count)s") % {"count": obj.flag_count},
            )
        picked = ""
        if obj.is_featured:
            picked = format_html('<span class="mod-picked">{}</span>', gettext("Editor's pick"))
        return format_html(
            '<article class="mod-card" aria-label="{}">'
            '<header class="mod-who"><bdi class="mod-name">{}</bdi> {}'
            '<small class="mod-email">{}</small></header>'
            '<p class="mod-meta"><span class="status-badge mod-status-{}">{}</span> '
            '<time datetime="{}">{}</time> {} {}</p>'
            '<p class="mod-article">{} <a href="{}" target="_blank" rel="noopener">{}</a></p>'
            '{}<div class="mod-text" dir="auto">{}</div>'
            '<a class="mod-edit" href="{}">{}</a></article>',
            gettext("Comment by %(name)s") % {"name": obj.name},
            obj.name,
            self._history(obj),
            obj.email,
            obj.status,
            obj.get_status_display(),
            obj.created_at.isoformat(),
            date_filter(timezone.localtime(obj.created_at), "d/m/Y H:i"),
            flags,
            picked,
            gettext("On:"),
            obj.article.get_absolute_url(),
            obj.article.title,
            reply,
            linebreaksbr(obj.text, autoescape=True),
            change_url,
            gettext("Edit"),
        )

    def _history(self, obj):
        """The commenter's earlier comments by outcome, beside the name (Coral-style)."""
        counts = [getattr(obj, f"history_{status}", None) for status in HISTORY_STATUSES]
        if None in counts:
            return ""
        if not any(counts):
            return format_html(
                '<span class="mod-history mod-history-new">{}</span>', gettext("First comment")
            )
        labels = (
            gettext("approved: %(count)s"),
            gettext("rejected: %(count)s"),
            gettext("spam: %(count)s"),
        )
        items = format_html_join(
            " ",
            '<span class="mod-history-{}">{}</span>',
            (
                (status, label % {"count": count})
                for status, label, count in zip(HISTORY_STATUSES, labels, counts, strict=True)
            ),
        )
        return format_html(
            '<span class="mod-history" title="{}">{}</span>',
            gettext("Earlier comments from this email"),
            items,
        )

    @admin.display(description=_("moderate"))
    def moderation_buttons(self, obj):
        if obj is None or obj.pk is None:
            return ""
        url = reverse("admin:comments_comment_moderate", args=[obj.pk])
        # The buttons submit the page's own form (and its CSRF token) to the moderation URL.
        buttons = format_html_join(
            " ",
            '<button type="submit" class="button mod-button mod-button-{}" formaction="{}" '
            'name="status" value="{}" aria-keyshortcuts="{}">{} <kbd aria-hidden="true">{}</kbd>'
            "</button>",
            (
                (value, url, value, key, label, key)
                for value, label, key in MODERATION_BUTTONS
                if value != obj.status
            ),
        )
        feature_label = _("Remove pick") if obj.is_featured else _("Editor's pick")
        feature = format_html(
            '<button type="submit" class="button mod-button mod-button-pick" formaction="{}" '
            'name="featured" value="{}">{}</button>',
            url,
            "0" if obj.is_featured else "1",
            feature_label,
        )
        return format_html('<div class="mod-buttons">{} {}</div>', buttons, feature)

    @admin.display(description=_("article"))
    def article_link(self, obj):
        return format_html(
            '<a href="{}" target="_blank" rel="noopener">{}</a>',
            obj.article.get_absolute_url(),
            obj.article.title,
        )

    @admin.display(description=_("in reply to"))
    def parent_excerpt(self, obj):
        if not obj.parent_id:
            return "—"
        return format_html(
            '<bdi>{}</bdi>: <q dir="auto">{}</q>',
            obj.parent.name,
            truncatechars(obj.parent.text, 200),
        )

    # --- the queue ----------------------------------------------------------------------

    def changelist_view(self, request, extra_context=None):
        pending = Comment.objects.pending().count()
        title = gettext("Comments: %(count)s awaiting moderation") % {"count": pending}
        return super().changelist_view(
            request, extra_context={"title": title, **(extra_context or {})}
        )

    def get_urls(self):
        info = self.opts.app_label, self.opts.model_name
        return [
            path(
                "<path:object_id>/moderate/",
                self.admin_site.admin_view(self.moderate_view),
                name="{}_{}_moderate".format(*info),
            ),
            *super().get_urls(),
        ]

    def moderate_view(self, request, object_id):
        """One click: approve, reject, spam or (un)feature a single comment."""
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        comment = self.get_object(request, unquote(object_id))
        if comment is None:
            raise Http404
        if not self.has_change_permission(request, comment):
            raise PermissionDenied
        status = request.POST.get("status")
        featured = request.POST.get("featured")
        if status in Status.values:
            services.comment_set_status(comment=comment, status=status, by=request.user)
            self.message_user(
                request,
                gettext("Comment by %(name)s: %(status)s.")
                % {"name": comment.name, "status": comment.get_status_display()},
                messages.SUCCESS,
            )
        elif featured in ("0", "1"):
            services.comment_set_featured(comment=comment, featured=featured == "1")
            self.message_user(request, gettext("Editor's pick updated."), messages.SUCCESS)
        else:
            self.message_user(request, gettext("Nothing was changed."), messages.WARNING)
        back = request.META.get("HTTP_REFERER", "")
        if not url_has_allowed_host_and_scheme(
            back, allowed_hosts={request.get_host()}, require_https=request.is_secure()
        ):
            back = reverse("admin:comments_comment_changelist")
        return HttpResponseRedirect(back)

    # --- bulk actions -------------------------------------------------------------------

    def _bulk_status(self, request, queryset, status):
        count = 0
        for comment in queryset:
            services.comment_set_status(comment=comment, status=status, by=request.user)
            count += 1
        self.message_user(
            request,
            gettext("%(count)s comments changed to: %(status)s.")
            % {"count": count, "status": Status(status).label},
            messages.SUCCESS,
        )

    @admin.action(description=_("Approve selected comments"), permissions=["change"])
    def approve_selected(self, request, queryset):
        self._bulk_status(request, queryset, Status.APPROVED)

    @admin.action(description=_("Reject selected comments"), permissions=["change"])
    def reject_selected(self, request, queryset):
        self._bulk_status(request, queryset, Status.REJECTED)

    @admin.action(description=_("Mark selected comments as spam"), permissions=["change"])
    def spam_selected(self, request, queryset):
        self._bulk_status(request, queryset, Status.SPAM)

    @admin.action(description=_("Make selected comments editor's picks"), permissions=["change"])
    def feature_selected(self, request, queryset):
        for comment in queryset:
            services.comment_set_featured(comment=comment, featured=True)
        self.message_user(request, gettext("Editor's pick updated."), messages.SUCCESS)

    # --- deleting -----------------------------------------------------------------------
    # Deleting a comment deletes its replies, at any depth. Django's own confirmation page
    # and deletion walk a reply chain recursively and fail on a deep one; these do not.

    def get_deleted_objects(self, objs, request):
        selected = list(objs)
        ids = services.comment_thread_ids(ids=[obj.pk for obj in selected])
        replies = len(ids) - len({obj.pk for obj in selected})
        listed = [str(obj) for obj in selected]
        if replies:
            listed.append(gettext("and %(count)d replies to them") % {"count": replies})
        model_count = {Comment._meta.verbose_name_plural: len(ids)}
        perms_needed = set()
        if not self.has_delete_permission(request):
            perms_needed.add(Comment._meta.verbose_name)
        return listed, model_count, perms_needed, []

    def delete_model(self, request, obj):
        services.comments_delete(ids=[obj.pk])

    def delete_queryset(self, request, queryset):
        services.comments_delete(ids=list(queryset.values_list("pk", flat=True)))

    # --- editing ------------------------------------------------------------------------

    def save_model(self, request, obj, form, change):
        """Edits go through the services: text changes are recorded."""
        current = Comment.objects.get(pk=obj.pk)
        if "text" in form.changed_data:
            services.comment_edit_text(
                comment=current, text=form.cleaned_data["text"], by=request.user
            )
        if "is_featured" in form.changed_data:
            services.comment_set_featured(
                comment=current, featured=form.cleaned_data["is_featured"]
            )


class SentenceForm(forms.Form):
    text = forms.CharField(
        label=_("Sentence"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 4, "dir": "auto"}),
    )


@admin.register(BannedWord)
class BannedWordAdmin(NewsroomAdminMixin, admin.ModelAdmin):
    list_display = ["word", "action", "created_at"]
    list_filter = ["action"]
    search_fields = ["word"]
    fields = ["word", "action"]
    change_list_template = "admin/comments/bannedword/change_list.html"

    def get_urls(self):
        info = self.opts.app_label, self.opts.model_name
        return [
            path(
                "test/",
                self.admin_site.admin_view(self.test_view),
                name="{}_{}_test".format(*info),
            ),
            *super().get_urls(),
        ]

    def test_view(self, request):
        """Try a sentence against the current banned and innocent words; nothing is saved."""
        if not self.has_view_permission(request):
            raise PermissionDenied
        form = SentenceForm(request.POST or None)
        result = None
        if request.method == "POST" and form.is_valid():
            result = services.banned_words_check(form.cleaned_data["text"])
            result["status_label"] = Status(result["status"]).label if result["status"] else ""
            actions = dict(BannedWord.Action.choices)
            result["matched"] = [(word, actions[action]) for word, action in result["matched"]]
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": gettext("Test a sentence against the word filter"),
            "form": form,
            "result": result,
        }
        return TemplateResponse(request, "admin/comments/bannedword/test_sentence.html", context)


@admin.register(InnocentWord)
class InnocentWordAdmin(NewsroomAdminMixin, admin.ModelAdmin):
    list_display = ["word", "note", "created_at"]
    search_fields = ["word", "note"]
    fields = ["word", "note"]


@admin.register(ModerationSettings)
class ModerationSettingsAdmin(NewsroomAdminMixin, admin.ModelAdmin):
    fieldsets = [
        (
            _("Approval"),
            {"fields": ["hold_all", "auto_approve_known_email", "link_threshold"]},
        ),
        (_("Blocking"), {"fields": ["blocked_emails", "blocked_ips"]}),
        (
            _("Limits"),
            {"fields": ["close_after_days", "hourly_limit", "reports_threshold"]},
        ),
        (_("Notifications"), {"fields": ["notify_moderators", "digest_minutes"]}),
    ]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def changelist_view(self, request, extra_context=None):
        """There is one set of rules: go straight to it."""
        obj, _created = ModerationSettings.objects.get_or_create(pk=1)
        return HttpResponseRedirect(
            reverse("admin:comments_moderationsettings_change", args=[obj.pk])
        )

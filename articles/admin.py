"""The newsroom admin: one entry per kind, the workflow, revisions and previews.

Rights are checked on the server for every path: the querysets a journalist can
reach, the object-level ``has_*_permission`` methods, and the workflow services
themselves (``articles.services``), which refuse an action the user may not take.
"""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connections, models, router
from django.db.models import Count, Q
from django.http import HttpResponseRedirect, JsonResponse
from django.shortcuts import get_object_or_404
from django.template.defaultfilters import truncatechars
from django.urls import path, reverse
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from taggit.forms import TagField, TagWidget
from taggit.models import Tag

from levant24.admin_site import NewsroomAdminMixin

from . import body_images, revisions, services
from .models import KIND_PROXIES, Article, Kind, Section, SiteSettings, Status
from .sanitize import clean_html

# Field groups of the article form.
# Title, then the body as the main field (as in WordPress or Ghost), then the rest.
CONTENT_FIELDS = ("title", "body", "lead", "section", "tags", "slug")
IMAGE_FIELDS = ("image", "image_preview", "image_caption", "image_credit", "image_alt")
KIND_FIELDS = {
    Kind.INTERVIEW: ("interviewee_name", "interviewee_role"),
    Kind.VIDEO: ("video_url",),
    Kind.LIVE: ("coverage_ended_at",),
}
ALL_KIND_FIELDS = ("interviewee_name", "interviewee_role", "video_url", "coverage_ended_at")
EDITOR_ONLY_FIELDS = ("author", "published_at", "is_lead", "notify", "review_note")
WORKFLOW_READONLY = ("status_badge", "published_by", "created_at", "updated_at")

# Names of the workflow buttons on the change form, and the step each one takes.
SUBMIT = "_submit_review"
PUBLISH = "_publish"
UNPUBLISH = "_unpublish"
SEND_BACK = "_send_back"
BUTTON_ACTIONS = {
    SUBMIT: services.Action.SUBMIT,
    PUBLISH: services.Action.PUBLISH,
    UNPUBLISH: services.Action.UNPUBLISH,
    SEND_BACK: services.Action.SEND_BACK,
}


def pressed_action(data) -> "services.Action | None":
    """The workflow step of the button that submitted the form, if any."""
    for button, action in BUTTON_ACTIONS.items():
        if button in data:
            return action
    return None


def clean_html_safe(html: str):
    """Stored bodies are cleaned on save; cleaned again here before being shown as HTML."""
    return mark_safe(clean_html(html or ""))  # noqa: S308


class TagAutocompleteWidget(TagWidget):
    """taggit's comma-separated input, with suggestions from existing tags (tag-autocomplete.js)."""

    class Media:
        js = ["admin-rtl/tag-autocomplete.js"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.attrs.setdefault("class", "vTextField")
        self.attrs["autocomplete"] = "off"


def https_url_formfield(db_field, **kwargs):
    """A link typed without a scheme is https (Django 6's default; saying so keeps Django 5.2
    from warning about the change)."""
    if isinstance(db_field, models.URLField):
        kwargs.setdefault("assume_scheme", "https")
    return db_field.formfield(**kwargs)


class ArticleAdminForm(forms.ModelForm):
    """Refuses a save when the article changed since the form was opened."""

    loaded_version = forms.CharField(
        label=gettext_lazy("version opened"), widget=forms.HiddenInput, required=False
    )
    tags = TagField(
        label=gettext_lazy("tags"),
        required=False,
        widget=TagAutocompleteWidget,
        help_text=gettext_lazy("Separate tags with commas (، or ,) or semicolons (؛)."),
    )

    class Meta:
        model = Article
        formfield_callback = https_url_formfield
        # The ModelAdmin narrows this per kind and role through its fieldsets.
        fields = (
            "kind",
            *CONTENT_FIELDS,
            "image",
            "image_caption",
            "image_credit",
            "image_alt",
            *ALL_KIND_FIELDS,
            *EDITOR_ONLY_FIELDS,
            "comments_open",
        )

    # Set by the ModelAdmin on the form class it builds.
    tag_suggest_url = ""
    user = None

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.tag_suggest_url and "tags" in self.fields:
            self.fields["tags"].widget.attrs["data-suggest-url"] = self.tag_suggest_url
        if self.instance.pk and self.instance.updated_at:
            self.fields["loaded_version"].initial = self.instance.updated_at.isoformat()

    def clean(self):
        cleaned = super().clean()
        if self.instance.pk:
            self._check_not_changed_meanwhile()
        self._check_transition(cleaned)
        sending_back = SEND_BACK in self.data and "review_note" in self.fields
        if sending_back and not (cleaned.get("review_note") or "").strip():
            self.add_error(
                "review_note",
                _("Write a note for the author when sending an article back."),
            )
        return cleaned

    def _check_transition(self, cleaned):
        """Refuse a workflow button that the article's current state does not allow.

        The rule is the services' own (``article_allowed_actions``); a button the user's role
        never allows is refused outright.
        """
        action = pressed_action(self.data)
        if action is None:
            return
        article = self.instance
        try:
            services.article_require_action(action, article=article, by=self.user)
        except ValidationError:
            raise ValidationError(
                _("This action does not apply to the article in its current state."),
                code="invalid_transition",
            ) from None

    def _check_not_changed_meanwhile(self):
        # Read from the primary database, never from a replica that may lag.
        db = router.db_for_write(Article, instance=self.instance)
        rows = Article.objects.using(db).filter(pk=self.instance.pk)
        if connections[db].in_atomic_block:
            # The admin saves inside a transaction: hold the row so that two
            # simultaneous saves cannot both pass this check.
            rows = rows.select_for_update()
        current = rows.values_list("updated_at", flat=True).first()
        loaded = parse_datetime(self.cleaned_data.get("loaded_version") or "")
        if current is not None and loaded != current:
            raise ValidationError(
                _(
                    "This article was changed by someone else at %(time)s, after you opened it. "
                    "Your text has not been saved and is still in the form below: copy what you "
                    "need, then open the article again to see the latest version."
                )
                % {"time": timezone.localtime(current).strftime("%d/%m/%Y %H:%M")},
                code="changed_meanwhile",
            )


class ArticleStatusFilter(admin.SimpleListFilter):
    title = gettext_lazy("status")
    parameter_name = "status"

    def lookups(self, request, model_admin):
        return [
            ("draft", _("Draft")),
            ("sent_back", _("Sent back")),
            ("review", _("In review")),
            ("scheduled", _("Scheduled")),
            ("published", _("Published")),
        ]

    def queryset(self, request, queryset):
        now = timezone.now()
        value = self.value()
        if value == "draft":
            return queryset.filter(status=Status.DRAFT)
        if value == "sent_back":
            return queryset.filter(status=Status.DRAFT).exclude(review_note="")
        if value == "review":
            return queryset.filter(status=Status.REVIEW)
        if value == "scheduled":
            return queryset.filter(status=Status.PUBLISHED, published_at__gt=now)
        if value == "published":
            return queryset.filter(status=Status.PUBLISHED, published_at__lte=now)
        return queryset


def status_label(article: Article) -> tuple[str, str]:
    """(css modifier, label) of the article's place in the workflow."""
    if article.status == Status.PUBLISHED:
        if article.published_at and article.published_at > timezone.now():
            return "scheduled", _("Scheduled")
        return "published", _("Published")
    if article.status == Status.REVIEW:
        return "review", _("In review")
    if article.review_note:
        return "sent-back", _("Sent back")
    return "draft", _("Draft")


class BaseArticleAdmin(NewsroomAdminMixin, admin.ModelAdmin):
    """What every article list shares; subclasses fix ``kind`` (None = all kinds)."""

    kind: str | None = None
    form = ArticleAdminForm
    change_form_template = "admin/articles/article/change_form.html"
    list_display = (
        "thumbnail",
        "title",
        "kind_label",
        "section",
        "status_badge",
        "author_name",
        "published_at",
    )
    list_display_links = ("thumbnail", "title")
    list_select_related = ("section", "author")
    list_filter = (
        ArticleStatusFilter,
        "section",
        ("author", admin.RelatedOnlyFieldListFilter),
        "published_at",
    )
    search_fields = ("title", "lead")
    date_hierarchy = "published_at"
    prepopulated_fields = {"slug": ("title",)}
    list_per_page = 50
    actions = ("submit_for_review", "publish_now", "unpublish")
    save_on_top = False

    class Media:
        css = {"all": ["admin-rtl/prose-editor-rtl.css"]}
        js = ["admin-rtl/prose-editor-ar.js"]

    # ----- rights -------------------------------------------------------------

    def _concrete_perm(self, request, action: str) -> bool:
        # Roles hold the concrete Article permissions; the kind proxies share them.
        return request.user.has_perm(f"articles.{action}_article")

    def has_view_permission(self, request, obj=None):
        if obj is not None:
            # A journalist opens everything they wrote; what is submitted is read-only.
            return services.user_can_view(request.user, obj)
        return self._concrete_perm(request, "view") or self._concrete_perm(request, "change")

    def has_add_permission(self, request):
        return self._concrete_perm(request, "add")

    def has_change_permission(self, request, obj=None):
        if obj is not None:
            return services.user_can_edit(request.user, obj)
        return self._concrete_perm(request, "change")

    def has_delete_permission(self, request, obj=None):
        if obj is not None:
            return services.user_can_delete(request.user, obj)
        return self._concrete_perm(request, "delete")

    def has_publish_permission(self, request):
        return services.user_can_publish(request.user)

    def get_queryset(self, request):
        qs = super().get_queryset(request)
        if self.kind:
            qs = qs.filter(kind=self.kind)
        if not services.user_can_publish(request.user):
            # Journalists: everything they wrote, in every state ("my articles").
            qs = qs.filter(author=request.user)
        return qs

    def get_list_display(self, request):
        if services.user_can_publish(request.user):
            return self.list_display
        # The author is the journalist; the editor's note matters to them.
        columns = [c for c in self.list_display if c != "author_name"]
        return [*columns, "note_for_author"]

    # ----- form -----------------------------------------------------------------

    def get_fieldsets(self, request, obj=None):
        content = list(CONTENT_FIELDS)
        if self.kind is None:
            content.insert(content.index("section"), "kind")
        kind_fields = ALL_KIND_FIELDS if self.kind is None else KIND_FIELDS.get(self.kind, ())
        workflow = ["status_badge", "review_note"]
        if services.user_can_publish(request.user):
            workflow += ["author", "published_at", "published_by", "is_lead", "notify"]
        workflow += ["comments_open", "loaded_version"]
        fieldsets = [
            (None, {"fields": content}),
            (_("Featured image"), {"fields": IMAGE_FIELDS}),
        ]
        if kind_fields:
            fieldsets.append((_("Kind-specific details"), {"fields": kind_fields}))
        fieldsets.append((_("Workflow"), {"fields": workflow}))
        if obj is not None and not self.has_change_permission(request, obj):
            # Read-only (a journalist's submitted work): the body as readers will see it.
            content[content.index("body")] = "body_display"
        return fieldsets

    def get_readonly_fields(self, request, obj=None):
        readonly = list(WORKFLOW_READONLY) + ["image_preview"]
        if not services.user_can_publish(request.user):
            readonly += ["review_note"]
        return readonly

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        form.tag_suggest_url = reverse(f"admin:{self._url_prefix()}_tags")
        form.user = request.user
        if "kind" in form.base_fields and self.kind is None:
            form.base_fields["kind"].initial = Kind.NEWS
        return form

    def get_changeform_initial_data(self, request):
        initial = super().get_changeform_initial_data(request)
        initial.setdefault("author", request.user.pk)
        return initial

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        if isinstance(db_field, models.URLField):
            kwargs.setdefault("assume_scheme", "https")  # as https_url_formfield
        formfield = super().formfield_for_dbfield(db_field, request, **kwargs)
        if db_field.name == "body" and formfield is not None:
            # Images in the body go in a figure with a caption, uploaded through our page.
            config = formfield.widget.config
            extensions = dict(config.get("extensions", {}))
            extensions["Figure"] = {"pickerUrl": reverse(f"admin:{self._url_prefix()}_body_image")}
            extensions["Caption"] = True
            formfield.widget.config = {**config, "extensions": extensions}
        if db_field.name == "lead" and formfield is not None:
            # A summary is a sentence or two: a small box, so the body stays the main field.
            formfield.widget.attrs.update(rows=3, cols=60)
        if db_field.name == "published_at" and formfield is not None:
            # Django's split date/time widget labels only the pair, not its two inputs.
            date_input, time_input = formfield.widget.widgets
            date_input.attrs["aria-label"] = _("Publish date")
            time_input.attrs["aria-label"] = _("Publish hour")
        return formfield

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "author":
            kwargs["queryset"] = db_field.related_model.objects.authors().order_by("username")
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    # ----- list columns -------------------------------------------------------

    @admin.display(description=gettext_lazy("image"))
    def thumbnail(self, obj):
        if not obj.image:
            return "—"
        return format_html(
            '<img class="article-thumb" src="{}" alt="" width="64" height="40" loading="lazy">',
            obj.image.url,
        )

    @admin.display(description=gettext_lazy("kind"), ordering="kind")
    def kind_label(self, obj):
        return obj.get_kind_display()

    @admin.display(description=gettext_lazy("status"), ordering="status")
    def status_badge(self, obj):
        if obj is None or obj.pk is None:
            return format_html('<span class="status-badge status-draft">{}</span>', _("Draft"))
        modifier, label = status_label(obj)
        return format_html('<span class="status-badge status-{}">{}</span>', modifier, label)

    @admin.display(description=gettext_lazy("note from the editor"))
    def note_for_author(self, obj):
        news = ""
        if obj.news_for_author:
            news = format_html('<span class="news-badge">{}</span> ', _("New"))
        if obj.review_note and obj.status == Status.DRAFT:
            return format_html(
                '{}<span class="review-note-excerpt" dir="auto">{}</span>',
                news,
                truncatechars(obj.review_note, 140),
            )
        return news or "—"

    @admin.display(description=gettext_lazy("author"), ordering="author__username")
    def author_name(self, obj):
        return obj.author.public_name

    @admin.display(description=gettext_lazy("body"))
    def body_display(self, obj):
        return format_html('<div class="article-body-readonly">{}</div>', clean_html_safe(obj.body))

    @admin.display(description=gettext_lazy("image preview"))
    def image_preview(self, obj):
        if obj is None or not obj.image:
            return "—"
        return format_html(
            '<img class="article-image-preview" src="{}" alt="{}">', obj.image.url, obj.image_alt
        )

    # ----- saving and the workflow buttons ------------------------------------

    def save_model(self, request, obj, form, change):
        if self.kind:
            obj.kind = self.kind
        if not change and not (services.user_can_publish(request.user) and obj.author_id):
            obj.author = request.user
        if not change:
            obj.status = Status.DRAFT
        super().save_model(request, obj, form, change)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        revisions.describe_save(form=form, change=change, user=request.user)
        self._run_workflow_button(request, form.instance, form)

    def _run_workflow_button(self, request, obj, form):
        """Apply the workflow button that was pressed; the services check the rights."""
        article = obj  # just saved with the form's content
        action = pressed_action(request.POST)
        Action = services.Action
        if action == Action.SUBMIT:
            services.article_submit_for_review(article=article, by=request.user)
            self.message_user(request, _("The article was sent to the editors for review."))
        elif action == Action.PUBLISH:
            at = form.cleaned_data.get("published_at")
            if at is not None and at <= timezone.now():
                at = None
            services.article_publish(article=article, by=request.user, at=at)
            if article.published_at > timezone.now():
                self.message_user(request, _("The article is scheduled."), messages.SUCCESS)
            else:
                self.message_user(request, _("The article is published."), messages.SUCCESS)
        elif action == Action.UNPUBLISH:
            services.article_unpublish(article=article, by=request.user)
            self.message_user(request, _("The article was taken off the site."))
        elif action == Action.SEND_BACK:
            services.article_send_back(
                article=article, by=request.user, note=form.cleaned_data.get("review_note", "")
            )
            self.message_user(request, _("The article was sent back to its author."))

    def log_change(self, request, obj, message):
        # A workflow step is written to History by its service, in words; a form that
        # changed no field on the way would add a "no fields changed" line beside it.
        if pressed_action(request.POST) is not None and not message:
            return None
        return super().log_change(request, obj, message)

    def response_change(self, request, obj):
        if pressed_action(request.POST) is not None:
            return HttpResponseRedirect(reverse(f"admin:{self._url_prefix()}_changelist"))
        return super().response_change(request, obj)

    def response_add(self, request, obj, post_url_continue=None):
        if SUBMIT in request.POST:
            return HttpResponseRedirect(reverse(f"admin:{self._url_prefix()}_changelist"))
        return super().response_add(request, obj, post_url_continue)

    def _url_prefix(self) -> str:
        return f"{self.opts.app_label}_{self.opts.model_name}"

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        import reversion

        extra_context = extra_context or {}
        obj = self.get_object(request, object_id) if object_id else None
        extra_context.update(self._workflow_context(request, obj))
        if obj is not None and request.method == "GET":
            services.article_mark_seen(article=obj, by=request.user)
        with reversion.create_revision():
            reversion.set_user(request.user)
            return super().changeform_view(request, object_id, form_url, extra_context)

    def view_on_site(self, obj):
        # Unpublished articles open in the staff preview, not in a public 404.
        if obj.is_public:
            return obj.get_absolute_url()
        return reverse("articles:preview", args=[obj.pk])

    def _workflow_context(self, request, obj):
        """The buttons come from the one answer of ``services.article_allowed_actions``."""
        can_publish = services.user_can_publish(request.user)
        article = obj if obj is not None else self.model(author=request.user)
        allowed = services.article_allowed_actions(article=article, user=request.user)
        if obj is not None and not services.user_can_edit(request.user, obj):
            # A read-only page has no form to submit.
            allowed = frozenset()
        return {
            "workflow_actions": sorted(allowed),
            "can_compare": can_publish and obj is not None,
            "preview_url": reverse("articles:preview", args=[obj.pk]) if obj else None,
            "revisions_url": (
                reverse(f"admin:{self._url_prefix()}_revisions", args=[obj.pk]) if obj else None
            ),
        }

    def changelist_view(self, request, extra_context=None):
        extra_context = extra_context or {}
        if not services.user_can_publish(request.user):
            extra_context.setdefault("title", _("My articles"))
        return super().changelist_view(request, extra_context)

    def delete_model(self, request, obj):
        if not services.user_can_delete(request.user, obj):
            raise PermissionDenied
        super().delete_model(request, obj)

    # ----- list actions -------------------------------------------------------

    def _apply(self, request, queryset, service, done_message):
        articles = list(queryset)
        done = 0
        for article in articles:
            try:
                service(article=article, by=request.user)
            except (PermissionDenied, ValidationError):
                continue
            done += 1
        skipped = len(articles) - done
        self.message_user(request, done_message % {"count": done}, messages.SUCCESS)
        if skipped:
            self.message_user(
                request,
                _("%(count)d articles were skipped: the action does not apply to them.")
                % {"count": skipped},
                messages.WARNING,
            )

    @admin.action(description=gettext_lazy("Submit for review"))
    def submit_for_review(self, request, queryset):
        self._apply(
            request,
            queryset,
            services.article_submit_for_review,
            _("Articles submitted for review: %(count)d."),
        )

    @admin.action(description=gettext_lazy("Publish now"), permissions=["publish"])
    def publish_now(self, request, queryset):
        self._apply(
            request, queryset, services.article_publish, _("Articles published: %(count)d.")
        )

    @admin.action(description=gettext_lazy("Unpublish"), permissions=["publish"])
    def unpublish(self, request, queryset):
        self._apply(
            request, queryset, services.article_unpublish, _("Articles unpublished: %(count)d.")
        )

    # ----- extra pages: revisions and tag suggestions -------------------------

    def get_urls(self):
        prefix = self._url_prefix()
        wrap = self.admin_site.admin_view
        return [
            path("tags/", wrap(self.tag_suggestions), name=f"{prefix}_tags"),
            path("body-image/", wrap(self.body_image), name=f"{prefix}_body_image"),
            path(
                "<int:pk>/revisions/",
                wrap(self.revisions_view),
                name=f"{prefix}_revisions",
            ),
            path(
                "<int:pk>/revisions/<int:version_id>/restore/",
                wrap(self.restore_view),
                name=f"{prefix}_restore",
            ),
            *super().get_urls(),
        ]

    def tag_suggestions(self, request):
        """Names of existing tags that start with (or contain) what was typed."""
        if not self.has_view_or_change_permission(request):
            raise PermissionDenied
        term = request.GET.get("q", "").strip()[:50]
        names = []
        if term:
            names = list(
                Tag.objects.filter(Q(name__istartswith=term) | Q(name__icontains=term))
                .order_by("name")
                .values_list("name", flat=True)[:10]
            )
        return JsonResponse({"tags": names})

    def body_image(self, request):
        """Upload an image for the body (the editor's image dialog opens this page)."""
        if not (self.has_add_permission(request) or self.has_change_permission(request)):
            raise PermissionDenied
        return body_images.body_image_view(request, model_admin=self)

    def _article_for_revisions(self, request, pk):
        if not services.user_can_publish(request.user):
            raise PermissionDenied
        return get_object_or_404(self.get_queryset(request), pk=pk)

    def revisions_view(self, request, pk):
        article = self._article_for_revisions(request, pk)
        return revisions.revisions_page(
            request, article=article, model_admin=self, url_prefix=self._url_prefix()
        )

    def restore_view(self, request, pk, version_id):
        article = self._article_for_revisions(request, pk)
        if request.method != "POST":
            return HttpResponseRedirect(reverse(f"admin:{self._url_prefix()}_revisions", args=[pk]))
        revisions.restore(article=article, version_id=version_id, by=request.user)
        self.message_user(request, _("The earlier version was restored."), messages.SUCCESS)
        return HttpResponseRedirect(reverse(f"admin:{self._url_prefix()}_change", args=[pk]))


@admin.register(Article)
class ArticleAdmin(BaseArticleAdmin):
    """All articles, of every kind."""

    list_filter = ("kind", *BaseArticleAdmin.list_filter)


def _kind_admin(kind, proxy):
    return type(f"{proxy.__name__}Admin", (BaseArticleAdmin,), {"kind": kind})


for _kind, _proxy in KIND_PROXIES.items():
    admin.site.register(_proxy, _kind_admin(_kind, _proxy))


@admin.register(Section)
class SectionAdmin(NewsroomAdminMixin, admin.ModelAdmin):
    list_display = ("name", "slug", "order")
    list_editable = ("order",)
    search_fields = ("name",)
    prepopulated_fields = {"slug": ("name",)}


@admin.register(SiteSettings)
class SiteSettingsAdmin(NewsroomAdminMixin, admin.ModelAdmin):
    """The site's identity: for site admins only."""

    def has_module_permission(self, request):
        return request.user.is_active and request.user.is_superuser

    def has_view_permission(self, request, obj=None):
        return self.has_module_permission(request)

    def has_change_permission(self, request, obj=None):
        return self.has_module_permission(request)

    def has_add_permission(self, request):
        return self.has_module_permission(request) and not SiteSettings.objects.exists()

    def has_delete_permission(self, request, obj=None):
        return False


# taggit's own Tag admin has untranslatable English (its merge action); editors get this one.
admin.site.unregister(Tag)


@admin.register(Tag)
class TagAdmin(NewsroomAdminMixin, admin.ModelAdmin):
    list_display = ("name", "slug", "article_count")
    ordering = ("name",)
    search_fields = ("name",)
    prepopulated_fields = {"slug": ("name",)}

    def get_queryset(self, request):
        return (
            super().get_queryset(request).annotate(article_total=Count("taggit_taggeditem_items"))
        )

    @admin.display(description=gettext_lazy("articles"), ordering="article_total")
    def article_count(self, obj):
        return obj.article_total


# The breaking strip and live coverage (articles.live_admin).
from . import live_admin  # noqa: E402, F401

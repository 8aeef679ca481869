"""The newsroom's admin site: branded with the site name, in Arabic."""

from django.contrib import admin, messages
from django.contrib.admin.apps import AdminConfig
from django.contrib.auth import REDIRECT_FIELD_NAME
from django.http import HttpResponseRedirect
from django.templatetags.static import static
from django.urls import path, reverse
from django.utils import translation
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.views.i18n import JavaScriptCatalog

DEFAULT_SITE_NAME = "ليفانت 24"


def yes_no_icon(value: bool | None):
    """Django's yes/no icon with Arabic alternative text (its own says "True"/"False")."""
    icon, alt = {
        True: ("yes", _("Yes")),
        False: ("no", _("No")),
        None: ("unknown", _("Unknown")),
    }[value]
    return format_html('<img src="{}" alt="{}">', static(f"admin/img/icon-{icon}.svg"), alt)


class NewsroomAdminSite(admin.AdminSite):
    index_title = _("Newsroom")

    @property
    def login_form(self):
        """The password step, paced like the public sign-in (accounts.forms)."""
        from accounts.forms import AdminSignInForm

        return AdminSignInForm

    def has_permission(self, request):
        """Active staff, and a session confirmed with a second factor when one is needed
        (accounts.two_factor): a password alone does not open the admin for them."""
        from accounts.two_factor import second_factor_satisfied

        return super().has_permission(request) and second_factor_satisfied(request.user)

    def login(self, request, extra_context=None):
        """Django's sign-in form is step one; staff who need a second factor go on to the
        code step (or to enrolment, when it is required and not set up yet)."""
        from accounts.services import signin_device_remember
        from accounts.two_factor import has_authenticator
        from accounts.two_factor_views import next_step_url

        user = request.user
        target = request.POST.get(REDIRECT_FIELD_NAME) or request.GET.get(REDIRECT_FIELD_NAME)
        if request.method == "GET" and self._awaits_second_factor(request):
            return HttpResponseRedirect(next_step_url(user, target))
        response = super().login(request, extra_context)
        if request.method == "POST" and response.status_code == 302:
            user = request.user  # the account that just signed in
            if user.is_staff:
                # This browser knows the password: strangers' failures no longer slow it.
                signin_device_remember(request=request, response=response, user=user)
            if self._awaits_second_factor(request):
                step = HttpResponseRedirect(next_step_url(user, response["Location"]))
                for cookie in response.cookies.values():
                    step.cookies[cookie.key] = cookie
                return step
            if user.is_staff and not has_authenticator(user):
                messages.info(
                    request,
                    format_html(
                        '{} <a href="{}">{}</a>',
                        _("Protect your account against a stolen password."),
                        reverse("admin:two_factor_setup", current_app=self.name),
                        _("Set up two-factor sign-in"),
                    ),
                )
        return response

    def _awaits_second_factor(self, request) -> bool:
        user = request.user
        return user.is_active and user.is_staff and not self.has_permission(request)

    def get_urls(self):
        from accounts import two_factor_views as views

        urls = [
            path(
                "two-factor/",
                self.admin_view(views.DevicesView.as_view()),
                name="two_factor",
            ),
            path(
                "two-factor/code/", views.SecondFactorVerifyView.as_view(), name="two_factor_verify"
            ),
            path(
                "two-factor/setup/", views.SecondFactorSetupView.as_view(), name="two_factor_setup"
            ),
            path(
                "two-factor/recovery-codes/",
                self.admin_view(views.RecoveryCodesView.as_view()),
                name="two_factor_recovery_codes",
            ),
            path(
                "two-factor/<int:pk>/remove/",
                self.admin_view(views.DeviceRevokeView.as_view()),
                name="two_factor_revoke",
            ),
        ]
        return urls + super().get_urls()

    def each_context(self, request):
        from articles.models import Article, Status
        from articles.selectors import site_settings
        from articles.services import user_can_publish

        context = super().each_context(request)
        name = site_settings().site_name or DEFAULT_SITE_NAME
        context["site_header"] = name
        context["site_title"] = name
        if request.user.is_authenticated and user_can_publish(request.user):
            context["review_count"] = Article.objects.filter(status=Status.REVIEW).count()
        elif request.user.is_staff and request.user.has_perm("articles.change_article"):
            # A journalist's articles that editors sent back or published since they looked.
            context["author_news_count"] = Article.objects.filter(
                author=request.user, news_for_author=True
            ).count()
        return context

    def get_app_list(self, request, app_label=None):
        """The "all articles" entry first, then one entry per kind in menu order."""
        from articles.models import KIND_PROXIES

        order = ["Article", *(proxy.__name__ for proxy in KIND_PROXIES.values())]
        app_list = super().get_app_list(request, app_label)
        for app in app_list:
            if app["app_label"] != "articles":
                continue
            for model in app["models"]:
                if model["object_name"] == "Article":
                    model["name"] = _("All articles")
            app["models"].sort(
                key=lambda m: (
                    order.index(m["object_name"]) if m["object_name"] in order else len(order),
                    str(m["name"]),
                )
            )
        return app_list

    def i18n_javascript(self, request, extra_context=None):
        """The admin's JavaScript catalogue, with the month names of the site setting (the
        calendar widget takes them from here)."""
        return MonthNamesCatalog.as_view(packages=["django.contrib.admin"])(request)


class MonthNamesCatalog(JavaScriptCatalog):
    def get_catalog(self):
        from articles.months import javascript_names

        catalog = super().get_catalog()
        if (translation.get_language() or "").startswith("ar"):
            catalog.update(javascript_names())
        return catalog


class NewsroomAdminConfig(AdminConfig):
    default_site = "levant24.admin_site.NewsroomAdminSite"


def totp_issuer(device) -> str:
    """django-otp's OTP_TOTP_ISSUER: the name authenticator apps show for the account."""
    from articles.selectors import site_settings

    return site_settings().site_name or DEFAULT_SITE_NAME


# The letters the search analyzer folds (articles.analyzer), as SQL can fold a column.
_SQL_FOLDS = (
    ("أ", "ا"),
    ("إ", "ا"),
    ("آ", "ا"),
    ("ٱ", "ا"),
    ("ؤ", "ء"),
    ("ئ", "ء"),
    ("ة", "ه"),
    ("ى", "ي"),
    ("\u0640", ""),
)


def folded_column(field: str):
    """``field`` lower-cased with the analyzer's letter folds, in SQL (any database)."""
    from django.db.models import F, TextField, Value
    from django.db.models.functions import Cast, Lower, Replace

    expression = Lower(Cast(F(field), output_field=TextField()))
    for letter, replacement in _SQL_FOLDS:
        expression = Replace(
            expression, Value(letter), Value(replacement), output_field=TextField()
        )
    return expression


class FoldedSearchMixin:
    """The admin's search box folds Arabic spelling as the site's search does: احمد finds
    أحمد, مسئول finds مسؤول. Every word must appear in one of ``search_fields``."""

    def get_search_results(self, request, queryset, search_term):
        from django.db.models import Q

        from articles.analyzer import normalize

        fields = [f.lstrip("^=@") for f in self.get_search_fields(request)]
        words = normalize(search_term).split()
        if not fields or not words:
            return super().get_search_results(request, queryset, search_term)
        aliases = {f"folded_{i}": folded_column(field) for i, field in enumerate(fields)}
        queryset = queryset.alias(**aliases)
        for word in words:
            any_field = Q()
            for alias in aliases:
                any_field |= Q(**{f"{alias}__contains": word})
            queryset = queryset.filter(any_field)
        return queryset, any("__" in field for field in fields)


class ArabicHistoryMixin:
    """Field names in the History page in Arabic.

    Django stores a change message with each field's form label taken with translations
    off ("Title") and translates it when the History page is shown; our catalogue
    translates the models' verbose names ("title"), not the capitalised labels. The message
    stores the verbose name instead, so History says "تم تغيير العنوان و النص"."""

    def construct_change_message(self, request, form, formsets, add=False):
        from django.utils import translation

        message = super().construct_change_message(request, form, formsets, add)
        model_fields = {
            f.name: f for f in self.model._meta.get_fields() if hasattr(f, "verbose_name")
        }
        with translation.override(None):
            names = [
                str(model_fields[name].verbose_name)
                if name in model_fields
                else str(form.fields[name].label or name)
                for name in form.changed_data
            ]
        for entry in message:
            if "changed" in entry and "name" not in entry["changed"]:
                entry["changed"]["fields"] = names
        return message


class NewsroomAdminMixin(ArabicHistoryMixin, FoldedSearchMixin):
    """What every ModelAdmin of the newsroom shares."""

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        from django.db.models import URLField

        if isinstance(db_field, URLField):
            # A link typed without a scheme is https (Django 6's default, chosen now).
            kwargs.setdefault("assume_scheme", "https")
        return super().formfield_for_dbfield(db_field, request, **kwargs)

"""The newsroom's admin site: branded with the site name, in Arabic."""

from django.contrib import admin, messages
from django.contrib.admin.apps import AdminConfig
from django.contrib.auth import REDIRECT_FIELD_NAME
from django.http import HttpResponseRedirect
from django.templatetags.static import static
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

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
        from accounts.two_factor import has_authenticator
        from accounts.two_factor_views import next_step_url

        user = request.user
        target = request.POST.get(REDIRECT_FIELD_NAME) or request.GET.get(REDIRECT_FIELD_NAME)
        if request.method == "GET" and self._awaits_second_factor(request):
            return HttpResponseRedirect(next_step_url(user, target))
        response = super().login(request, extra_context)
        if request.method == "POST" and response.status_code == 302:
            user = request.user  # the account that just signed in
            if self._awaits_second_factor(request):
                return HttpResponseRedirect(next_step_url(user, response["Location"]))
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


class NewsroomAdminConfig(AdminConfig):
    default_site = "levant24.admin_site.NewsroomAdminSite"


def totp_issuer(device) -> str:
    """django-otp's OTP_TOTP_ISSUER: the name authenticator apps show for the account."""
    from articles.selectors import site_settings

    return site_settings().site_name or DEFAULT_SITE_NAME

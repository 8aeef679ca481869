"""The newsroom's admin site: branded with the site name, in Arabic."""

from django.contrib import admin
from django.contrib.admin.apps import AdminConfig
from django.templatetags.static import static
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
        # Paced like the site's sign-in: failures make the next attempt wait.
        from accounts.forms import AdminSignInForm

        return AdminSignInForm

    def login(self, request, extra_context=None):
        from accounts.services import signin_device_remember

        response = super().login(request, extra_context)
        if request.method == "POST" and response.status_code == 302 and request.user.is_staff:
            signin_device_remember(request=request, response=response, user=request.user)
        return response

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

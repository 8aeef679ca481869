from axes.helpers import get_client_ip_address, get_cool_off
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import REDIRECT_FIELD_NAME
from django.contrib.auth import views as auth_views
from django.contrib.auth.mixins import LoginRequiredMixin
from django.contrib.messages.views import SuccessMessageMixin
from django.http import JsonResponse
from django.middleware.csrf import get_token
from django.shortcuts import redirect, render
from django.urls import reverse, reverse_lazy
from django.utils.decorators import method_decorator
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from django.views import View
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.generic import FormView, UpdateView

from . import services
from .forms import ProfileForm, ResetRequestForm, SignInForm, SignUpForm


def _safe_next(request, default: str) -> str:
    """The `next` target if it stays on this site, otherwise `default`."""
    target = request.POST.get(REDIRECT_FIELD_NAME) or request.GET.get(REDIRECT_FIELD_NAME)
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return default


def _site_base_url(request) -> str:
    return f"{request.scheme}://{request.get_host()}"


def _remind_to_confirm(request, user) -> None:
    if not user.email_confirmed and not user.is_staff:
        messages.warning(
            request,
            _(
                "Please confirm your email address: open the link we sent you. "
                "You can ask for a new link from the header."
            ),
        )


class SignInView(auth_views.LoginView):
    """Sign in with email or username. Django's view already checks `next` with
    `url_has_allowed_host_and_scheme` against this host only."""

    form_class = SignInForm
    template_name = "accounts/login.jinja"
    redirect_authenticated_user = True

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        # Django adds a RequestSite as `site`; the page chrome needs our SiteSettings there.
        context.pop("site", None)
        context.pop("site_name", None)
        return context

    def form_valid(self, form):
        response = super().form_valid(form)
        services.signin_device_remember(
            request=self.request, response=response, user=form.get_user()
        )
        _remind_to_confirm(self.request, form.get_user())
        return response


class SignOutView(auth_views.LogoutView):
    """POST only (Django refuses GET with 405), then back to the home page."""

    def post(self, request, *args, **kwargs):
        response = super().post(request, *args, **kwargs)
        messages.info(request, _("You have signed out."))
        return response


@method_decorator([sensitive_post_parameters("password1", "password2"), never_cache], "dispatch")
class SignUpView(FormView):
    form_class = SignUpForm
    template_name = "accounts/signup.jinja"

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            return redirect(_safe_next(request, reverse("accounts:profile")))
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["next"] = _safe_next(self.request, "")
        return context

    def form_valid(self, form):
        data = form.cleaned_data
        if not services.signup_allowed(ip_address=get_client_ip_address(self.request)):
            form.add_error(
                None,
                _("Too many accounts were created from this connection. Please try again later."),
            )
            return self.form_invalid(form)
        services.signup_request(
            display_name=data["display_name"],
            email=data["email"],
            password=data["password1"],
            base_url=_site_base_url(self.request),
        )
        # The same answer whether or not the address already had an account (no sign-in
        # here, which would differ): the mailbox's owner learns which it was.
        messages.success(
            self.request,
            _(
                "Thank you. We have sent a message to the address you entered. Open the link "
                "in it to confirm your address, then sign in."
            ),
        )
        login_url = reverse("accounts:login")
        next_url = _safe_next(self.request, "")
        if next_url:
            login_url += "?" + urlencode({REDIRECT_FIELD_NAME: next_url})
        return redirect(login_url)


@method_decorator(never_cache, "dispatch")
class ConfirmEmailView(View):
    """Opening the link proves the reader reads that mailbox; it is safe to repeat."""

    def get(self, request, token):
        user = services.email_confirm(token=token)
        if user is None:
            return render(request, "accounts/confirm_email_invalid.jinja", status=400)
        messages.success(request, _("Thank you, your email address is confirmed."))
        if request.user.is_authenticated:
            return redirect("accounts:profile")
        return redirect("accounts:login")


@method_decorator(never_cache, "dispatch")
class ResendConfirmationView(LoginRequiredMixin, View):
    template_name = "accounts/confirm_email_resend.jinja"

    def get(self, request):
        return render(request, self.template_name)

    def post(self, request):
        user = request.user
        if user.email_confirmed:
            messages.info(request, _("Your email address is already confirmed."))
        elif services.email_confirmation_resend(user=user, base_url=_site_base_url(request)):
            messages.success(request, _("We have sent you a new confirmation link."))
        else:
            messages.warning(
                request, _("A link was sent less than a minute ago. Please check your inbox.")
            )
        return redirect("accounts:profile")


class PasswordResetView(auth_views.PasswordResetView):
    """Same answer whether or not an account uses the address (no account discovery)."""

    form_class = ResetRequestForm
    template_name = "accounts/password_reset_form.jinja"
    subject_template_name = "accounts/email/password_reset_subject.txt"
    email_template_name = "accounts/email/password_reset.txt"
    html_email_template_name = "accounts/email/password_reset.html"
    success_url = reverse_lazy("accounts:password_reset_done")


class PasswordResetDoneView(auth_views.PasswordResetDoneView):
    template_name = "accounts/password_reset_done.jinja"


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    template_name = "accounts/password_reset_confirm.jinja"
    success_url = reverse_lazy("accounts:password_reset_complete")


class PasswordResetCompleteView(auth_views.PasswordResetCompleteView):
    template_name = "accounts/password_reset_complete.jinja"


class PasswordChangeView(SuccessMessageMixin, auth_views.PasswordChangeView):
    """Django keeps this session (update_session_auth_hash); every other session of the
    account ends because its stored password hash no longer matches."""

    template_name = "accounts/password_change_form.jinja"
    success_url = reverse_lazy("accounts:profile")
    success_message = _("Your password has been changed. Other devices have been signed out.")


@method_decorator(never_cache, "dispatch")
class ProfileView(LoginRequiredMixin, SuccessMessageMixin, UpdateView):
    form_class = ProfileForm
    template_name = "accounts/profile.jinja"
    success_url = reverse_lazy("accounts:profile")
    success_message = _("Your profile has been saved.")

    def get_object(self, queryset=None):
        return self.request.user


@never_cache
def csrf_token(request):
    """A fresh CSRF token for the sign-in dialog, so that cached public pages carry none."""
    return JsonResponse({"token": get_token(request)})


def lockout_response(request, original_response=None, credentials=None):
    """django-axes `AXES_LOCKOUT_CALLABLE`: an Arabic page saying when to try again."""
    cool_off = get_cool_off(request)
    minutes = max(1, int(cool_off.total_seconds() // 60)) if cool_off else None
    if minutes:
        wait = ngettext(
            "You can try again in %(minutes)d minute.",
            "You can try again in %(minutes)d minutes.",
            minutes,
        ) % {"minutes": minutes}
    else:
        wait = _("Please contact the site team to unlock your account.")
    return render(
        request,
        "accounts/lockout.jinja",
        {"wait": wait},
        status=settings.AXES_HTTP_RESPONSE_CODE,
    )

"""Two-factor sign-in pages of the admin: the code step, enrolment, recovery codes, devices.

The admin site (levant24/admin_site.py) mounts these under /admin/two-factor/ and sends a
signed-in staff member here whenever it needs a code first. Readers never see them.
"""

import django_otp
from axes.handlers.proxy import AxesProxyHandler
from axes.helpers import get_client_ip_address
from axes.utils import reset as axes_reset
from django.conf import settings
from django.contrib import admin, messages
from django.contrib.auth import REDIRECT_FIELD_NAME
from django.contrib.auth.signals import user_login_failed
from django.contrib.auth.views import redirect_to_login
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.decorators import method_decorator
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from django.views import View
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.generic import FormView
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from . import services, two_factor
from .forms import AuthenticatorForm, SecondFactorForm
from .views import _safe_next, lockout_response

# New recovery codes wait here between the POST that made them and the page that shows them.
NEW_CODES_SESSION_KEY = "two_factor_new_codes"


def _admin_index() -> str:
    return reverse("admin:index")


def _with_next(url: str, target: str | None) -> str:
    return f"{url}?{urlencode({REDIRECT_FIELD_NAME: target})}" if target else url


def next_step_url(user, target: str | None = None) -> str:
    """Where a signed-in staff member without a verified session goes: the code step, or
    enrolment when the site requires a second factor they have not set up yet."""
    name = (
        "admin:two_factor_verify"
        if two_factor.has_authenticator(user)
        else "admin:two_factor_setup"
    )
    return _with_next(reverse(name), target)


def _admin_context(request, **extra) -> dict:
    request.current_app = admin.site.name
    return {**admin.site.each_context(request), **extra}


class _StaffStep(View):
    """A step between the password and the admin: for signed-in, active staff only."""

    def dispatch(self, request, *args, **kwargs):
        user = request.user
        if not (user.is_authenticated and user.is_active and user.is_staff):
            return redirect_to_login(request.get_full_path(), reverse("admin:login"))
        self.next_url = _safe_next(request, _admin_index())
        return super().dispatch(request, *args, **kwargs)


@method_decorator([sensitive_post_parameters("code"), never_cache], "dispatch")
class SecondFactorVerifyView(_StaffStep, FormView):
    """Step two of the admin sign-in. Wrong codes count towards the same lockout and the same
    growing waits as wrong passwords, under a key of their own that a correct password does
    not clear."""

    form_class = SecondFactorForm
    template_name = "admin/two_factor/verify.html"

    def get(self, request, *args, **kwargs):
        redirect_to = self._elsewhere()
        return redirect_to or super().get(request, *args, **kwargs)

    def post(self, request, *args, **kwargs):
        redirect_to = self._elsewhere()
        if redirect_to:
            return redirect_to
        if not AxesProxyHandler.is_allowed(request, self._credentials()):
            return lockout_response(request, credentials=self._credentials())
        return super().post(request, *args, **kwargs)

    def _elsewhere(self):
        user = self.request.user
        if two_factor.second_factor_satisfied(user):
            return HttpResponseRedirect(self.next_url)
        if not two_factor.has_authenticator(user):
            return redirect(next_step_url(user, self.next_url))
        return None

    def _credentials(self) -> dict:
        return {settings.AXES_USERNAME_FORM_FIELD: two_factor.lockout_key(self.request.user)}

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        return _admin_context(
            self.request, title=_("Two-factor sign-in"), next=self.next_url, **context
        )

    def form_valid(self, form):
        request, user = self.request, self.request.user
        key = two_factor.lockout_key(user)
        ip_address = get_client_ip_address(request)
        wait = services.signin_wait_seconds(login=key, ip_address=ip_address)
        if wait:
            form.add_error(
                None,
                ngettext(
                    "Too many failed attempts. Please wait %(seconds)d second and try again.",
                    "Too many failed attempts. Please wait %(seconds)d seconds and try again.",
                    wait,
                )
                % {"seconds": wait},
            )
            return self.form_invalid(form)
        device = services.second_factor_verify(user=user, token=form.cleaned_data["code"])
        if device is None:
            services.signin_failure_record(login=key, ip_address=ip_address)
            # django-axes counts it like a wrong password; at the limit its middleware answers
            # with the lockout page instead of this one.
            user_login_failed.send(
                sender=__name__, credentials=self._credentials(), request=request
            )
            form.add_error(
                "code", _("This code is not valid. Codes from the app change every 30 seconds.")
            )
            return self.form_invalid(form)
        # A new session key for the now fully signed-in session, as Django does at sign-in.
        request.session.cycle_key()
        django_otp.login(request, device)
        services.signin_success_record(login=key, ip_address=ip_address)
        axes_reset(username=key)
        if isinstance(device, StaticDevice):
            left = two_factor.recovery_codes_left(user)
            messages.warning(
                request,
                ngettext(
                    "You signed in with a recovery code. %(count)d code is left.",
                    "You signed in with a recovery code. %(count)d codes are left.",
                    left,
                )
                % {"count": left},
            )
        return HttpResponseRedirect(self.next_url)


@method_decorator([sensitive_post_parameters("code"), never_cache], "dispatch")
class SecondFactorSetupView(_StaffStep, FormView):
    """Add an authenticator app: scan the QR code (or type the key), confirm with a code."""

    form_class = AuthenticatorForm
    template_name = "admin/two_factor/setup.html"

    def dispatch(self, request, *args, **kwargs):
        user = request.user
        if (
            user.is_authenticated
            and two_factor.has_authenticator(user)
            and not two_factor.is_verified(user)
        ):
            # Adding another authenticator needs one of the existing ones first.
            return redirect(next_step_url(user, request.GET.get(REDIRECT_FIELD_NAME)))
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        device = services.totp_device_start(user=user)
        return _admin_context(
            self.request,
            title=_("Set up two-factor sign-in"),
            next=self.next_url,
            qr_code=two_factor.qr_code_data_uri(device),
            secret=two_factor.secret_text(device),
            required=two_factor.second_factor_required(user),
            first=not two_factor.has_authenticator(user),
            **context,
        )

    def form_valid(self, form):
        user = self.request.user
        device = services.totp_device_start(user=user)
        codes = services.totp_device_confirm(
            device=device, token=form.cleaned_data["code"], name=form.cleaned_data["name"]
        )
        if codes is None:
            form.add_error(
                "code",
                _("This code does not match. Check the time on your phone and try the next code."),
            )
            return self.form_invalid(form)
        django_otp.login(self.request, device)
        messages.success(self.request, _("Two-factor sign-in is on for your account."))
        if codes:
            self.request.session[NEW_CODES_SESSION_KEY] = codes
            return redirect(_with_next(reverse("admin:two_factor_recovery_codes"), self.next_url))
        return redirect("admin:two_factor")


@method_decorator(never_cache, "dispatch")
class RecoveryCodesView(View):
    """New codes are shown once, on the page right after they were made; only their number
    is shown after that. Mounted behind ``admin_view`` (a verified session)."""

    template_name = "admin/two_factor/recovery_codes.html"

    def get(self, request):
        codes = request.session.pop(NEW_CODES_SESSION_KEY, None)
        context = _admin_context(
            request,
            title=_("Recovery codes"),
            codes=codes,
            left=two_factor.recovery_codes_left(request.user),
            has_authenticator=two_factor.has_authenticator(request.user),
            next=_safe_next(request, reverse("admin:two_factor")),
        )
        return render(request, self.template_name, context)

    def post(self, request):
        if not two_factor.has_authenticator(request.user):
            messages.error(request, _("Add an authenticator app first."))
            return redirect("admin:two_factor")
        request.session[NEW_CODES_SESSION_KEY] = services.recovery_codes_renew(user=request.user)
        messages.success(request, _("New recovery codes were made; the old ones no longer work."))
        return redirect("admin:two_factor_recovery_codes")


@method_decorator(never_cache, "dispatch")
class DevicesView(View):
    """The user's own authenticators: when each was added and last used, and a way to
    remove one. Mounted behind ``admin_view``."""

    template_name = "admin/two_factor/devices.html"

    def get(self, request):
        user = request.user
        context = _admin_context(
            request,
            title=_("Two-factor sign-in"),
            devices=list(two_factor.authenticators(user)),
            current=getattr(user, "otp_device", None),
            codes_left=two_factor.recovery_codes_left(user),
            required=two_factor.second_factor_required(user),
        )
        return render(request, self.template_name, context)


@method_decorator(never_cache, "dispatch")
class DeviceRevokeView(View):
    """POST only: remove one of the user's own authenticators. Mounted behind ``admin_view``."""

    def post(self, request, pk: int):
        device = get_object_or_404(TOTPDevice, pk=pk, user=request.user, confirmed=True)
        services.second_factor_device_revoke(user=request.user, device_id=device.pk)
        messages.success(request, _("The authenticator was removed."))
        if two_factor.second_factor_required(request.user) and not two_factor.has_authenticator(
            request.user
        ):
            messages.warning(request, _("Your role requires two-factor sign-in: add an app now."))
            return redirect("admin:two_factor_setup")
        return redirect("admin:two_factor")

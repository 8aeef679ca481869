from axes.helpers import get_client_ip_address
from django import forms
from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth import get_user_model
from django.contrib.auth.forms import AuthenticationForm, PasswordResetForm, SetPasswordMixin
from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from . import services
from .validators import validate_visible_name

User = get_user_model()


class PacedSignInMixin:
    """Repeated failures must wait before trying again (accounts.services, sign-in pacing).

    Used by the site's and the admin's sign-in forms alike."""

    def clean(self):
        login = self.cleaned_data.get("username") or ""
        ip_address = get_client_ip_address(self.request) if self.request else None
        wait = services.signin_wait_seconds(
            login=login, ip_address=ip_address, request=self.request
        )
        if login and wait:
            raise ValidationError(
                ngettext(
                    "Too many failed attempts. Please wait %(seconds)d second and try again.",
                    "Too many failed attempts. Please wait %(seconds)d seconds and try again.",
                    wait,
                )
                % {"seconds": wait},
                code="slow_down",
            )
        try:
            cleaned = super().clean()
        except ValidationError as error:
            if login and error.code == "invalid_login":
                services.signin_failure_record(
                    login=login, ip_address=ip_address, request=self.request
                )
            raise
        services.signin_success_record(login=login, ip_address=ip_address)
        return cleaned


class SignInForm(PacedSignInMixin, AuthenticationForm):
    """Email or username, and password."""

    error_messages = {
        "invalid_login": _("The email, username or password is incorrect."),
        "inactive": _("This account is inactive."),
    }

    def __init__(self, request=None, *args, **kwargs):
        super().__init__(request, *args, **kwargs)
        username = self.fields["username"]
        username.label = _("Email or username")
        username.max_length = 254
        # Setting max_length after the field is built does not add the check: without it a
        # longer value reached the sign-in lockout table (varchar 255) and failed there.
        username.validators.append(MaxLengthValidator(254))
        username.widget.attrs.update({"maxlength": 254, "autocomplete": "username"})


class AdminSignInForm(SignInForm, AdminAuthenticationForm):
    """Step one of the admin sign-in: the site's sign-in rules (email or username, growing
    waits after failures) and Django's admin rule that only active staff get in."""


class SignUpForm(SetPasswordMixin, forms.Form):
    display_name = forms.CharField(
        label=_("Name"),
        max_length=100,
        help_text=_("Shown with your comments."),
        widget=forms.TextInput(attrs={"autocomplete": "name", "autofocus": True}),
    )
    email = forms.EmailField(
        label=_("Email address"),
        max_length=254,
        help_text=_("We send a confirmation link to this address. It is never published."),
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    password1, password2 = SetPasswordMixin.create_password_fields()

    def clean_display_name(self):
        name = self.cleaned_data["display_name"].strip()
        if not name:
            raise ValidationError(_("Please enter your name."), code="required")
        validate_visible_name(name)
        return name

    # No check that the email is free: the answer would tell anyone which addresses have an
    # account. The view answers the same either way and mails the owner instead.

    def clean(self):
        self.validate_passwords()
        # Check the password against the name and email as Django's validators expect.
        candidate = User(
            email=self.cleaned_data.get("email", ""),
            display_name=self.cleaned_data.get("display_name", ""),
        )
        self.validate_password_for_user(candidate)
        return super().clean()


class ProfileForm(forms.ModelForm):
    class Meta:
        model = User
        fields = ["display_name"]
        labels = {"display_name": _("Display name")}
        help_texts = {"display_name": _("Shown with your comments.")}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["display_name"].required = True

    def clean_display_name(self):
        name = self.cleaned_data["display_name"].strip()
        if not name:
            raise ValidationError(_("Please enter your name."), code="required")
        validate_visible_name(name)
        return name


class ResetRequestForm(PasswordResetForm):
    """Django's form, with one mail per account every two minutes so it cannot flood a
    mailbox. The page answers the same either way."""

    def get_users(self, email):
        for user in super().get_users(email):
            if services.password_reset_mail_allowed(user=user):
                yield user

    def send_mail(self, subject_template_name, email_template_name, context, *args, **kwargs):
        # Sent by the task queue after the request; the task builds the link itself.
        services.password_reset_mail_send(
            user=context["user"], domain=context["domain"], protocol=context["protocol"]
        )


def _code_field(label):
    return forms.CharField(
        label=label,
        max_length=32,
        widget=forms.TextInput(
            attrs={
                "autocomplete": "one-time-code",
                "autofocus": True,
                "autocapitalize": "off",
                "spellcheck": "false",
                "dir": "ltr",
            }
        ),
    )


class SecondFactorForm(forms.Form):
    """The second step of the admin sign-in: a code from the authenticator app, or one of the
    recovery codes."""

    code = _code_field(_("Code"))


class AuthenticatorForm(forms.Form):
    """Adding an authenticator app: its name, and a code it shows to prove it works."""

    code = _code_field(_("Code shown by the app"))
    name = forms.CharField(
        label=_("Name of this authenticator"),
        max_length=64,
        required=False,
        help_text=_("Optional, for example: my phone. It helps you tell your devices apart."),
    )

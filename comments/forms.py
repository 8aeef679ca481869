from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.forms.renderers import Jinja2 as Jinja2Renderer
from django.utils.translation import gettext_lazy as _

from accounts.validators import validate_visible_name

from .text import strip_bidi_controls

TEXT_MIN = 2
TEXT_MAX = 5000
NAME_MAX = 100
NAME_INVISIBLE = _("The name must contain at least one letter.")


class PlainTextField(forms.CharField):
    """Reader text: NUL refused with our own message, bidi controls removed."""

    def to_python(self, value):
        if isinstance(value, str):
            if "\x00" in value:
                raise ValidationError(
                    _("The text contains a forbidden character (NUL)."), code="null_characters"
                )
            value = strip_bidi_controls(value)
        return super().to_python(value)


class CommentForm(forms.Form):
    # Its widgets are drawn on every article page: with Django's Jinja2 widget templates,
    # as fast as the page around them.
    default_renderer = Jinja2Renderer()

    text = PlainTextField(
        label=_("Comment"),
        min_length=TEXT_MIN,
        max_length=TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": 6, "dir": "auto"}),
        error_messages={
            "required": _("Please write your comment."),
            "min_length": _("The comment must be at least 2 characters long."),
            "max_length": _("The comment must be at most 5,000 characters long."),
        },
    )
    name = PlainTextField(
        label=_("Name"),
        max_length=NAME_MAX,
        validators=[validate_visible_name],
        widget=forms.TextInput(attrs={"autocomplete": "name", "dir": "auto"}),
        error_messages={
            "required": _("Please enter your name."),
            "max_length": _("The name must be at most 100 characters long."),
        },
    )
    email = forms.EmailField(
        label=_("Email"),
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email", "dir": "ltr"}),
        error_messages={
            "required": _("Please enter your email address."),
            "invalid": _("Please enter a valid email address, such as name@example.com."),
            "max_length": _("The email address is too long."),
        },
    )
    website = forms.URLField(
        label=_("Website"),
        required=False,
        max_length=200,
        assume_scheme="https",
        validators=[URLValidator(schemes=["http", "https"])],
        widget=forms.URLInput(attrs={"autocomplete": "url", "dir": "ltr"}),
        error_messages={
            "invalid": _("Please enter a website address that starts with http:// or https://."),
            "max_length": _("The website address is too long."),
        },
    )
    parent = forms.IntegerField(required=False, widget=forms.HiddenInput, min_value=1)
    # A honeypot: hidden from people, filled in by naive bots.
    homepage = forms.CharField(
        label=_("Leave this field empty"),
        required=False,
        widget=forms.TextInput(attrs={"tabindex": "-1", "autocomplete": "off"}),
    )

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        if user is not None and user.is_authenticated and not self.is_bound:
            self.initial.setdefault("name", user.public_name)
            self.initial.setdefault("email", user.email)

    def clean_parent(self):
        value = self.cleaned_data.get("parent")
        return value or None

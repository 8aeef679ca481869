"""The Jinja2 environment of the public site's templates (``templates/**/*.jinja``).

The reading site (home, listings, article pages, search, accounts pages, the 404 page) is
written in Jinja2: a full render of an article page spent most of its time in Django's
template engine, and Jinja2 compiles templates to Python functions. The admin, e-mails and the
few standalone error pages stay in Django's template language (``*.html``).

What the templates can call is listed here, as plain functions, instead of template-tag
libraries: ``link()``/``url()``/``static()``, ``_()``/``pgettext()`` and ``{% trans %}`` for
the Arabic catalogue (``manage.py makemessages`` extracts them, see
``core/management/commands/makemessages.py``), the site's own helpers (teasers, images, share
links, SEO metadata) and the comment section of an article page.
"""

from __future__ import annotations

import datetime
import functools
import unicodedata

import jinja2
from django.conf import settings
from django.template import defaultfilters
from django.template.backends.jinja2 import Jinja2, Template
from django.templatetags.static import static
from django.test.signals import template_rendered
from django.urls import reverse
from django.utils import dateformat, timezone, translation
from django.utils.translation import trans_real
from markupsafe import Markup

JINJA_SUFFIX = ".jinja"


class JinjaLoader(jinja2.FileSystemLoader):
    """Loads only ``*.jinja`` files, so that every other template name (the admin's, the
    e-mails') falls through to Django's own engine, listed after this one."""

    def get_source(self, environment, template):
        if not template.endswith(JINJA_SUFFIX):
            raise jinja2.TemplateNotFound(template)
        return super().get_source(environment, template)


class SignalingTemplate(Template):
    """Tells Django's test client which template rendered with which context, as Django's
    own engine does (``response.context`` in tests). Without listeners the signal costs
    nothing."""

    def __init__(self, template, backend):
        super().__init__(template, backend)
        self.name = template.name

    def render(self, context=None, request=None):
        context = {} if context is None else context
        context.update(translations())
        html = super().render(context, request)
        if template_rendered.receivers:
            template_rendered.send(sender=self, template=self, context=context or {})
        return html


class Backend(Jinja2):
    def from_string(self, template_code):
        return SignalingTemplate(self.env.from_string(template_code), self)

    def get_template(self, template_name):
        template = super().get_template(template_name)
        return SignalingTemplate(template.template, self)


# Translations: a page calls gettext some eighty times. Django's functions look up the
# active language on every call; a render looks it up once and binds the catalogue's own
# functions (with Jinja2's "newstyle" behaviour: escaped values, %(name)s placeholders).

CONTEXT_SEPARATOR = "\x04"


def translations(catalogue=None) -> dict:
    """gettext, ngettext and pgettext bound to the active language's catalogue."""
    catalogue = catalogue or trans_real.catalog()

    def gettext(message, **variables):
        text = Markup(catalogue.gettext(message))  # noqa: S704 - our catalogue
        # What % does without values, but for a "%%" (Jinja2's rule for gettext).
        return text % variables if variables or "%" in text else text

    def ngettext(singular, plural, number, **variables):
        variables.setdefault("num", number)
        return Markup(catalogue.ngettext(singular, plural, number)) % variables  # noqa: S704

    def pgettext(context, message, **variables):
        variables.setdefault("context", context)
        key = f"{context}{CONTEXT_SEPARATOR}{message}"
        found = catalogue.gettext(key)
        if CONTEXT_SEPARATOR in found:
            found = message
        return Markup(found) % variables  # noqa: S704 - our catalogue; values escaped by %

    return {
        "_": gettext,
        "gettext": gettext,
        "ngettext": ngettext,
        "pgettext": pgettext,
        # For the helpers a page calls dozens of times (teasers): looked up once here.
        "page_catalogue": catalogue,
        "page_timezone": timezone.get_current_timezone(),
    }


PAGE_LOCALS = ("_", "gettext", "ngettext", "pgettext", "page_catalogue", "page_timezone")


def render_within(context, name: str, values: dict) -> Markup:
    """Template ``name`` rendered with ``values`` for a function a page calls (the comment
    section, a live coverage), with the page's translation functions (``context``: the
    page's Jinja2 context)."""
    template = context.environment.get_template(name)
    values.update({key: context[key] for key in PAGE_LOCALS})
    return Markup(template.render(values))  # noqa: S704 - an autoescaping template


# Filters with Django's meaning, so that pages read exactly as before.


def date(value, fmt="DATE_FORMAT"):
    """Django's ``|date``, in the site's time zone (what Django's engine does for a
    template)."""
    if value in (None, ""):
        return ""
    if isinstance(value, datetime.datetime) and timezone.is_aware(value):
        value = timezone.localtime(value)
    if fmt == "c":
        return value.isoformat()
    return dateformat.format(value, fmt)


def truncatechars(value, length):
    """Django's ``|truncatechars``; a text already short enough (and in normal form, as
    Django returns it) is returned at once."""
    text = str(value)
    if len(text) <= int(length) and unicodedata.is_normalized("NFC", text):
        return text
    return defaultfilters.truncatechars(text, length)


def linebreaksbr(value):
    return defaultfilters.linebreaksbr(value, autoescape=True)


def linebreaks(value):
    return defaultfilters.linebreaks_filter(value, autoescape=True)


@functools.lru_cache(maxsize=256)
def _static_remembered(path: str) -> str:
    return static(path)


def now(fmt):
    return dateformat.format(timezone.localtime(), fmt)


def environment(**options) -> jinja2.Environment:
    from articles import jinja as articles_jinja
    from comments import jinja as comments_jinja
    from push import jinja as push_jinja

    options["loader"] = JinjaLoader(options["loader"].searchpath)
    # Django's engine prints nothing for a missing variable or attribute, at any depth.
    options["undefined"] = jinja2.ChainableUndefined
    options["keep_trailing_newline"] = True
    options.setdefault("extensions", []).append("jinja2.ext.i18n")
    env = jinja2.Environment(**options)  # noqa: S701 - Django's backend sets autoescape=True
    env.install_gettext_callables(
        translation.gettext,
        translation.ngettext,
        newstyle=True,
        pgettext=translation.pgettext,
        npgettext=translation.npgettext,
    )
    env.globals.update(
        url=lambda name, *args: reverse(name, args=args),
        # The hashed names of static files are fixed while the process runs (not so in
        # development, where the files change under the server).
        static=static if settings.DEBUG else _static_remembered,
        now=now,
        language_code=translation.get_language,
        language_bidi=translation.get_language_bidi,
    )
    env.filters.update(
        date=date,
        truncatechars=truncatechars,
        truncatewords=defaultfilters.truncatewords,
        linebreaksbr=linebreaksbr,
        linebreaks=linebreaks,
        striptags=defaultfilters.striptags,
        urlencode=defaultfilters.urlencode,
    )
    articles_jinja.install(env)
    comments_jinja.install(env)
    push_jinja.install(env)
    return env

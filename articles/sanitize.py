"""The one allow-list for HTML written by the newsroom.

Every write path of an article body goes through :func:`clean_html`: the admin
form, the ORM (through the model field's ``pre_save``) and management commands.
Some paths skip all of those (``loaddata`` saves raw, SQL written by hand), so the
page cleans the body again on output (:func:`safe_html`) and never trusts what is stored.
"""

import functools
import html as html_entities

import nh3
from django.utils.safestring import SafeString, mark_safe

ALLOWED_TAGS = {
    "p",
    "br",
    "h2",
    "h3",
    "h4",
    "strong",
    "b",
    "em",
    "i",
    "u",
    "s",
    "a",
    "ul",
    "ol",
    "li",
    "blockquote",
    "figure",
    "figcaption",
    "img",
    "hr",
    "table",
    "thead",
    "tbody",
    "tr",
    "th",
    "td",
    "sub",
    "sup",
    "code",
    "pre",
}
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title"},
    "img": {"src", "alt", "width", "height", "title"},
    "th": {"colspan", "rowspan"},
    "td": {"colspan", "rowspan"},
    "*": {"dir"},
}
URL_SCHEMES = {"http", "https", "mailto"}

_cleaner = nh3.Cleaner(
    tags=ALLOWED_TAGS,
    attributes=ALLOWED_ATTRIBUTES,
    url_schemes=URL_SCHEMES,
    link_rel="noopener noreferrer",
    strip_comments=True,
)


def clean_html(html: str | None) -> str:
    """Return ``html`` with everything outside the allow-list removed."""
    if not html:
        return ""
    cleaned = _cleaner.clean(html)
    # ProseMirror always saves at least one empty paragraph.
    if cleaned.strip() in ("<p></p>", "<p><br></p>"):
        return ""
    return cleaned


# Plain text out of HTML (imported reader comments, which are shown as text): no tag
# survives, and what scripts and styles contain is dropped with them.
_text_cleaner = nh3.Cleaner(
    tags=set(),
    clean_content_tags={"script", "style"},
    attributes={},
    strip_comments=True,
    link_rel=None,
)


def html_to_text(html: str | None) -> str:
    """Return the text of ``html`` with every tag removed and entities decoded."""
    if not html:
        return ""
    return html_entities.unescape(_text_cleaner.clean(html)).strip()


@functools.lru_cache(maxsize=256)
def _clean_for_output(html: str) -> SafeString:
    return mark_safe(clean_html(html))  # noqa: S308 - cleaned by the allow-list here


def safe_html(html: str | None) -> SafeString:
    """``html`` cleaned by the allow-list and marked safe for a template.

    A body cleaned on save comes out unchanged; the cleaning of the bodies most read is
    remembered (by their text), so a page view costs a dictionary look-up, not a parse.
    """
    if not html:
        return mark_safe("")
    return _clean_for_output(str(html))

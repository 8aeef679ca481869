from urllib.parse import quote

from django import template
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _

from articles import fragments
from articles.images import responsive_image as build_responsive_image
from articles.models import KIND_PLURALS, KIND_SLUGS
from articles.sanitize import safe_html

register = template.Library()


@register.filter
def sanitized(html):
    """Newsroom HTML for output: cleaned by the allow-list here, whatever wrote it."""
    return safe_html(html)


@register.simple_tag
def responsive_image(field_file, *, alt="", sizes="100vw", eager=False, css_class=""):
    """A ``<picture>`` with WebP renditions, explicit size and lazy loading unless ``eager``.

    Above-the-fold images (the featured image of an article, the lead story) pass
    ``eager=True`` so the browser fetches them at once.
    """
    if not field_file:
        return ""
    loading = "eager" if eager else "lazy"
    extra = format_html(' class="{}"', css_class) if css_class else ""
    if eager:
        extra = format_html('{} fetchpriority="high"', extra)
    image = build_responsive_image(field_file)
    if image is None:
        return format_html(
            '<img src="{}" alt="{}"{} loading="{}" decoding="async">',
            field_file.url,
            alt,
            extra,
            loading,
        )
    # Browsers without WebP take the original from the <img>.
    return format_html(
        '<picture><source type="image/webp" srcset="{}" sizes="{}">'
        '<img src="{}" width="{}" height="{}" alt="{}"{} loading="{}" decoding="async">'
        "</picture>",
        image.srcset,
        sizes,
        image.src,
        image.width,
        image.height,
        alt,
        extra,
        loading,
    )


@register.simple_tag
def share_links(url, title):
    """(network key, label, share URL) for the article's share buttons."""
    u, t = quote(url, safe=""), quote(title, safe="")
    return [
        ("x", _("X"), f"https://x.com/intent/post?url={u}&text={t}"),
        ("facebook", _("Facebook"), f"https://www.facebook.com/sharer/sharer.php?u={u}"),
        ("whatsapp", _("WhatsApp"), f"https://wa.me/?text={t}%20{u}"),
        ("telegram", _("Telegram"), f"https://t.me/share/url?url={u}&text={t}"),
    ]


@register.filter
def kind_slug(kind):
    """The Arabic URL segment of a kind's listing."""
    return KIND_SLUGS.get(kind, "")


@register.filter
def kind_plural(kind):
    return KIND_PLURALS.get(kind, "")


@register.simple_tag(takes_context=True)
def shared_include(context, template_name):
    """An include that holds nothing about the reader (site header and footer): rendered
    once and shared through the fragment cache (articles/fragments.py)."""
    template = context.template.engine.get_template(template_name)
    request = context.get("request")
    if request is None:
        return template.render(context)
    html = fragments.cached(
        request, "include", (template_name,), lambda: str(template.render(context))
    )
    return mark_safe(html)  # noqa: S308 - rendered by our own template, autoescaped

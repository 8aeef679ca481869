import functools
from urllib.parse import quote

from django import template
from django.conf import settings
from django.template.defaultfilters import truncatewords
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

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
        # Renditions not made yet: the original, sized from the model when it stores the
        # size (never by opening the file).
        size = _stored_size(field_file)
        if size:
            extra = format_html('{} width="{}" height="{}"', extra, *size)
        return format_html(
            '<img src="{}" alt="{}"{} loading="{}" decoding="async">',
            field_file.url,
            alt,
            extra,
            loading,
        )
    # Browsers without WebP take the renditions in the original's format from the <img>.
    return format_html(
        '<picture><source type="image/webp" srcset="{}" sizes="{}">'
        '<img src="{}" srcset="{}" sizes="{}" width="{}" height="{}" alt="{}"{} loading="{}" '
        'decoding="async"></picture>',
        image.srcset,
        sizes,
        image.src,
        image.fallback_srcset,
        sizes,
        image.width,
        image.height,
        alt,
        extra,
        loading,
    )


def _stored_size(field_file) -> tuple[int, int] | None:
    field = getattr(field_file, "field", None)
    instance = getattr(field_file, "instance", None)
    width_field = getattr(field, "width_field", None)
    height_field = getattr(field, "height_field", None)
    if instance is None or not width_field or not height_field:
        return None
    width, height = getattr(instance, width_field, None), getattr(instance, height_field, None)
    return (width, height) if width and height else None


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


TEASER_SIZES = "(min-width: 64rem) 22rem, (min-width: 40rem) 45vw, 100vw"


@register.simple_tag
def teaser(item, *, compact=False, show_lead=False, eager=False):
    """An article's teaser in a list. Written here rather than as an included template:
    home and listings show dozens, and an include costs ten times this in every render."""
    image = ""
    if item.image and not compact:
        image = responsive_image(item.image, alt=item.image_alt, sizes=TEASER_SIZES, eager=eager)
    lead = ""
    if show_lead and item.lead:
        lead = format_html('<p class="teaser-lead">{}</p>', truncatewords(item.lead, 40))
    # What the |date filter does for a template: the site's time zone.
    published = timezone.localtime(item.published_at) if item.published_at else None
    return format_html(
        '\n<article class="teaser{}">\n  <a href="{}">\n    {}\n    <h3>{}</h3>\n  </a>\n'
        "  {}\n"
        '  <p class="labels"><span class="label label-kind">{}</span> '
        '<span class="label">{}</span> <time datetime="{}">{}</time></p>\n</article>\n',
        " teaser-compact" if compact else "",
        item.get_absolute_url(),
        image,
        item.title,
        lead,
        item.get_kind_display(),
        item.section.name,
        # What |date:"c" and |date:"d/m/Y" print, without the format machinery.
        published.isoformat() if published else "",
        published.strftime("%d/%m/%Y") if published else "",
    )


@functools.lru_cache(maxsize=4096)
def _link(name: str, args: tuple) -> str:
    return reverse(name, args=args)


@register.simple_tag
def link(name, *args):
    """``{% url %}`` for the site's own fixed addresses, remembered per process: the
    header, footer and article pages link the same few dozen addresses on every page, and
    reversing a pattern cost more than the rest of a link. (The URLconf never changes while
    the process runs.)"""
    return _link(name, tuple(str(arg) for arg in args))


@register.inclusion_tag("articles/live_coverage.html", takes_context=True)
def live_coverage(context, article):
    """The updates of a live coverage; the page then carries the coverage's purge key."""
    from articles.live_views import live_keys
    from edge.http import add_keys

    updates = list(article.live_updates.select_related("author").newest_first())
    request = context.get("request")
    if request is not None:
        add_keys(request, keys=live_keys(article, updates))
    return {
        "article": article,
        "poll_ms": settings.LIVE_POLL_SECONDS * 1000,
        "updates": updates,
        "key_points": [update for update in updates if update.pinned],
    }

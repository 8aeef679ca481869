"""What the reading site's templates can call (installed in ``levant24/jinja2.py``).

Markup is built with markupsafe (``Markup.format`` escapes every argument) rather than
included templates: a home page shows about seventy teasers.
"""

from __future__ import annotations

from urllib.parse import quote

from django.conf import settings
from django.template.defaultfilters import truncatewords
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from jinja2 import pass_context
from markupsafe import Markup, escape

from core.links import link

from . import seo
from .images import responsive_image as build_responsive_image
from .models import KIND_DISPLAY, KIND_PLURALS, KIND_SLUGS
from .sanitize import safe_html


def sanitized(html):
    """Newsroom HTML for output: cleaned by the allow-list here, whatever wrote it."""
    return Markup(safe_html(html))  # noqa: S704 - cleaned by the allow-list


_IMG = Markup('<img src="{}" alt="{}"{} loading="{}" decoding="async">')
_PICTURE = Markup(
    '<picture><source type="image/webp" srcset="{}" sizes="{}">'
    '<img src="{}" srcset="{}" sizes="{}" width="{}" height="{}" alt="{}"{} loading="{}" '
    'decoding="async"></picture>'
)


def responsive_image(field_file, *, alt="", sizes="100vw", eager=False, css_class=""):
    """A ``<picture>`` with WebP renditions, explicit size and lazy loading unless ``eager``.

    Above-the-fold images (the featured image of an article, the lead story) pass
    ``eager=True`` so the browser fetches them at once.
    """
    if not field_file:
        return ""
    loading = "eager" if eager else "lazy"
    extra = Markup(' class="{}"').format(css_class) if css_class else Markup("")
    if eager:
        extra += Markup(' fetchpriority="high"')
    image = build_responsive_image(field_file)
    if image is None:
        # Renditions not made yet: the original, sized from the model when it stores the
        # size (never by opening the file).
        size = _stored_size(field_file)
        if size:
            extra += Markup(' width="{}" height="{}"').format(*size)
        return _IMG.format(field_file.url, alt, extra, loading)
    # Browsers without WebP take the renditions in the original's format from the <img>.
    return _PICTURE.format(
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


def share_links(url, title):
    """(network key, label, share URL) for the article's share buttons."""
    u, t = quote(url, safe=""), quote(title, safe="")
    return [
        ("x", _("X"), f"https://x.com/intent/post?url={u}&text={t}"),
        ("facebook", _("Facebook"), f"https://www.facebook.com/sharer/sharer.php?u={u}"),
        ("whatsapp", _("WhatsApp"), f"https://wa.me/?text={t}%20{u}"),
        ("telegram", _("Telegram"), f"https://t.me/share/url?url={u}&text={t}"),
    ]


def kind_slug(kind):
    """The Arabic URL segment of a kind's listing."""
    return KIND_SLUGS.get(kind, "")


def kind_plural(kind):
    return KIND_PLURALS.get(kind, "")


TEASER_SIZES = "(min-width: 64rem) 22rem, (min-width: 40rem) 45vw, 100vw"


_KIND_TEXT: dict = {}


def _kind_text(catalogue) -> dict:
    """The kinds' labels in the language of ``catalogue`` (the active one), translated once
    per process and language rather than once per teaser."""
    found = _KIND_TEXT.get(catalogue)
    if found is None:
        found = _KIND_TEXT[catalogue] = {kind: str(label) for kind, label in KIND_DISPLAY.items()}
    return found


@pass_context
def teaser(context, item, *, compact=False, show_lead=False, eager=False):
    """An article's teaser in a list: every value escaped, then one f-string."""
    image = ""
    if item.image and not compact:
        image = responsive_image(item.image, alt=item.image_alt, sizes=TEASER_SIZES, eager=eager)
    lead = ""
    if show_lead and item.lead:
        lead = f'<p class="teaser-lead">{escape(truncatewords(item.lead, 40))}</p>'
    catalogue = context.get("page_catalogue")
    label = _kind_text(catalogue).get(item.kind, item.kind) if catalogue else item.kind_label
    # What |date does in a template: the site's time zone.
    published = item.published_at
    if published:
        published = published.astimezone(
            context.get("page_timezone") or timezone.get_current_timezone()
        )
    when = published.isoformat() if published else ""
    day = published.strftime("%d/%m/%Y") if published else ""
    return Markup(  # noqa: S704 - every value above is escaped
        f'\n<article class="teaser{" teaser-compact" if compact else ""}">\n'
        f'  <a href="{escape(item.get_absolute_url())}">\n    {image}\n'
        f"    <h3>{escape(item.title)}</h3>\n  </a>\n  {lead}\n"
        f'  <p class="labels"><span class="label label-kind">{escape(label)}'
        f'</span> <span class="label">{escape(item.section.name)}</span> '
        f'<time datetime="{when}">{day}</time></p>\n</article>\n'
    )


@pass_context
def live_coverage(context, article):
    """The updates of a live coverage; the page then carries the coverage's purge key."""
    from edge.http import add_keys
    from levant24.jinja2 import render_within

    from .live_views import live_keys

    updates = list(article.live_updates.select_related("author").newest_first())
    request = context.get("request")
    if request is not None:
        add_keys(request, keys=live_keys(article, updates))
    return render_within(
        context,
        "articles/live_coverage.jinja",
        {
            "article": article,
            "poll_ms": settings.LIVE_POLL_SECONDS * 1000,
            "updates": updates,
            "key_points": [update for update in updates if update.pinned],
        },
    )


@pass_context
def canonical_url(context) -> str:
    request = context.get("request")
    return seo.canonical_url(request) if request is not None else ""


@pass_context
def page_url(context, number) -> str:
    """Absolute URL of page ``number`` of the current listing."""
    return seo.page_url(context["request"], int(number))


@pass_context
def article_image(context, article):
    return seo.image_info(article, context.get("site"))


@pass_context
def article_json_ld(context, article, tags=()):
    return Markup(  # noqa: S704 - json_ld_script escapes what could close the script
        seo.json_ld_script(seo.article_structured_data(article, tags, context.get("site")))
    )


def install(env) -> None:
    env.globals.update(
        link=link,
        teaser=teaser,
        responsive_image=responsive_image,
        share_links=share_links,
        live_coverage=live_coverage,
        canonical_url=canonical_url,
        page_url=page_url,
        absolute_url=lambda path: seo.absolute_url(str(path)),
        article_image=article_image,
        article_modified=seo.modified_at,
        article_json_ld=article_json_ld,
    )
    env.filters.update(sanitized=sanitized, kind_slug=kind_slug, kind_plural=kind_plural)

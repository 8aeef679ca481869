from django import template

from .. import seo

register = template.Library()


@register.simple_tag(takes_context=True)
def canonical_url(context) -> str:
    request = context.get("request")
    return seo.canonical_url(request) if request is not None else ""


@register.simple_tag(takes_context=True)
def page_url(context, number) -> str:
    """Absolute URL of page ``number`` of the current listing."""
    return seo.page_url(context["request"], int(number))


@register.simple_tag
def absolute_url(path) -> str:
    return seo.absolute_url(str(path))


@register.simple_tag(takes_context=True)
def article_image(context, article):
    return seo.image_info(article, context.get("site"))


@register.simple_tag
def article_modified(article):
    return seo.modified_at(article)


@register.simple_tag(takes_context=True)
def article_json_ld(context, article, tags=()):
    return seo.json_ld_script(seo.article_structured_data(article, tags, context.get("site")))

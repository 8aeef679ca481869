"""Staff preview of any article in the public template, marked and kept out of search engines."""

from django.http import Http404
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.views.decorators.cache import never_cache

from . import selectors, services
from .models import Article


@never_cache
def article_preview(request, pk: int):
    """Staff who may see the article get the real page; everyone else gets 404."""
    from accounts.two_factor import second_factor_satisfied

    user = request.user
    # Drafts are for staff who passed the admin's sign-in, second factor included.
    if not (user.is_active and user.is_staff and second_factor_satisfied(user)):
        raise Http404
    article = get_object_or_404(Article.objects.select_related("section", "author"), pk=pk)
    if not services.user_can_view(user, article):
        raise Http404
    if article.is_public:
        context = selectors.article_main_context(article)
        context["share_url"] = request.build_absolute_uri(article.get_absolute_url())
    else:
        # Unpublished articles have no place in the public order yet.
        context = {
            "tags": list(article.tags.all()),
            "previous_article": None,
            "next_article": None,
            "related": [],
            "latest": selectors.latest_news(exclude_id=article.pk, limit=6),
        }
    context.update(article=article, object=article, is_preview=True, site=selectors.site_settings())
    response = TemplateResponse(request, "articles/article_preview.jinja", context)
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response

"""Public search page and robots.txt."""

from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_safe

from . import search
from .edge import SITE, share_page
from .models import Article, Kind, Section

RESULTS_PER_PAGE = 12

QUERY_ERRORS = {
    "empty": _("Type a word or two to search the articles."),
    "too_long": _("That search is too long. Please use at most 200 characters."),
    "no_words": _("Your search has no words in it. Please type a word or two."),
    "stop_words": _(
        "Words such as «في» and «من» are too common to search for. Please add a word that "
        "names what you are looking for."
    ),
}


@require_safe
def search_view(request):
    query = search.parse_query(request.GET.get("q"))
    kind = request.GET.get("kind", "")
    if kind not in Kind.values:
        kind = ""
    sections = list(Section.objects.only("id", "name", "slug"))
    section = next((s for s in sections if s.slug == request.GET.get("section")), None)

    page_obj = None
    results = []
    if query.ok:
        queryset = Article.objects.published()
        if kind:
            queryset = queryset.filter(kind=kind)
        if section:
            queryset = queryset.filter(section=section)
        page_obj = Paginator(search.ranked_article_ids(queryset, query), RESULTS_PER_PAGE).get_page(
            request.GET.get("page")
        )
        by_id = Article.objects.select_related("section", "author").in_bulk(list(page_obj))
        for pk in page_obj:
            article = by_id.get(pk)
            if article is None:
                continue
            text = article.lead + " " + search.plain_text(article.body)
            results.append(
                {
                    "article": article,
                    "title": search.highlight(article.title, query.terms),
                    "snippet": search.snippet(text, query.terms),
                }
            )

    # Filters and query carried over into the page links.
    params = request.GET.copy()
    params.pop("page", None)
    context = {
        "query": query.text,
        "query_error": QUERY_ERRORS.get(query.error, ""),
        "results": results,
        "page_obj": page_obj,
        "paginator": page_obj.paginator if page_obj else None,
        "is_paginated": bool(page_obj and page_obj.has_other_pages()),
        "result_count": page_obj.paginator.count if page_obj else 0,
        "kinds": Kind.choices,
        "selected_kind": kind,
        "sections": sections,
        "selected_section": section.slug if section else "",
        "page_params": params.urlencode(),
    }
    share_page(request, {SITE, "list-search"})
    return render(request, "articles/search.jinja", context)


@require_safe
def robots_txt(request):
    base = request.build_absolute_uri("/").rstrip("/")
    lines = [
        "User-agent: *",
        "Disallow: /admin/",
        "Disallow: /accounts/",
        f"Disallow: {reverse('articles:search')}",
        "",
        f"Sitemap: {base}{reverse('sitemap')}",
        f"Sitemap: {base}{reverse('news_sitemap')}",
        "",
    ]
    return HttpResponse("\n".join(lines), content_type="text/plain; charset=utf-8")

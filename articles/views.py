from django.contrib.auth import get_user_model
from django.http import Http404, HttpResponse, HttpResponsePermanentRedirect, JsonResponse
from django.shortcuts import get_object_or_404
from django.template.loader import render_to_string
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _
from django.views.generic import DetailView, ListView, TemplateView
from taggit.models import Tag

from comments.models import ModerationSettings
from comments.selectors import (
    comment_section_context,
    may_share_thread,
    reader_comment_form_html,
    shared_thread,
)
from levant24.csrf import get_token

from . import fragments, selectors
from .models import FEATURE_KINDS, FEATURES_SLUG, KIND_PLURALS, KIND_SLUGS, Article, Section

PAGE_SIZE = 12


class SharedReaderPageMixin:
    """Pages that every signed-in reader sees alike, but for their own parts.

    A signed-in reader's page differs from every other signed-in reader's only in their
    name in the header (and, on an article, their comment form) and their CSRF tokens,
    unless they have a message to read or are staff. In that common case the page is one
    fragment shared by all of them (under the page-cache generation, like every fragment),
    stored with those parts left as holes that are filled for each request. Anonymous
    readers get the full-page cache instead.
    """

    def page_shared_by_readers(self) -> bool:
        request = self.request
        if not request.user.is_authenticated or not fragments.enabled(request):
            return False
        storage = getattr(request, "_messages", None)
        return not (storage is not None and len(storage))  # len() leaves them unread

    def shared_page_response(self, key: tuple, build) -> HttpResponse:
        """The shared page ``key`` (``build()`` renders it with its holes), filled in."""
        request = self.request
        parts = fragments.cached(
            request, f"reader-page:{type(self).__name__}", key, lambda: fragments.cut(build())
        )
        token = get_token(request)
        values = {"csrf": token.encode()}
        for name in fragments.holes(parts) - {"csrf"}:
            values[name] = self.fill_hole(name, token).encode()
        return HttpResponse(fragments.assemble(parts, values))

    def fill_hole(self, name: str, token: str) -> str:
        if name == "user-area":
            return render_to_string(
                "includes/user_area.html", {"user": self.request.user, "csrf_token": token}
            )
        raise ValueError(f"unknown hole {name!r}")

    def render_with_holes(self, response) -> str:
        """The page of ``response`` (a TemplateResponse not yet rendered) with the header's
        account area left as a hole."""
        response.context_data["user_area_html"] = fragments.hole("user-area")
        return response.render().content.decode()


class SharedReaderTemplateMixin(SharedReaderPageMixin):
    """For list and template views: the whole page, named by its address, is shared."""

    def get(self, request, *args, **kwargs):
        if not self.page_shared_by_readers():
            return super().get(request, *args, **kwargs)
        return self.shared_page_response(
            (request.get_full_path(),),
            lambda: self.render_with_holes(
                super(SharedReaderTemplateMixin, self).get(request, *args, **kwargs)
            ),
        )


class HomeView(SharedReaderTemplateMixin, TemplateView):
    template_name = "articles/home.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(**kwargs) | selectors.home_blocks()


def published_article_or_404(request, pk) -> Article:
    """The published article ``pk`` with its section and author, shared like the article
    page's other fragments: publishing, editing and unpublishing bump the generation its
    key holds, so nobody gets an article that is no longer public."""
    found = fragments.cached(
        request,
        "article-object",
        (pk,),
        lambda: (
            Article.objects.published().select_related("section", "author").filter(pk=pk).first()
            or False
        ),
    )
    if not found:
        raise Http404
    return found


class ArticleDetailView(SharedReaderPageMixin, DetailView):
    template_name = "articles/article_detail.html"
    context_object_name = "article"

    def get_object(self, queryset=None):
        return published_article_or_404(self.request, self.kwargs["pk"])

    def get(self, request, *args, **kwargs):
        self.object = self.get_object()
        if kwargs.get("slug") != self.object.slug:
            return HttpResponsePermanentRedirect(self.object.get_absolute_url())
        if self.page_shared_by_readers() and not request.GET and may_share_thread(request):
            # Not for a reader with a pending comment of their own or a reply target.
            closed = ModerationSettings.load().comments_closed(self.object)
            return self.shared_page_response(
                (self.object.pk, request.path, closed), lambda: self._render_with_holes(closed)
            )
        return self.render_to_response(self.get_context_data(object=self.object))

    def fill_hole(self, name: str, token: str) -> str:
        if name == "comment-form":
            return reader_comment_form_html(self.request, article=self.object)
        return super().fill_hole(name, token)

    def _render_with_holes(self, closed: bool) -> str:
        context = self.get_context_data(object=self.object)
        count, thread = shared_thread(self.request, article=self.object, closed=closed)
        context.update(
            comment_form_html=fragments.hole("comment-form") if not closed else None,
            comment_thread_html=mark_safe(thread),  # noqa: S308 - our template, autoescaped
            comment_count=count,
        )
        return self.render_with_holes(self.render_to_response(context))

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        article, request = self.object, self.request
        share_url = request.build_absolute_uri(article.get_absolute_url())
        context["share_url"] = share_url
        # The parts that are the same for every reader come from the fragment cache
        # (articles/fragments.py); what is about the reader (header, comment form, their
        # pending comments) is rendered for each request.
        context.update(
            article_meta_html=fragments.cached(
                request,
                "article-meta",
                (article.pk, request.path),
                lambda: self._render_meta(article),
            ),
            article_main_html=fragments.cached(
                request,
                "article-main",
                (article.pk, share_url),
                lambda: render_to_string(
                    "articles/article_main.html",
                    selectors.article_main_context(article)
                    | {
                        "article": article,
                        "share_url": share_url,
                        "site": selectors.site_settings(),
                    },
                ),
            ),
            latest_html=fragments.cached(
                request,
                "latest-sidebar",
                (article.pk,),
                lambda: render_to_string(
                    "articles/latest_sidebar.html",
                    {"latest": selectors.latest_news(exclude_id=article.pk, limit=6)},
                ),
            ),
        )
        context.update(comment_section_context(article=article, request=request))
        return context

    def _render_meta(self, article) -> str:
        # Only the path of the request is used (the canonical address).
        return render_to_string(
            "includes/seo_article.html",
            {
                "article": article,
                "tags": list(article.tags.all()),
                "site": selectors.site_settings(),
                "request": self.request,
            },
        )


class ArticleListView(SharedReaderTemplateMixin, ListView):
    """A paginated listing of public articles."""

    template_name = "articles/article_list.html"
    context_object_name = "articles"
    paginate_by = PAGE_SIZE
    listing_title = ""
    listing_intro = ""

    def get_base_queryset(self):
        return selectors.public_listing()

    def get_paginator(self, queryset, per_page, **kwargs):
        paginator = super().get_paginator(queryset, per_page, **kwargs)
        # Counting a listing's articles (tens of thousands of rows) took longer than all of
        # the rest of the page: the number is shared like a fragment, so it is counted again
        # only after something public changed. The address names the listing.
        paginator.count = fragments.cached(
            self.request, "listing-count", (self.request.path,), queryset.count
        )
        return paginator

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            listing_title=self.listing_title, listing_intro=self.listing_intro, **kwargs
        )


class KindListView(ArticleListView):
    def get(self, request, *args, **kwargs):
        slug = kwargs["kind_slug"]
        self.subkinds = []
        if slug == FEATURES_SLUG:
            self.kinds = FEATURE_KINDS
            self.listing_title = _("Articles")
            self.listing_intro = _("Analyses, interviews, deep dives and opinion pieces.")
            self.subkinds = [(k, KIND_PLURALS[k], KIND_SLUGS[k]) for k in FEATURE_KINDS]
        else:
            kind = next((k for k, s in KIND_SLUGS.items() if s == slug), None)
            if kind is None:
                raise Http404
            self.kinds = (kind,)
            self.listing_title = KIND_PLURALS[kind]
        return super().get(request, *args, **kwargs)

    def get_queryset(self):
        return self.get_base_queryset().of_kind(*self.kinds)

    def get_context_data(self, **kwargs):
        return super().get_context_data(subkinds=self.subkinds, **kwargs)


class SectionListView(ArticleListView):
    def get(self, request, *args, **kwargs):
        self.section = get_object_or_404(Section, slug=kwargs["slug"])
        self.listing_title = self.section.name
        self.listing_intro = self.section.description
        return super().get(request, *args, **kwargs)

    def get_queryset(self):
        return self.get_base_queryset().filter(section=self.section)

    def get_context_data(self, **kwargs):
        return super().get_context_data(section=self.section, **kwargs)


class TagListView(ArticleListView):
    def get(self, request, *args, **kwargs):
        self.tag = get_object_or_404(Tag, slug=kwargs["slug"])
        self.listing_title = _("Tag: %(name)s") % {"name": self.tag.name}
        return super().get(request, *args, **kwargs)

    def get_queryset(self):
        return self.get_base_queryset().filter(tags__in=[self.tag]).distinct()

    def get_context_data(self, **kwargs):
        return super().get_context_data(tag=self.tag, **kwargs)


class AuthorListView(ArticleListView):
    template_name = "articles/author_detail.html"

    def get(self, request, *args, **kwargs):
        # Only staff with a published article have a public page: the usernames of the
        # other staff (editors, moderators, admins) are not for the world to collect.
        authors = (
            get_user_model()
            .objects.authors()
            .filter(pk__in=Article.objects.published().values("author"))
        )
        self.author = get_object_or_404(authors, username=kwargs["username"])
        self.listing_title = self.author.public_name
        return super().get(request, *args, **kwargs)

    def get_queryset(self):
        return self.get_base_queryset().filter(author=self.author)

    def get_context_data(self, **kwargs):
        return super().get_context_data(author=self.author, **kwargs)


def latest_json(request):
    """The newest public articles, for the notifications bell."""
    items = [
        {
            "id": article.pk,
            "title": article.title,
            "url": article.get_absolute_url(),
            "kind": article.get_kind_display(),
            "published_at": article.published_at.isoformat(),
        }
        for article in selectors.latest_news(limit=10)
    ]
    return JsonResponse({"articles": items})

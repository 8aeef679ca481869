from django.contrib.auth import get_user_model
from django.http import Http404, HttpResponsePermanentRedirect, JsonResponse
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext_lazy as _
from django.views.generic import DetailView, ListView, TemplateView
from taggit.models import Tag

from . import selectors
from .edge import UNREAD, article_page_keys, listing_keys, share_page
from .models import FEATURE_KINDS, FEATURES_SLUG, KIND_PLURALS, KIND_SLUGS, Article, Section

PAGE_SIZE = 12


class HomeView(TemplateView):
    template_name = "articles/home.jinja"

    def get_context_data(self, **kwargs):
        blocks = selectors.home_blocks()
        shown = [blocks["lead"], *blocks["latest"]]
        for _group, articles in (*blocks["kind_blocks"], *blocks["section_blocks"]):
            shown += articles
        share_page(
            self.request,
            listing_keys("list-home", [a for a in shown if a]),
            scheduled_at=blocks.pop("scheduled_at", UNREAD),
        )
        return super().get_context_data(**kwargs) | blocks


def published_article_or_404(pk) -> Article:
    """The published article ``pk`` with its section and author."""
    found = selectors.published_article(pk)
    if found is None:
        raise Http404
    return found


class ArticleDetailView(DetailView):
    """The article page: the same for every reader (the comment section's own rules in
    ``comments.templatetags``); whatever is about one reader comes from ``comments:reader``."""

    template_name = "articles/article_detail.jinja"
    context_object_name = "article"

    def get_object(self, queryset=None):
        return published_article_or_404(self.kwargs["pk"])

    def get(self, request, *args, **kwargs):
        self.object = self.get_object()
        if kwargs.get("slug") != self.object.slug:
            return HttpResponsePermanentRedirect(self.object.get_absolute_url())
        return self.render_to_response(self.get_context_data(object=self.object))

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        article, request = self.object, self.request
        main = selectors.article_main_context(article)
        shown = [main["previous_article"], main["next_article"], *main["related"]]
        share_page(
            request,
            article_page_keys(article, tags=main["tags"], shown_articles=shown),
            scheduled_at=main["scheduled_at"],
        )
        context.update(main)
        context.update(
            share_url=request.build_absolute_uri(article.get_absolute_url()),
            site=selectors.site_settings_for(request),
        )
        return context


class ArticleListView(ListView):
    """A paginated listing of public articles."""

    template_name = "articles/article_list.jinja"
    context_object_name = "articles"
    paginate_by = PAGE_SIZE
    listing_title = ""
    listing_intro = ""

    def list_keys(self) -> set[str]:
        """What this list is, as purge keys (besides the articles it shows)."""
        raise NotImplementedError

    def get_context_data(self, **kwargs):
        context = super().get_context_data(
            listing_title=self.listing_title, listing_intro=self.listing_intro, **kwargs
        )
        keys = listing_keys("site", context["object_list"]) | self.list_keys()
        share_page(self.request, keys)
        return context


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
        marks = ", ".join(["%s"] * len(self.kinds))
        return selectors.PublicTeasers(f'a."kind" IN ({marks})', self.kinds)

    def list_keys(self):
        return {f"list-kind-{kind}" for kind in self.kinds}

    def get_context_data(self, **kwargs):
        return super().get_context_data(subkinds=self.subkinds, **kwargs)


class SectionListView(ArticleListView):
    def get(self, request, *args, **kwargs):
        self.section = get_object_or_404(Section, slug=kwargs["slug"])
        self.listing_title = self.section.name
        self.listing_intro = self.section.description
        return super().get(request, *args, **kwargs)

    def get_queryset(self):
        return selectors.PublicTeasers('a."section_id" = %s', [self.section.pk])

    def list_keys(self):
        return {f"list-section-{self.section.pk}", f"section-{self.section.pk}"}

    def get_context_data(self, **kwargs):
        return super().get_context_data(section=self.section, **kwargs)


class TagListView(ArticleListView):
    def get(self, request, *args, **kwargs):
        self.tag = get_object_or_404(Tag, slug=kwargs["slug"])
        self.listing_title = _("Tag: %(name)s") % {"name": self.tag.name}
        return super().get(request, *args, **kwargs)

    def get_queryset(self):
        return selectors.PublicTeasers.tagged(self.tag)

    def list_keys(self):
        return {f"list-tag-{self.tag.pk}", f"tag-{self.tag.pk}"}

    def get_context_data(self, **kwargs):
        return super().get_context_data(tag=self.tag, **kwargs)


class AuthorListView(ArticleListView):
    template_name = "articles/author_detail.jinja"

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
        return selectors.PublicTeasers('a."author_id" = %s', [self.author.pk])

    def list_keys(self):
        return {f"list-author-{self.author.pk}", f"author-{self.author.pk}"}

    def get_context_data(self, **kwargs):
        return super().get_context_data(author=self.author, **kwargs)


def latest_json(request):
    """The newest public articles, for the notifications bell."""
    articles = selectors.latest_news(limit=10)
    items = [
        {
            "id": article.pk,
            "title": article.title,
            "url": article.get_absolute_url(),
            "kind": article.get_kind_display(),
            "published_at": article.published_at.isoformat(),
        }
        for article in articles
    ]
    share_page(request, listing_keys("list-latest", articles))
    return JsonResponse({"articles": items})

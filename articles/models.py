from urllib.parse import parse_qs, urlparse

from django.conf import settings
from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchVectorField
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _
from taggit.managers import TaggableManager

from core.links import link

from .fields import RenamedImageField, SanitizedHTMLField
from .images import featured_image_path, validate_image_upload


def arabic_slugify(text: str) -> str:
    """A slug that keeps Arabic letters (``allow_unicode``)."""
    return slugify(text, allow_unicode=True)[:200].strip("-") or "article"


def article_url(pk: int, slug: str) -> str:
    """An article's address (remembered, as every link of a page: core.links)."""
    return link("articles:detail", pk, slug)


class Section(models.Model):
    name = models.CharField(_("name"), max_length=100, unique=True)
    slug = models.SlugField(_("slug"), max_length=120, unique=True, allow_unicode=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    description = models.TextField(_("description"), blank=True)

    class Meta:
        ordering = ["order", "name"]
        verbose_name = _("section")
        verbose_name_plural = _("sections")

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return link("articles:section", self.slug)


class Kind(models.TextChoices):
    NEWS = "news", _("News")
    ANALYSIS = "analysis", _("Analysis")
    INTERVIEW = "interview", _("Interview")
    DEEP_DIVE = "deep_dive", _("Deep dive")
    OPINION = "opinion", _("Opinion")
    INFOGRAPHIC = "infographic", _("Infographic")
    VIDEO = "video", _("Video")
    LIVE = "live", _("Live coverage")


# The four kinds listed together under "مقالات".
FEATURE_KINDS = (Kind.ANALYSIS, Kind.INTERVIEW, Kind.DEEP_DIVE, Kind.OPINION)

# A kind's label by its value: what get_kind_display() answers, without rebuilding the
# choices on every call (a home page labels some seventy teasers).
KIND_DISPLAY = dict(Kind.choices)

# Labels used for menus and listing titles: the site's menu (تحليلات، مقابلات، مقال عميق،
# مقال رأي), where the deep-dive and opinion kinds keep the singular.
KIND_PLURALS = {
    Kind.NEWS: _("News"),
    Kind.ANALYSIS: _("Analyses"),
    Kind.INTERVIEW: _("Interviews"),
    Kind.DEEP_DIVE: _("Deep dive"),
    Kind.OPINION: _("Opinion"),
    Kind.INFOGRAPHIC: _("Infographics"),
    Kind.VIDEO: _("Videos"),
    Kind.LIVE: _("Live coverage"),
}

# Arabic URL segments for kind listings.
KIND_SLUGS = {
    Kind.NEWS: "أخبار",
    Kind.ANALYSIS: "تحليلات",
    Kind.INTERVIEW: "مقابلات",
    Kind.DEEP_DIVE: "مقال-عميق",
    Kind.OPINION: "مقال-رأي",
    Kind.INFOGRAPHIC: "إنفوجرافيك",
    Kind.VIDEO: "فيديو",
    Kind.LIVE: "تغطية-مباشرة",
}
FEATURES_SLUG = "مقالات"


class Status(models.TextChoices):
    DRAFT = "draft", _("Draft")
    REVIEW = "review", _("In review")
    PUBLISHED = "published", _("Published")


# Derived from the text for search, read by search only.
SEARCH_COLUMNS = ("search_document", "search_vector")
# What a teaser of an article shows (templatetags.articles_tags.teaser).
TEASER_FIELDS = (
    "id",
    "title",
    "slug",
    "kind",
    "section_id",
    "published_at",
    "status",
    "is_lead",
    "lead",
    "image",
    "image_alt",
    "image_width",
    "image_height",
)


class ArticleQuerySet(models.QuerySet):
    def published(self):
        """The one rule for what the public may see."""
        return self.filter(status=Status.PUBLISHED, published_at__lte=timezone.now())

    def scheduled(self):
        return self.filter(status=Status.PUBLISHED, published_at__gt=timezone.now())

    def of_kind(self, *kinds):
        return self.filter(kind__in=kinds)

    def for_listing(self):
        """What a teaser shows and nothing else, with its section, in one query: the text,
        its search columns and the author are most of a row and no teaser shows them."""
        return self.select_related("section").only(
            *TEASER_FIELDS, "section__id", "section__name", "section__slug"
        )

    def newest_first(self):
        return self.order_by("-published_at", "-id")


def validate_video_url(value: str) -> None:
    if value and video_embed_url(value) is None:
        raise ValidationError(_("Only YouTube and Vimeo links can be embedded."))


def video_embed_url(url: str) -> str | None:
    """The privacy-friendly player URL for a YouTube or Vimeo link."""
    try:
        parsed = urlparse(url)
    except ValueError:
        return None
    if parsed.scheme not in ("http", "https"):
        return None
    host = (parsed.hostname or "").lower().removeprefix("www.").removeprefix("m.")
    video_id = ""
    if host in ("youtube.com", "youtube-nocookie.com"):
        if parsed.path == "/watch":
            video_id = parse_qs(parsed.query).get("v", [""])[0]
        elif parsed.path.startswith(("/embed/", "/shorts/", "/live/")):
            video_id = parsed.path.split("/")[2]
        if video_id and video_id.replace("-", "").replace("_", "").isalnum():
            return f"https://www.youtube-nocookie.com/embed/{video_id}"
    elif host == "youtu.be":
        video_id = parsed.path.strip("/").split("/")[0]
        if video_id and video_id.replace("-", "").replace("_", "").isalnum():
            return f"https://www.youtube-nocookie.com/embed/{video_id}"
    elif host in ("vimeo.com", "player.vimeo.com"):
        parts = [p for p in parsed.path.split("/") if p]
        digits = [p for p in parts if p.isdigit()]
        if digits:
            return f"https://player.vimeo.com/video/{digits[0]}?dnt=1"
    return None


# The fields the search document is built from.
SEARCHED_FIELDS = ("title", "lead", "body", "section_id")


class Article(models.Model):
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.NEWS)
    title = models.CharField(_("title"), max_length=250)
    slug = models.SlugField(_("slug"), max_length=255, allow_unicode=True, blank=True)
    section = models.ForeignKey(
        Section, on_delete=models.PROTECT, related_name="articles", verbose_name=_("section")
    )
    tags = TaggableManager(_("tags"), blank=True)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="articles",
        verbose_name=_("author"),
        limit_choices_to={"is_staff": True},
    )
    lead = models.TextField(_("lead"), blank=True, max_length=1000)
    body = SanitizedHTMLField(_("body"), blank=True)

    image = RenamedImageField(
        _("featured image"),
        upload_to=featured_image_path,
        blank=True,
        width_field="image_width",
        height_field="image_height",
        validators=[validate_image_upload],
    )
    image_width = models.PositiveIntegerField(null=True, blank=True, editable=False)
    image_height = models.PositiveIntegerField(null=True, blank=True, editable=False)
    image_caption = models.CharField(_("image caption"), max_length=300, blank=True)
    image_credit = models.CharField(_("image credit"), max_length=150, blank=True)
    image_alt = models.CharField(_("image alt text"), max_length=300, blank=True)

    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.DRAFT, db_index=True
    )
    published_at = models.DateTimeField(_("publish time"), null=True, blank=True, db_index=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("published by"),
        editable=False,
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    is_lead = models.BooleanField(_("lead story"), default=False)
    comments_open = models.BooleanField(_("comments open"), default=True)
    notify = models.BooleanField(
        _("notify subscribers"),
        default=False,
        help_text=_(
            "Send a push notification to readers who follow this article's section, once, "
            "when the article appears on the site (now, or at its scheduled time). Readers "
            "who chose breaking news only are reached by a breaking line."
        ),
    )
    review_note = models.TextField(_("note from the editor"), blank=True)
    # Set when an editor sends the article back or publishes it; the author's admin shows a
    # badge until the author opens the article.
    news_for_author = models.BooleanField(_("news for the author"), default=False, editable=False)

    # Kind-specific parts.
    # Live coverage: it starts when the article is published and ends when an editor says so.
    coverage_ended_at = models.DateTimeField(
        _("coverage ended at"),
        null=True,
        blank=True,
        help_text=_("Live coverage only: set when the coverage is over; readers stop polling."),
    )
    interviewee_name = models.CharField(_("interviewee"), max_length=150, blank=True)
    interviewee_role = models.CharField(_("interviewee's role"), max_length=200, blank=True)
    video_url = models.URLField(
        _("video link"),
        blank=True,
        validators=[validate_video_url],
        help_text=_("A YouTube or Vimeo link."),
    )

    # Search: the analyzer's terms of title, lead, body and tag/section names (one line
    # each), computed on every save; on PostgreSQL also as a weighted tsvector.
    search_document = models.TextField(blank=True, default="", editable=False)
    search_vector = SearchVectorField(null=True, blank=True, editable=False)

    objects = ArticleQuerySet.as_manager()

    class Meta:
        ordering = ["-published_at", "-id"]
        verbose_name = _("article")
        verbose_name_plural = _("articles")
        permissions = [("publish_article", _("Can publish, schedule and unpublish articles"))]
        indexes = [
            models.Index(fields=["status", "-published_at"], name="article_public_idx"),
            models.Index(fields=["kind", "status", "-published_at"], name="article_kind_idx"),
            # Section listings and blocks, related articles: newest first within a section.
            models.Index(fields=["section", "status", "-published_at"], name="article_section_idx"),
            # The home page's lead story: few articles carry the flag.
            models.Index(
                fields=["-published_at"], condition=Q(is_lead=True), name="article_lead_idx"
            ),
            # Created on PostgreSQL only (see the migration).
            GinIndex(fields=["search_vector"], name="article_search_idx"),
        ]

    def __str__(self):
        return self.title

    def save(self, *args, **kwargs):
        # The search document (the analyzer's terms of the text, tags and section) is
        # rebuilt by a task after the commit when one of them changed
        # (articles.tasks.search_document_rebuild): a save stays fast.
        if not self.slug:
            self.slug = arabic_slugify(self.title)
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return article_url(self.pk, self.slug or "-")

    @classmethod
    def from_db(cls, db, field_names, values):
        instance = super().from_db(db, field_names, values)
        # The text as loaded: a save that changes it queues a new search document.
        instance._loaded_text = instance._text()
        return instance

    def _text(self):
        # Read from __dict__: a deferred field must not be loaded just to be compared.
        return tuple(self.__dict__.get(name) for name in SEARCHED_FIELDS)

    @property
    def text_changed(self) -> bool:
        """The title, lead or body differ from what was loaded (or the article is new)."""
        return getattr(self, "_loaded_text", None) != self._text()

    @property
    def is_public(self) -> bool:
        return (
            self.status == Status.PUBLISHED
            and self.published_at is not None
            and self.published_at <= timezone.now()
        )

    @property
    def was_updated(self) -> bool:
        """Edited noticeably after it went public."""
        return bool(
            self.published_at
            and self.updated_at
            and (self.updated_at - self.published_at).total_seconds() > 600
        )

    @property
    def video_embed_url(self) -> str | None:
        return video_embed_url(self.video_url) if self.video_url else None

    @property
    def kind_label(self) -> str:
        return KIND_DISPLAY.get(self.kind, self.kind)

    @property
    def is_feature(self) -> bool:
        return self.kind in FEATURE_KINDS

    @property
    def is_live(self) -> bool:
        """Live coverage that has not ended: readers' pages keep polling for updates."""
        return self.kind == Kind.LIVE and self.coverage_ended_at is None


class KindManager(models.Manager.from_queryset(ArticleQuerySet)):
    """Limits a per-kind proxy to its own kind."""

    def __init__(self, kind):
        super().__init__()
        self.kind = kind

    def get_queryset(self):
        return super().get_queryset().filter(kind=self.kind)


def _kind_proxy(name, kind, plural):
    """One proxy of Article per kind: the newsroom admin lists each kind apart."""
    meta = type(
        "Meta",
        (),
        {"proxy": True, "verbose_name": KIND_LABELS[kind], "verbose_name_plural": plural},
    )
    attrs = {"__module__": __name__, "Meta": meta, "objects": KindManager(kind), "KIND": kind}
    return type(name, (Article,), attrs)


# Singular labels shown on the admin's kind entries.
KIND_LABELS = {
    Kind.NEWS: _("news article"),
    Kind.ANALYSIS: _("analysis"),
    Kind.INTERVIEW: _("interview"),
    Kind.DEEP_DIVE: _("deep dive"),
    Kind.OPINION: _("opinion piece"),
    Kind.INFOGRAPHIC: _("infographic"),
    Kind.VIDEO: _("video"),
    Kind.LIVE: _("live coverage"),
}

NewsArticle = _kind_proxy("NewsArticle", Kind.NEWS, KIND_PLURALS[Kind.NEWS])
AnalysisArticle = _kind_proxy("AnalysisArticle", Kind.ANALYSIS, KIND_PLURALS[Kind.ANALYSIS])
InterviewArticle = _kind_proxy("InterviewArticle", Kind.INTERVIEW, KIND_PLURALS[Kind.INTERVIEW])
DeepDiveArticle = _kind_proxy("DeepDiveArticle", Kind.DEEP_DIVE, KIND_PLURALS[Kind.DEEP_DIVE])
OpinionArticle = _kind_proxy("OpinionArticle", Kind.OPINION, KIND_PLURALS[Kind.OPINION])
InfographicArticle = _kind_proxy(
    "InfographicArticle", Kind.INFOGRAPHIC, KIND_PLURALS[Kind.INFOGRAPHIC]
)
VideoArticle = _kind_proxy("VideoArticle", Kind.VIDEO, KIND_PLURALS[Kind.VIDEO])
LiveArticle = _kind_proxy("LiveArticle", Kind.LIVE, _("live coverages"))

KIND_PROXIES = {
    Kind.NEWS: NewsArticle,
    Kind.ANALYSIS: AnalysisArticle,
    Kind.INTERVIEW: InterviewArticle,
    Kind.DEEP_DIVE: DeepDiveArticle,
    Kind.OPINION: OpinionArticle,
    Kind.INFOGRAPHIC: InfographicArticle,
    Kind.VIDEO: VideoArticle,
    Kind.LIVE: LiveArticle,
}


class MonthNames(models.TextChoices):
    LEVANTINE = "levantine", _("Levantine (كانون الثاني، شباط…)")
    EGYPTIAN = "egyptian", _("Egyptian (يناير، فبراير…)")
    BOTH = "both", _("Both (كانون الثاني/يناير)")


class SiteSettings(models.Model):
    """Site identity that the site admin edits: name, about text, social links."""

    site_name = models.CharField(_("site name"), max_length=100, default="ليفانت 24")
    tagline = models.CharField(_("tagline"), max_length=200, blank=True)
    about = models.TextField(_("about the site"), blank=True)
    x_url = models.URLField(_("X (Twitter)"), blank=True)
    facebook_url = models.URLField(_("Facebook"), blank=True)
    telegram_url = models.URLField(_("Telegram"), blank=True)
    youtube_url = models.URLField(_("YouTube"), blank=True)
    instagram_url = models.URLField(_("Instagram"), blank=True)
    whatsapp_url = models.URLField(_("WhatsApp channel"), blank=True)
    month_names = models.CharField(
        _("month names"),
        max_length=10,
        choices=MonthNames.choices,
        default=MonthNames.LEVANTINE,
        help_text=_(
            "How dates with a month name are written on the site and in the admin's date "
            "lists and calendar."
        ),
    )
    social_image = models.ImageField(
        _("default social image"),
        upload_to="site/",
        blank=True,
        width_field="social_image_width",
        height_field="social_image_height",
        validators=[validate_image_upload],
        help_text=_(
            "Shown in link previews and search results for an article without a featured "
            "image. Best at 1200 × 630 pixels."
        ),
    )
    social_image_width = models.PositiveIntegerField(null=True, blank=True, editable=False)
    social_image_height = models.PositiveIntegerField(null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("site settings")
        verbose_name_plural = _("site settings")

    def __str__(self):
        return self.site_name

    @classmethod
    def load(cls) -> "SiteSettings":
        obj, _created = cls.objects.get_or_create(pk=1)
        return obj

    @property
    def social_links(self) -> list[tuple[str, str, str]]:
        """(key, label, url) for each configured network."""
        links = [
            ("x", _("X"), self.x_url),
            ("facebook", _("Facebook"), self.facebook_url),
            ("telegram", _("Telegram"), self.telegram_url),
            ("youtube", _("YouTube"), self.youtube_url),
            ("instagram", _("Instagram"), self.instagram_url),
            ("whatsapp", _("WhatsApp"), self.whatsapp_url),
        ]
        return [link for link in links if link[2]]


class ArticleVersionTags(models.Model):
    """The tags of an article as they were in one of its saved versions.

    django-reversion keeps the article's own columns; tags live in taggit's tables, so
    ``articles.revisions`` records their names beside each version.
    """

    version = models.OneToOneField(
        "reversion.Version", on_delete=models.CASCADE, related_name="article_tags"
    )
    names = models.JSONField(default=list)

    class Meta:
        verbose_name = _("tags of a version")
        verbose_name_plural = _("tags of versions")

    def __str__(self):
        return "، ".join(self.names)


class ImageRenditions(models.Model):
    """The renditions made for one stored image (any model's image field), by file name.
    Written by the rendition task; a page reads it to build its srcset."""

    name = models.CharField(max_length=255, unique=True)
    width = models.PositiveIntegerField()
    height = models.PositiveIntegerField()
    # [[width, height], ...] of each rendition, narrowest first.
    sizes = models.JSONField(default=list)
    # Extension of the renditions in the original's format ("jpg", "png" or "webp").
    extension = models.CharField(max_length=5)
    made_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("image renditions")
        verbose_name_plural = _("image renditions")

    def __str__(self):
        return self.name


class BreakingLineQuerySet(models.QuerySet):
    def current(self, *, now=None):
        """Lines not yet expired, newest first: the strip shows the first one only."""
        return self.filter(expires_at__gt=now or timezone.now()).order_by("-created_at", "-id")


class BreakingLine(models.Model):
    """A short breaking-news line (عاجل) shown in a strip on every page until it expires."""

    text = models.CharField(_("text"), max_length=200)
    article = models.ForeignKey(
        Article,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("linked article"),
        help_text=_("Optional. The link is shown only while the article is published."),
    )
    expires_at = models.DateTimeField(_("expires at"))
    created_at = models.DateTimeField(_("created"), default=timezone.now, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("created by"),
        editable=False,
    )

    objects = BreakingLineQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("breaking line")
        verbose_name_plural = _("breaking lines")

    def __str__(self):
        return self.text

    def clean(self):
        super().clean()
        if self.expires_at and self.expires_at <= timezone.now() and self._state.adding:
            raise ValidationError({"expires_at": _("The expiry must be in the future.")})

    @property
    def public_url(self) -> str:
        """The linked article's address, only when the public may read it."""
        article = self.article
        if article is not None and article.is_public:
            return article.get_absolute_url()
        return ""


def live_update_image_path(instance, filename: str) -> str:
    return featured_image_path(instance, filename).replace("articles/", "live/", 1)


class LiveUpdateQuerySet(models.QuerySet):
    def newest_first(self):
        return self.order_by("-posted_at", "-id")

    def key_points(self):
        return self.filter(pinned=True)


class LiveUpdate(models.Model):
    """One timestamped entry of a live coverage (تغطية مباشرة)."""

    article = models.ForeignKey(
        Article,
        on_delete=models.CASCADE,
        related_name="live_updates",
        verbose_name=_("live coverage"),
        limit_choices_to={"kind": Kind.LIVE},
    )
    body = SanitizedHTMLField(_("text"))
    image = RenamedImageField(
        _("image"),
        upload_to=live_update_image_path,
        blank=True,
        width_field="image_width",
        height_field="image_height",
        validators=[validate_image_upload],
    )
    image_width = models.PositiveIntegerField(null=True, blank=True, editable=False)
    image_height = models.PositiveIntegerField(null=True, blank=True, editable=False)
    image_alt = models.CharField(_("image alt text"), max_length=300, blank=True)
    embed_url = models.URLField(
        _("embed link"),
        blank=True,
        validators=[URLValidator(schemes=["http", "https"])],
        help_text=_("A YouTube or Vimeo link is shown as a player; any other link as a link."),
    )
    pinned = models.BooleanField(
        _("key point"), default=False, help_text=_("Also listed among the key points.")
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("author"),
        limit_choices_to={"is_staff": True},
    )
    posted_at = models.DateTimeField(_("posted at"), default=timezone.now, db_index=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = LiveUpdateQuerySet.as_manager()

    class Meta:
        ordering = ["-posted_at", "-id"]
        verbose_name = _("live update")
        verbose_name_plural = _("live updates")

    def __str__(self):
        return f"{self.article_id} · {timezone.localtime(self.posted_at):%H:%M}"

    def clean(self):
        super().clean()
        if self.article_id and self.article.kind != Kind.LIVE:
            raise ValidationError({"article": _("Updates belong to live coverage only.")})
        if self.image and not self.image_alt:
            raise ValidationError(
                {"image_alt": _("Describe the image for readers who cannot see it.")}
            )

    @property
    def video_embed_url(self) -> str | None:
        return video_embed_url(self.embed_url) if self.embed_url else None

import re
from datetime import timedelta
from html.parser import HTMLParser
from urllib.parse import quote

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from articles.models import Article, Kind, Status
from tests.factories import (
    make_article,
    make_author,
    make_image_file,
    make_section,
    make_site_settings,
    make_user,
)

pytestmark = pytest.mark.django_db

FEATURES_URL = reverse("articles:kind", kwargs={"kind_slug": "مقالات"})


def kind_url(slug):
    return reverse("articles:kind", kwargs={"kind_slug": slug})


def html_of(response):
    assert response.status_code == 200
    return response.content.decode()


class _VisibleText(HTMLParser):
    """Text a reader sees or hears: text nodes and the attributes read out or shown."""

    SPOKEN = {"aria-label", "placeholder", "title", "alt", "data-copied"}

    def __init__(self):
        super().__init__()
        self.parts = []
        self._skip = 0

    def handle_starttag(self, tag, attrs):
        if tag in ("script", "style"):
            self._skip += 1
        self.parts.extend(value or "" for name, value in attrs if name in self.SPOKEN)

    def handle_endtag(self, tag):
        if tag in ("script", "style"):
            self._skip -= 1

    def handle_data(self, data):
        if not self._skip:
            self.parts.append(data)


def visible_text(html):
    parser = _VisibleText()
    parser.feed(html)
    return " ".join(parser.parts)


def assert_no_english(html):
    """No Latin word of three letters or more in what the reader sees."""
    words = re.findall(r"[A-Za-z]{3,}", visible_text(html))
    assert words == []


@pytest.fixture
def newsroom(db):
    """One public article of every kind plus the three kinds of hidden article."""
    section = make_section(name="سوريا", slug="سوريا")
    other = make_section(name="اقتصاد", slug="اقتصاد")
    author = make_author(username="layla", display_name="ليلى حداد", bio="صحفية من حلب.")
    public = {
        kind: make_article(
            kind=kind,
            title=f"مقال من نوع {label}",
            section=section if i % 2 == 0 else other,
            author=author,
            tags=["حلب", "اقتصاد سوري"],
            published_at=timezone.now() - timedelta(hours=i + 1),
        )
        for i, (kind, label) in enumerate(Kind.choices)
    }
    hidden = [
        make_article(
            title="مسودة سرية", status=Status.DRAFT, section=section, author=author, tags=["حلب"]
        ),
        make_article(
            title="مقال قيد المراجعة",
            status=Status.REVIEW,
            section=section,
            author=author,
            tags=["حلب"],
        ),
        make_article(
            title="مقال مجدول للغد",
            section=section,
            author=author,
            tags=["حلب"],
            published_at=timezone.now() + timedelta(days=1),
        ),
    ]
    return {"public": public, "hidden": hidden, "section": section, "author": author}


HIDDEN_TITLES = ("مسودة سرية", "مقال قيد المراجعة", "مقال مجدول للغد")


def public_pages(newsroom):
    return [
        reverse("articles:home"),
        kind_url("أخبار"),
        FEATURES_URL,
        reverse("articles:section", kwargs={"slug": "سوريا"}),
        reverse("articles:tag", kwargs={"slug": "حلب"}),
        reverse("articles:author", kwargs={"username": "layla"}),
    ]


# Home -----------------------------------------------------------------------


def test_home_shows_lead_story_latest_and_a_block_per_kind_and_section(client, newsroom):
    lead = newsroom["public"][Kind.OPINION]
    Article.objects.filter(pk=lead.pk).update(is_lead=True)
    html = html_of(client.get(reverse("articles:home")))
    lead_block = html.split('class="lead-story"')[1].split("</section>")[0]
    assert lead.title in lead_block
    assert "آخر الأخبار" in html
    for label in ("أخبار", "تحليلات", "مقابلات", "مقال عميق", "مقال رأي", "إنفوجرافيك", "فيديو"):
        assert f">{label}</a></h2>" in html
    assert '<a href="/section/%D8%B3%D9%88%D8%B1%D9%8A%D8%A7/">سوريا</a></h2>' in html
    assert ">اقتصاد</a></h2>" in html


def lead_block(html):
    return html.split('class="lead-story"')[1].split("</section>")[0]


def test_home_lead_story_is_the_flagged_article_else_the_newest(client, section, author):
    now = timezone.now()
    older = make_article(
        title="القديم", section=section, author=author, published_at=now - timedelta(days=2)
    )
    newest = make_article(
        title="الأحدث", section=section, author=author, published_at=now - timedelta(hours=1)
    )
    assert newest.title in lead_block(html_of(client.get(reverse("articles:home"))))
    Article.objects.filter(pk=older.pk).update(is_lead=True)
    html = html_of(client.get(reverse("articles:home")))
    assert older.title in lead_block(html)
    assert newest.title not in lead_block(html)


def test_home_without_articles_still_renders(client, db):
    html = html_of(client.get(reverse("articles:home")))
    assert "لا توجد مقالات بعد." in html


# Publication rule on every page ---------------------------------------------


def test_drafts_review_and_scheduled_articles_appear_on_no_public_page(client, newsroom):
    for url in public_pages(newsroom):
        html = html_of(client.get(url))
        for title in HIDDEN_TITLES:
            assert title not in html, url
    feed = client.get(reverse("articles:latest_json")).json()
    assert not {a["title"] for a in feed["articles"]} & set(HIDDEN_TITLES)


def test_drafts_review_and_scheduled_articles_are_404(client, newsroom):
    for article in newsroom["hidden"]:
        assert client.get(article.get_absolute_url()).status_code == 404
        assert (
            client.get(reverse("articles:detail_short", kwargs={"pk": article.pk})).status_code
            == 404
        )


def test_scheduled_article_is_public_once_its_time_comes(client, newsroom):
    scheduled = newsroom["hidden"][2]
    Article.objects.filter(pk=scheduled.pk).update(
        published_at=timezone.now() - timedelta(minutes=1)
    )
    assert client.get(scheduled.get_absolute_url()).status_code == 200
    assert scheduled.title in html_of(client.get(reverse("articles:home")))


# Article page -----------------------------------------------------------------


def test_article_page_has_the_full_anatomy(
    client, newsroom, settings, django_capture_on_commit_callbacks
):
    section = newsroom["section"]
    with django_capture_on_commit_callbacks(execute=True):  # the upload's renditions task
        article = make_article(
            title="افتتاح السوق القديم",
            section=section,
            author=newsroom["author"],
            kind=Kind.NEWS,
            tags=["حلب", "ترميم"],
            published_at=timezone.now() - timedelta(minutes=30),
            image=make_image_file(),
            image_caption="مدخل السوق",
            image_credit="مواقع التواصل الاجتماعي",
            image_alt="بوابة حجرية",
            body="<h2>عنوان فرعي</h2><p>فقرة أولى.</p><blockquote><p>اقتباس</p></blockquote>",
        )
    html = html_of(client.get(article.get_absolute_url()))
    # Breadcrumb: site > section > title.
    crumb = html.split('class="breadcrumb"')[1].split("</nav>")[0]
    assert "ليفانت 24" in crumb and "سوريا" in crumb and article.title in crumb
    # Labels, title, byline linking to the author page, publish date.
    assert '<a class="label label-kind" href="/kind/' in html
    assert f"<h1>{article.title}</h1>" in html
    assert 'href="/author/layla/">ليلى حداد</a>' in html
    local = timezone.localtime(article.published_at)
    assert f'تم النشر <time datetime="{local.isoformat()}">{local:%d/%m/%Y}</time>' in html
    # Share buttons and the copy-link button (shown by JavaScript).
    for host in (
        "https://x.com/intent/post",
        "https://www.facebook.com/sharer/",
        "https://wa.me/",
        "https://t.me/share/url",
    ):
        assert host in html
    assert 'data-copy-link="http://testserver/article/' in html
    # Featured image with caption and credit, responsive.
    assert 'مدخل السوق <span class="credit">(مواقع التواصل الاجتماعي)</span>' in html
    assert 'alt="بوابة حجرية"' in html and 'type="image/webp"' in html
    # Body, tags, previous article, related, latest news, reading bar.
    assert "<h2>عنوان فرعي</h2>" in html and "<blockquote>" in html
    assert reverse("articles:tag", kwargs={"slug": "ترميم"}) in html
    assert "المقال السابق" in html
    assert "مقالات ذات صلة" in html and "آخر الأخبار" in html
    assert "data-reading-bar" in html and "data-reading-progress" in html
    assert "تقرأ الآن:" in html and ">مشاركة</button>" in html


def test_article_page_shows_updated_date_only_when_edited_after_publishing(client, article):
    Article.objects.filter(pk=article.pk).update(updated_at=article.published_at)
    html = html_of(client.get(article.get_absolute_url()))
    assert "آخر تحديث" not in html
    Article.objects.filter(pk=article.pk).update(
        published_at=timezone.now() - timedelta(days=3), updated_at=timezone.now()
    )
    html = html_of(client.get(article.get_absolute_url()))
    assert "آخر تحديث" in html


def test_previous_and_next_articles_link_in_publish_order(client, section, author):
    now = timezone.now()
    older = make_article(
        title="الأقدم", section=section, author=author, published_at=now - timedelta(hours=3)
    )
    middle = make_article(
        title="الأوسط", section=section, author=author, published_at=now - timedelta(hours=2)
    )
    newer = make_article(
        title="الأحدث", section=section, author=author, published_at=now - timedelta(hours=1)
    )
    html = html_of(client.get(middle.get_absolute_url()))
    nav = html.split('class="prev-next"')[1].split("</nav>")[0]
    assert older.get_absolute_url() in nav.split('class="next"')[0]
    assert newer.get_absolute_url() in nav.split('class="next"')[1]


def test_interview_names_the_interviewee_and_role(client, section, author):
    article = make_article(
        kind=Kind.INTERVIEW,
        section=section,
        author=author,
        interviewee_name="هالة منصور",
        interviewee_role="روائية",
    )
    html = html_of(client.get(article.get_absolute_url()))
    assert "حوار مع" in html and "<strong>هالة منصور</strong>" in html
    assert "روائية" in html


def test_opinion_shows_columnist_photo_and_views_note(client, section):
    columnist = make_author(
        username="samer",
        display_name="سامر العلي",
        photo=make_image_file(name="samer.jpg", size=(300, 300)),
    )
    article = make_article(kind=Kind.OPINION, section=section, author=columnist)
    html = html_of(client.get(article.get_absolute_url()))
    assert 'class="columnist-photo"' in html
    assert "تعبّر الآراء الواردة في هذا المقال عن رأي كاتبها" in html
    news = make_article(kind=Kind.NEWS, section=section, author=columnist)
    assert "تعبّر الآراء" not in html_of(client.get(news.get_absolute_url()))


def test_video_embeds_the_privacy_friendly_player_with_a_title(client, section, author):
    article = make_article(
        kind=Kind.VIDEO,
        section=section,
        author=author,
        title="جولة مصورة",
        video_url="https://www.youtube.com/watch?v=abc123",
    )
    html = html_of(client.get(article.get_absolute_url()))
    assert '<iframe src="https://www.youtube-nocookie.com/embed/abc123" title="جولة مصورة"' in html
    assert "youtube.com/watch" not in html


def test_infographic_shows_the_large_image_linked_to_the_original(client, section, author):
    article = make_article(
        kind=Kind.INFOGRAPHIC,
        section=section,
        author=author,
        image=make_image_file(size=(1000, 1400)),
    )
    html = html_of(client.get(article.get_absolute_url()))
    figure = html.split('class="featured infographic"')[1].split("</figure>")[0]
    assert f'<a href="{article.image.url}">' in figure
    assert 'width="1000" height="1400"' in figure


def test_article_body_is_sanitized_on_the_page(client, section, author):
    article = make_article(
        section=section,
        author=author,
        body='<p>نص</p><script>alert(1)</script><img src="x.png" onerror="alert(2)">'
        '<a href="javascript:alert(3)">رابط</a>',
    )
    html = html_of(client.get(article.get_absolute_url()))
    body = html.split('<div class="body">')[1].split("</div>")[0]
    assert "<script" not in body and "alert" not in body
    assert "onerror" not in body and "javascript:" not in body
    assert "<p>نص</p>" in body


# Canonical URL and Arabic slugs ---------------------------------------------


def test_wrong_or_missing_slug_redirects_permanently_to_the_canonical_url(client, article):
    canonical = article.get_absolute_url()
    assert quote("الشرع-يزور-حلب") in canonical
    for url in (
        reverse("articles:detail", kwargs={"pk": article.pk, "slug": "عنوان-قديم"}),
        reverse("articles:detail_short", kwargs={"pk": article.pk}),
    ):
        response = client.get(url)
        assert response.status_code == 301
        assert response["Location"] == canonical
    assert client.get(canonical).status_code == 200


def test_unknown_article_id_is_404(client, article):
    url = reverse("articles:detail", kwargs={"pk": article.pk + 100, "slug": article.slug})
    assert client.get(url).status_code == 404


def test_arabic_slugs_in_section_tag_and_article_urls(client, section, author):
    article = make_article(
        title="سوق حلب يعود", section=section, author=author, tags=["التراث الحلبي"]
    )
    assert client.get("/section/" + quote("سوريا") + "/").status_code == 200
    tag_url = "/tag/" + quote("التراث-الحلبي") + "/"
    html = html_of(client.get(tag_url))
    assert article.title in html
    assert tag_url in html_of(client.get(article.get_absolute_url()))
    direct = f"/article/{article.pk}/{quote('سوق-حلب-يعود')}/"
    assert article.title in html_of(client.get(direct))


# Listings -----------------------------------------------------------------------


def test_features_listing_lists_the_four_subtypes_together(client, newsroom):
    html = html_of(client.get(FEATURES_URL))
    for kind in (Kind.ANALYSIS, Kind.INTERVIEW, Kind.DEEP_DIVE, Kind.OPINION):
        assert newsroom["public"][kind].title in html
    for kind in (Kind.NEWS, Kind.VIDEO, Kind.INFOGRAPHIC):
        assert newsroom["public"][kind].title not in html
    assert "<h1>مقالات</h1>" in html
    for label in ("تحليلات", "مقابلات", "مقال عميق", "مقال رأي"):
        assert f">{label}</a></li>" in html


@pytest.mark.parametrize(
    ("slug", "kind", "heading"),
    [
        ("أخبار", Kind.NEWS, "أخبار"),
        ("تحليلات", Kind.ANALYSIS, "تحليلات"),
        ("مقابلات", Kind.INTERVIEW, "مقابلات"),
        ("مقال-عميق", Kind.DEEP_DIVE, "مقال عميق"),
        ("مقال-رأي", Kind.OPINION, "مقال رأي"),
        ("إنفوجرافيك", Kind.INFOGRAPHIC, "إنفوجرافيك"),
        ("فيديو", Kind.VIDEO, "فيديو"),
    ],
)
def test_each_kind_has_its_listing(client, newsroom, slug, kind, heading):
    html = html_of(client.get(kind_url(slug)))
    assert f"<h1>{heading}</h1>" in html
    assert newsroom["public"][kind].title in html
    others = [a for k, a in newsroom["public"].items() if k != kind]
    assert not any(f">{a.title}</h3>" in html for a in others)


def test_unknown_kind_section_tag_or_author_is_404(client, newsroom):
    reader = make_user(username="reader")
    for url in (
        kind_url("رياضة"),
        reverse("articles:section", kwargs={"slug": "غير-موجود"}),
        reverse("articles:tag", kwargs={"slug": "غير-موجود"}),
        reverse("articles:author", kwargs={"username": "nobody"}),
        reverse("articles:author", kwargs={"username": reader.username}),
    ):
        assert client.get(url).status_code == 404, url


def test_section_listing_shows_its_description_and_only_its_articles(client, newsroom):
    section = newsroom["section"]
    section.description = "أخبار المدن السورية."
    section.save()
    html = html_of(client.get(section.get_absolute_url()))
    assert "<h1>سوريا</h1>" in html and "أخبار المدن السورية." in html
    assert newsroom["public"][Kind.NEWS].title in html  # even index: this section
    assert newsroom["public"][Kind.ANALYSIS].title not in html


def test_tag_listing_shows_tagged_articles(client, newsroom):
    untagged = make_article(title="بلا وسوم", section=newsroom["section"])
    html = html_of(client.get(reverse("articles:tag", kwargs={"slug": "حلب"})))
    assert "الوسم: حلب" in html
    assert all(a.title in html for a in newsroom["public"].values())
    assert untagged.title not in html


def test_author_page_shows_photo_bio_and_articles(client, newsroom):
    author = newsroom["author"]
    author.photo = make_image_file(name="layla.jpg", size=(300, 300))
    author.save()
    other = make_article(title="مقال كاتب آخر")
    html = html_of(client.get(author.get_absolute_url()))
    assert "<h1>ليلى حداد</h1>" in html
    assert "صحفية من حلب." in html
    assert 'class="author-photo"' in html and 'alt="ليلى حداد"' in html
    assert "8 مقالات" in html
    assert all(a.title in html for a in newsroom["public"].values())
    assert other.title not in html


def test_listings_are_paginated(client, section, author):
    for i in range(15):
        make_article(
            title=f"خبر رقم {i}",
            section=section,
            author=author,
            published_at=timezone.now() - timedelta(hours=i + 1),
        )
    first = html_of(client.get(section.get_absolute_url()))
    assert "خبر رقم 0<" in first and "خبر رقم 14<" not in first
    assert "الصفحة 1 من 2" in first and 'rel="next" href="?page=2"' in first
    second = html_of(client.get(section.get_absolute_url() + "?page=2"))
    assert "خبر رقم 14<" in second and "خبر رقم 0<" not in second
    assert client.get(section.get_absolute_url() + "?page=9").status_code == 404


# Chrome: header and footer ----------------------------------------------------


def test_chrome_has_menu_with_subtypes_search_bell_sign_in_and_follow_us(client, db):
    make_site_settings(
        site_name="ليفانت 24",
        about="صحيفة مستقلة من دمشق.",
        x_url="https://x.com/levant24",
        telegram_url="https://t.me/levant24",
    )
    html = html_of(client.get(reverse("articles:home")))
    header = html.split('<header class="site-header">')[1].split("</header>")[0]
    for label in ("الرئيسية", "أخبار", "مقالات", "إنفوجرافيك", "فيديو"):
        assert f">{label}</a>" in header
    submenu = header.split('id="submenu-features"')[1].split("</ul>")[0]
    for slug in ("تحليلات", "مقابلات", "مقال-عميق", "مقال-رأي"):
        assert kind_url(slug) in submenu
    assert 'aria-controls="submenu-features"' in header
    assert 'role="search"' in header and 'name="q"' in header
    assert f'data-feed="{reverse("articles:latest_json")}"' in header
    assert ">تسجيل الدخول</a>" in header
    assert 'href="https://x.com/levant24"' in header and "تابعنا" in header
    footer = html.split('<footer class="site-footer">')[1]
    assert "صحيفة مستقلة من دمشق." in footer
    assert f"© {timezone.now().year} ليفانت 24. جميع الحقوق محفوظة." in footer


def test_site_settings_cost_at_most_one_query_and_changes_show_at_once(client, db):
    settings_obj = make_site_settings(site_name="الاسم الأول")
    with CaptureQueriesContext(connection) as first:
        assert "الاسم الأول" in html_of(client.get(reverse("articles:home")))
    with CaptureQueriesContext(connection) as second:
        client.get(reverse("articles:home"))
    site_queries = [q for q in first.captured_queries if "articles_sitesettings" in q["sql"]]
    assert len(site_queries) == 1
    assert not [q for q in second.captured_queries if "articles_sitesettings" in q["sql"]]
    settings_obj.site_name = "الاسم الجديد"
    settings_obj.save()
    assert "الاسم الجديد" in html_of(client.get(reverse("articles:home")))


def test_latest_json_lists_public_articles_for_the_bell(client, newsroom):
    data = client.get(reverse("articles:latest_json")).json()
    titles = [a["title"] for a in data["articles"]]
    assert titles[0] == newsroom["public"][Kind.NEWS].title
    assert len(titles) == 8
    assert set(data["articles"][0]) == {"id", "title", "url", "kind", "published_at"}
    assert "@" not in str(data)


# Language ------------------------------------------------------------------------


def test_no_english_interface_text_on_any_public_page(client, newsroom):
    make_site_settings(
        site_name="ليفانت 24",
        about="عن الموقع.",
        x_url="https://x.com/l24",
        facebook_url="https://facebook.com/l24",
    )
    opinion = newsroom["public"][Kind.OPINION]
    opinion.image = make_image_file()
    opinion.save()
    urls = public_pages(newsroom) + [a.get_absolute_url() for a in newsroom["public"].values()]
    for url in urls:
        html = html_of(client.get(url))
        assert '<html lang="ar" dir="rtl">' in html
        assert_no_english(html)
        # Structured data is for machines: schema.org names are English by design.
        html = re.sub(r'<script type="application/ld\+json">.*?</script>', "", html, flags=re.S)
        for english in (
            "Share",
            "Copy link",
            "Related articles",
            "Latest news",
            "Reading:",
            "Previous article",
            "Sign in",
            "Follow us",
            "All rights reserved",
            "Notifications",
            "Breadcrumb",
            "Main menu",
        ):
            assert english not in html, (url, english)


def test_not_found_page_is_arabic(client, db):
    response = client.get("/لا-توجد/")
    assert response.status_code == 404
    html = response.content.decode()
    assert '<html lang="ar" dir="rtl">' in html
    assert "الصفحة غير موجودة" in html
    assert_no_english(html)


def test_server_error_page_renders_without_database_or_context(rf, django_db_blocker):
    from articles.errors import server_error

    with django_db_blocker.block():
        response = server_error(rf.get("/"))
    assert response.status_code == 500
    html = response.content.decode()
    assert '<html lang="ar" dir="rtl">' in html
    assert "حدث خطأ ما" in html
    assert_no_english(html)


# Query counts ----------------------------------------------------------------------


@pytest.fixture(params=[3, 30], ids=["3-articles", "30-articles"])
def crowd(request, db):
    sections = [make_section(name=f"قسم {i}", slug=f"قسم-{i}") for i in range(4)]
    author = make_author(username="crowd")
    kinds = list(Kind)
    articles = [
        make_article(
            kind=kinds[i % len(kinds)],
            section=sections[i % len(sections)],
            author=author,
            tags=[f"وسم {i}", f"وسم {i + 1}", "مشترك", "حلب"],
            published_at=timezone.now() - timedelta(hours=i + 1),
        )
        for i in range(request.param)
    ]
    return {"articles": articles, "section": sections[0], "author": author}


@pytest.mark.parametrize(
    "page",
    ["home", "news", "features", "section", "tag", "author", "latest_json"],
)
def test_listing_pages_run_a_constant_number_of_queries(
    client, crowd, page, django_assert_max_num_queries
):
    url = {
        "home": reverse("articles:home"),
        "news": kind_url("أخبار"),
        "features": FEATURES_URL,
        "section": crowd["section"].get_absolute_url(),
        "tag": reverse("articles:tag", kwargs={"slug": "مشترك"}),
        "author": crowd["author"].get_absolute_url(),
        "latest_json": reverse("articles:latest_json"),
    }[page]
    with django_assert_max_num_queries(10):
        response = client.get(url)
    assert response.status_code == 200


def test_article_page_runs_at_most_six_queries_with_its_comments(
    client, crowd, django_assert_max_num_queries
):
    """Measured once the per-process caches (settings, content types) are warm: the article,
    its surroundings (neighbours, related, latest, next scheduled time), its tags and the
    comment thread."""
    article = crowd["articles"][len(crowd["articles"]) // 2]
    client.get(crowd["articles"][0].get_absolute_url())
    with django_assert_max_num_queries(6):
        response = client.get(article.get_absolute_url())
    assert response.status_code == 200
    assert "مشترك" in response.content.decode()


def test_page_query_counts_do_not_grow_with_articles_and_tags(client, settings, db):
    """The same number of queries with 3 articles and with 30 (and four times the tags)."""
    sections = [make_section(name=f"قسم {i}", slug=f"قسم-{i}") for i in range(4)]
    author = make_author(username="crowd")
    kinds = list(Kind)

    def add_articles(start, stop):
        for i in range(start, stop):
            make_article(
                kind=kinds[i % len(kinds)],
                section=sections[i % len(sections)],
                author=author,
                tags=[f"وسم {i}", f"وسم {i + 1}", "مشترك", "حلب"],
                published_at=timezone.now() - timedelta(hours=i + 1),
            )

    add_articles(0, 3)
    article = Article.objects.order_by("pk").first()
    urls = [
        reverse("articles:home"),
        kind_url("أخبار"),
        FEATURES_URL,
        sections[0].get_absolute_url(),
        reverse("articles:tag", kwargs={"slug": "مشترك"}),
        author.get_absolute_url(),
        article.get_absolute_url(),
    ]

    def query_counts():
        counts = {}
        for url in urls:
            with CaptureQueriesContext(connection) as queries:
                assert client.get(url).status_code == 200
            counts[url] = len(queries)
        return counts

    query_counts()  # warm the per-process caches (settings, content types)
    few = query_counts()
    add_articles(3, 30)
    query_counts()  # warm again: publishing made the cached site settings stale
    assert query_counts() == few


# Headings, error page metadata, search box -------------------------------------------


def heading_levels(html):
    return [int(level) for level in re.findall(r"<h([1-6])[\s>]", html)]


def test_every_public_page_has_one_h1_and_skips_no_heading_level(client, newsroom):
    article = newsroom["public"][Kind.NEWS].get_absolute_url()
    search = reverse("articles:search") + "?q=" + quote("مقال")
    for url in [*public_pages(newsroom), article, search]:
        levels = heading_levels(html_of(client.get(url)))
        assert levels.count(1) == 1, url
        assert levels[0] == 1, url
        skips = [(a, b) for a, b in zip(levels, levels[1:], strict=False) if b > a + 1]
        assert skips == [], url


def test_menu_and_listings_name_the_article_types_as_the_product_does(client, newsroom):
    html = html_of(client.get(reverse("articles:home")))
    submenu = html.split('id="submenu-features"')[1].split("</ul>")[0]
    assert re.findall(r'">([^<]+)</a></li>', submenu) == [
        "تحليلات",
        "مقابلات",
        "مقال عميق",
        "مقال رأي",
    ]


def test_not_found_page_has_no_canonical_link_and_asks_not_to_be_indexed(client, db):
    html = client.get("/لا-توجد/").content.decode()
    assert 'rel="canonical"' not in html
    assert "og:url" not in html
    assert '<meta name="robots" content="noindex">' in html


def test_header_search_box_shows_the_query_on_the_search_page(client, newsroom):
    html = html_of(client.get(reverse("articles:search"), {"q": "حلب <b>"}))
    assert 'id="header-q" type="search" name="q"' in html
    header_input = re.search(r'<input id="header-q"[^>]*>', html).group(0)
    assert 'value="حلب &lt;b&gt;"' in header_input
    home = html_of(client.get(reverse("articles:home")))
    assert "value=" not in re.search(r'<input id="header-q"[^>]*>', home).group(0)


@pytest.mark.django_db
def test_author_pages_exist_only_for_staff_with_a_published_article(client, section):
    """Editors, moderators and admins with nothing published have no public page: their
    usernames cannot be collected from author URLs."""
    from tests.factories import make_user

    writer = make_author(username="writer")
    make_article(author=writer, section=section)
    drafts_only = make_author(username="drafter")
    make_article(author=drafts_only, section=section, status=Status.DRAFT)
    scheduled_only = make_author(username="planner")
    make_article(
        author=scheduled_only,
        section=section,
        status=Status.PUBLISHED,
        published_at=timezone.now() + timedelta(days=1),
    )
    make_author(username="chief-editor")
    make_user(username="site-admin", is_staff=True, is_superuser=True)
    make_user(username="reader-one")

    assert client.get(reverse("articles:author", kwargs={"username": "writer"})).status_code == 200
    absent = [
        client.get(reverse("articles:author", kwargs={"username": name}))
        for name in ("drafter", "planner", "chief-editor", "site-admin", "reader-one", "nobody")
    ]
    assert [r.status_code for r in absent] == [404] * 6

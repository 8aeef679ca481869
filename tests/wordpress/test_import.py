"""import_wordpress on the export a real WordPress 6.1 made (tests/data/wordpress)."""

import io
import json
from datetime import UTC, datetime
from urllib.parse import quote

import pytest
from django.contrib.auth import get_user_model
from django.core.files.storage import default_storage
from django.core.management import CommandError, call_command
from taggit.models import Tag

from articles.models import Article, Kind, Section, Status
from comments.models import Comment
from comments.models import Status as CommentStatus
from redirects.models import Redirect
from wordpress.models import ImportedItem

from .conftest import EXPORT, SITE, UPLOADS, run_import

pytestmark = pytest.mark.django_db

NEWS = "افتتاح سوق الحرف اليدوية في حلب القديمة"
ANALYSIS = "ماذا يعني رفع الدعم عن الخبز؟"
VIDEO = "فيديو: جولة في قلعة دمشق"
SCRIPTED = "بيان صحفي منسوخ من موقع آخر"


def article(title) -> Article:
    return Article.objects.get(title=title)


def counts():
    return (
        Article.objects.count(),
        Comment.objects.count(),
        Section.objects.count(),
        Tag.objects.count(),
        get_user_model().objects.count(),
        Redirect.objects.count(),
        ImportedItem.objects.count(),
    )


def test_every_kind_comes_from_its_category_arabic_or_english(imported):
    kinds = dict(Article.objects.values_list("title", "kind"))
    assert kinds[NEWS] == Kind.NEWS  # أخبار
    assert kinds[ANALYSIS] == Kind.ANALYSIS  # تحليلات
    assert kinds["حوار مع مديرة مكتبة الأسد الوطنية"] == Kind.INTERVIEW  # "Interviews"
    assert kinds["الطريق الدولي: رحلة على الخط الذي يربط البلاد"] == Kind.DEEP_DIVE
    assert kinds["في مديح الصحافة المحلية"] == Kind.OPINION  # مقال رأي, slug "opinion"
    assert kinds["بالأرقام: توزع السكان في المحافظات"] == Kind.INFOGRAPHIC
    assert kinds[VIDEO] == Kind.VIDEO  # "Video", slug فيديو


def test_other_categories_are_sections_created_when_missing(imported):
    assert article(NEWS).section.name == "سوريا"
    assert article(ANALYSIS).section.name == "اقتصاد"
    world = article("في مديح الصحافة المحلية").section
    assert (world.name, world.slug) == ("العالم", "world")
    # A post filed under a kind only lands in the default section.
    assert article("مسودة لم تكتمل").section.name == "عام"


def test_an_existing_section_is_reused(db):
    existing = Section.objects.create(name="سوريا", slug="سوريا")
    run_import()
    assert article(NEWS).section == existing
    assert Section.objects.filter(name="سوريا").count() == 1


def test_a_mapping_file_overrides_kind_and_section(db, tmp_path):
    mapping = tmp_path / "mapping.json"
    mapping.write_text(
        json.dumps(
            {
                "categories": {"أخبار": {"kind": "analysis"}, "سوريا": {"section": "الشأن السوري"}},
                "default_section": "متفرقات",
                "authors": {"rana": {"bio": "مراسلة الموقع في حلب."}},
            },
            ensure_ascii=False,
        ),
        encoding="utf-8",
    )
    run_import("--mapping", str(mapping))
    news = article(NEWS)
    assert news.kind == Kind.ANALYSIS
    assert news.section.name == "الشأن السوري"
    assert article("مسودة لم تكتمل").section.name == "متفرقات"
    assert news.author.bio == "مراسلة الموقع في حلب."


def test_tags_become_tags(imported):
    assert set(article(NEWS).tags.names()) == {"حلب", "حرف يدوية"}
    assert set(article(ANALYSIS).tags.names()) == {"الخبز", "الدعم"}


def test_authors_are_journalists_who_must_set_their_own_password(imported):
    rana = get_user_model().objects.get(username="rana")
    assert rana.display_name == "رنا الحلبي"
    assert (rana.first_name, rana.last_name) == ("رنا", "الحلبي")
    assert rana.email == "rana@old.levant24.test"  # for "lost password"
    assert rana.is_staff and not rana.is_superuser
    assert list(rana.groups.values_list("name", flat=True)) == ["journalist"]
    assert not rana.has_usable_password()
    assert article(NEWS).author == rana
    # The WordPress admin wrote no post: no account for them.
    assert not get_user_model().objects.filter(username="admin").exists()


def test_a_reader_owning_an_authors_email_is_never_made_staff(db):
    reader = get_user_model().objects.create_user("reader", email="rana@old.levant24.test")
    out = run_import()
    reader.refresh_from_db()
    assert not reader.is_staff and not reader.groups.exists()
    assert article(NEWS).author != reader
    assert "rana" in out


def test_statuses_and_dates(imported):
    news = article(NEWS)
    assert news.status == Status.PUBLISHED
    assert news.published_at == datetime(2025, 2, 13, 6, 30, tzinfo=UTC)  # post_date_gmt
    assert news in Article.objects.published()
    scheduled = article("خبر مجدول للنشر لاحقاً")
    assert scheduled in Article.objects.scheduled()
    assert scheduled.published_at == datetime(2031, 6, 1, 6, 0, tzinfo=UTC)
    assert article("مسودة لم تكتمل").status == Status.DRAFT
    assert article("مقال بانتظار المراجعة").status == Status.REVIEW
    for title in ("ملاحظات داخلية خاصة", "خبر محذوف"):  # private, trash
        hidden = article(title)
        assert hidden.status == Status.DRAFT and hidden.published_at is None
    assert article("خبر محذوف").slug == "خبر-محذوف"  # WordPress's __trashed suffix dropped


def test_hidden_posts_are_never_shown_to_readers(imported, client):
    for title in ("ملاحظات داخلية خاصة", "خبر محذوف", "مسودة لم تكتمل", "خبر مجدول للنشر لاحقاً"):
        assert client.get(article(title).get_absolute_url()).status_code == 404
    home = client.get("/").content.decode()
    assert "ملاحظات داخلية خاصة" not in home and "خبر محذوف" not in home


def test_pages_and_attachments_are_not_articles(imported):
    assert not Article.objects.filter(title="من نحن").exists()
    assert not Article.objects.filter(title__in=["سوق الحرف", "فانوس", "رسم بياني"]).exists()
    assert Article.objects.count() == 14
    assert "الصفحات (ليست مقالات): 1" in imported


def test_block_markup_becomes_our_html_with_figures(imported):
    body = article(NEWS).body
    assert "wp:" not in body and "<!--" not in body and "wp-block" not in body
    assert "<h2>عودة الحرفيين</h2>" in body
    assert "<figcaption>فانوس من صنع ورشة في باب النصر</figcaption>" in body
    # Entities decoded: typographic quotes as characters.
    assert "“هذه المهنة ورثناها عن آبائنا”" in body and "&#8220;" not in body


def test_classic_content_caption_shortcode_and_paragraphs(imported):
    body = article(ANALYSIS).body
    assert "[caption" not in body
    assert body.startswith("<p>يرى اقتصاديون")
    assert "<figcaption>تطور سعر ربطة الخبز خلال عام</figcaption>" in body
    assert 'alt="أعمدة تمثل الأسعار"' in body


def test_images_are_copied_into_our_media_storage(imported):
    assert default_storage.exists("wordpress/2025/02/lantern.jpg")
    assert default_storage.exists("wordpress/2025/03/chart.jpg")
    body = article(NEWS).body
    # The full-size original, not the theme's 300x200 copy, and no old address left.
    assert 'src="/media/wordpress/2025/02/lantern.jpg"' in body
    assert "old.levant24.test" not in body
    assert "old.levant24.test" not in article(ANALYSIS).body.replace("href", "")


def test_featured_image_keeps_caption_alt_text_and_credit(imported):
    news = article(NEWS)
    assert news.image.name == "wordpress/2025/02/souq.jpg"
    assert default_storage.exists(news.image.name)
    assert (news.image_width, news.image_height) == (480, 320)
    assert news.image_caption == "حرفي يعرض منتجاته في السوق"
    assert news.image_alt == "رجل يقف أمام دكان نحاس"
    assert news.image_credit == "مواقع التواصل الاجتماعي"


def test_embeds_become_the_video_field_or_a_link(imported):
    video = article(VIDEO)
    assert video.video_url == "https://www.youtube.com/watch?v=aqz-KE-bpKQ"
    assert "youtube" not in video.body and "<figure" not in video.body
    assert video.body == "<p>القلعة مفتوحة للزوار يومياً.</p>"
    news = article("مهرجان الفيلم القصير يعلن جوائزه")
    assert news.video_url == "https://vimeo.com/76979871"
    assert '<a href="https://vimeo.com/76979871"' in news.body and "[embed]" not in news.body


def test_scripts_and_event_handlers_do_not_survive(imported):
    body = article(SCRIPTED).body
    for bad in (
        "<script",
        "document.cookie",
        "onerror",
        "javascript:",
        "<iframe",
        "onclick",
        "style=",
    ):
        assert bad not in body, bad
    assert "نص البيان." in body and "نهاية" in body


def test_links_to_other_imported_posts_point_to_the_new_urls(imported):
    news_url = article(NEWS).get_absolute_url()
    body = article(ANALYSIS).body
    # Both the encoded permalink WordPress wrote and one typed with Arabic letters.
    assert body.count(f'href="{news_url}"') == 2, body


def test_comments_keep_status_threads_dates_and_names(imported):
    news = article(NEWS)
    first = Comment.objects.get(name="أبو خالد")
    reply = Comment.objects.get(name="ليلى")
    assert first.article == news and first.status == CommentStatus.APPROVED
    assert first.created_at == datetime(2025, 2, 13, 8, 0, tzinfo=UTC)
    assert reply.parent == first and reply.status == CommentStatus.APPROVED
    assert reply.website == "https://layla.example.org/"
    assert reply.text == "أوافقك الرأي & أضيف أن الأسعار ما زالت مرتفعة."  # tags and script gone
    assert Comment.objects.get(name="زائر").status == CommentStatus.PENDING  # held
    assert Comment.objects.get(name="محذوف").status == CommentStatus.REJECTED  # trash
    assert set(Comment.objects.approved().filter(article=news).values_list("name", flat=True)) == {
        "أبو خالد",
        "ليلى",
    }


def test_article_page_shows_approved_comments_never_held_ones_or_emails(imported, client):
    page = client.get(article(NEWS).get_absolute_url()).content.decode()
    assert "خبر جميل، أتمنى أن تعود الحياة" in page and "أوافقك الرأي" in page
    assert "تعليق ينتظر الموافقة" not in page and "تعليق في سلة المهملات" not in page
    assert "abu.khaled@example.net" not in page and "layla@example.org" not in page


def test_spam_comments_are_never_shown(db, tmp_path):
    # WordPress's own exporter leaves spam out; other tools keep it.
    text = EXPORT.read_text(encoding="utf-8").replace(
        "<wp:comment_approved><![CDATA[trash]]>", "<wp:comment_approved><![CDATA[spam]]>"
    )
    export = tmp_path / "export.xml"
    export.write_text(text, encoding="utf-8")
    run_import(export=export)
    spam = Comment.objects.get(name="محذوف")
    assert spam.status == CommentStatus.SPAM
    assert spam not in Comment.objects.approved()


@pytest.mark.parametrize(
    "old",
    [
        # As WordPress wrote it (lower-case escapes), as browsers send it (capitals), typed
        # with Arabic letters, and without the final slash.
        "/2025/02/13/%d8%b3%d9%88%d9%82-%d8%a7%d9%84%d8%ad%d8%b1%d9%81-%d8%ad%d9%84%d8%a8/",
        "/2025/02/13/" + quote("سوق-الحرف-حلب") + "/",
        "/2025/02/13/سوق-الحرف-حلب/",
        "/2025/02/13/سوق-الحرف-حلب",
    ],
)
def test_old_permalinks_answer_301_to_the_new_article(imported, client, old):
    response = client.get(old)
    assert response.status_code == 301
    assert response["Location"] == article(NEWS).get_absolute_url()


def test_old_post_id_links_answer_301(imported, client):
    wp_id = ImportedItem.objects.get(type="post", target=str(article(NEWS).pk)).wp_id
    response = client.get(f"/?p={wp_id}")
    assert response.status_code == 301
    assert response["Location"] == article(NEWS).get_absolute_url()
    assert client.get(f"/?p={wp_id}&utm_source=x").status_code == 301
    assert client.get(response["Location"]).status_code == 200


def test_hidden_posts_get_no_redirect(imported, client):
    private = ImportedItem.objects.get(type="post", target=str(article("ملاحظات داخلية خاصة").pk))
    assert client.get(f"/?p={private.wp_id}").status_code == 200  # the home page, no hint
    assert not Redirect.objects.filter(new_path__contains=f"/{private.target}/").exists()


def test_a_second_run_creates_nothing(imported):
    before = counts()
    out = run_import()
    assert counts() == before
    assert "أُنشئ" not in out  # nothing under "created"
    assert "المقالات: 14" in out.split("دون تغيير")[1]
    assert Comment.objects.filter(parent__isnull=False).count() == 1


def test_a_second_run_updates_what_changed_in_wordpress(imported, tmp_path):
    before = counts()
    changed = tmp_path / "export.xml"
    changed.write_text(
        EXPORT.read_text(encoding="utf-8").replace(NEWS, "سوق الحرف اليدوية يفتتح في حلب"),
        encoding="utf-8",
    )
    run_import(export=changed)
    assert counts() == before
    assert Article.objects.filter(title="سوق الحرف اليدوية يفتتح في حلب").count() == 1


def test_a_moderators_decision_survives_a_second_run(imported):
    held = Comment.objects.get(name="زائر")
    held.status = CommentStatus.APPROVED
    held.save()
    run_import()
    held.refresh_from_db()
    assert held.status == CommentStatus.APPROVED


def test_dry_run_writes_nothing_and_prints_the_same_summary(db):
    before = counts()
    dry = run_import("--dry-run")
    assert counts() == before
    assert not default_storage.exists("wordpress/2025/02/lantern.jpg")
    assert "تجربة فقط: لم يُكتب شيء." in dry
    real = run_import()
    assert dry.split("تجربة فقط")[0] == real.split("انتهى الاستيراد")[0]


def test_summary_counts_created_and_skipped_in_arabic(imported):
    created, skipped = imported.split("أُنشئ:")[1].split("تُرك:")
    assert "المقالات: 14" in created and "التعليقات: 5" in created and "الكتّاب: 2" in created
    assert "المرفقات (ليست مقالات): 4" in skipped and "الصفحات (ليست مقالات): 1" in skipped
    assert "انتهى الاستيراد." in imported


def test_a_file_that_is_not_a_wordpress_export_is_refused(db, tmp_path):
    rss = tmp_path / "feed.xml"
    rss.write_text('<?xml version="1.0"?><rss><channel><title>x</title></channel></rss>')
    with pytest.raises(CommandError, match="wxr_version"):
        run_import(export=rss)
    garbage = tmp_path / "notes.xml"
    garbage.write_text("not xml at all")
    with pytest.raises(CommandError, match="XML"):
        run_import(export=garbage)
    html_page = tmp_path / "page.xml"
    html_page.write_text("<html><body>hi</body></html>")
    with pytest.raises(CommandError, match="RSS"):
        run_import(export=html_page)
    assert Article.objects.count() == 0


def test_a_missing_file_exits_with_an_error(db):
    with pytest.raises(CommandError):
        call_command("import_wordpress", "/nonexistent/export.xml", stdout=io.StringIO())


class TTY(io.StringIO):
    def isatty(self):
        return True


def test_progress_bar_on_a_terminal_only(db):
    tty = TTY()
    call_command("import_wordpress", str(EXPORT), "--uploads", str(UPLOADS), stdout=tty)
    assert "[" + "#" * 30 + "] 100%" in tty.getvalue()
    plain = run_import()
    assert "#" * 30 not in plain


def test_site_without_uploads_folder_still_imports_text(db):
    out = io.StringIO()
    call_command("import_wordpress", str(EXPORT), stdout=out)
    assert Article.objects.count() == 14
    assert not article(NEWS).image
    assert SITE.removeprefix("http://") in out.getvalue()


def test_only_real_images_inside_the_uploads_folder_are_copied(db, tmp_path):
    uploads = tmp_path / "uploads"
    (uploads / "2025").mkdir(parents=True)
    (uploads / "2025" / "evil.svg").write_text('<svg onload="alert(1)"/>')
    (uploads / "2025" / "fake.jpg").write_text("<html><script>alert(1)</script></html>")
    (tmp_path / "secret.jpg").write_bytes((UPLOADS / "2025/02/souq.jpg").read_bytes())
    links = (
        f'<a href="{SITE}/wp-content/uploads/2025/evil.svg">svg</a> '
        f'<img src="{SITE}/wp-content/uploads/2025/fake.jpg"> '
        f'<img src="{SITE}/wp-content/uploads/../secret.jpg">'
    )
    export = tmp_path / "export.xml"
    export.write_text(
        EXPORT.read_text(encoding="utf-8").replace("<p>نص البيان.</p>", links), encoding="utf-8"
    )
    out = run_import(export=export, uploads=uploads)
    assert not default_storage.exists("wordpress/2025/evil.svg")
    assert not default_storage.exists("wordpress/2025/fake.jpg")
    assert not default_storage.exists("wordpress/secret.jpg")
    assert not default_storage.exists("secret.jpg")
    assert "/media/" not in article(SCRIPTED).body
    assert "ملفات ليست صوراً: 1" in out and "ملفات صور تالفة: 1" in out

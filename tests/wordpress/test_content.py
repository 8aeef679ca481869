"""Content conversion and category rules, on the forms older WordPress versions wrote."""

from articles.models import Kind
from wordpress.content import autop, convert_body
from wordpress.export import Term
from wordpress.mapping import Mapping

HOSTS = {"old.example.org"}


def convert(content, *, is_video=False):
    return convert_body(
        content, is_video=is_video, site_hosts=HOSTS, store_upload=lambda path: f"/media/{path}"
    )


def test_classic_text_gets_paragraphs_and_line_breaks():
    assert autop("سطر أول\nسطر ثان\n\nفقرة ثانية") == (
        "<p>سطر أول<br>\nسطر ثان</p>\n<p>فقرة ثانية</p>"
    )
    assert autop("<h2>عنوان</h2>\n\nنص") == "<h2>عنوان</h2>\n<p>نص</p>"


def test_old_caption_attribute_and_linked_image():
    body = convert(
        '[caption id="attachment_3" caption="صورة من الأرشيف"]'
        '<a href="http://old.example.org/wp-content/uploads/2012/01/a.jpg">'
        '<img src="http://old.example.org/wp-content/uploads/2012/01/a-300x200.jpg"></a>'
        "[/caption]"
    ).html
    assert "<figcaption>صورة من الأرشيف</figcaption>" in body
    assert 'href="/media/2012/01/a.jpg"' in body and 'src="/media/2012/01/a-300x200.jpg"' in body


def test_old_core_embed_block_and_bare_video_link():
    video = convert(
        '<!-- wp:core-embed/youtube {"url":"https://youtu.be/aqz-KE-bpKQ"} -->\n'
        '<figure class="wp-block-embed-youtube"><div>https://youtu.be/aqz-KE-bpKQ</div></figure>\n'
        "<!-- /wp:core-embed/youtube -->",
        is_video=True,
    )
    assert video.video_url == "https://youtu.be/aqz-KE-bpKQ" and video.html == ""
    classic = convert("قبل\n\nhttps://vimeo.com/76979871\n\nبعد")
    assert classic.video_url == "https://vimeo.com/76979871"
    assert '<a href="https://vimeo.com/76979871"' in classic.html
    # A link that is not a video stays text.
    assert convert("https://example.org/page").video_url == ""


def test_uploads_of_other_sites_are_left_alone():
    body = convert('<img src="https://cdn.other.org/wp-content/uploads/x.jpg">').html
    assert "cdn.other.org" in body


def test_kind_categories_match_spelling_variants_and_the_most_specific_wins():
    mapping = Mapping()

    def kind_of(*names):
        return mapping.classify([Term("category", n.lower(), n) for n in names])[0]

    assert kind_of("انفوجرافيك") == Kind.INFOGRAPHIC  # without hamza
    assert kind_of("Opinion") == Kind.OPINION
    assert kind_of("deep-dive") == Kind.DEEP_DIVE
    assert kind_of("أخبار", "فيديو") == Kind.VIDEO
    assert kind_of("Uncategorized") == Kind.NEWS
    assert mapping.classify([Term("category", "uncategorized", "Uncategorized")])[1] is None

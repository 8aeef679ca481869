import io
from pathlib import Path

import pytest
from django import forms
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.template import engines
from django.test import TestCase
from django.utils import translation
from PIL import Image

from articles.images import (
    RENDITION_WIDTHS,
    rendition_name,
    responsive_image,
    validate_image_upload,
)
from articles.models import Article, ImageRenditions
from articles.tasks import make_renditions
from core.models import OutboxMessage
from tests.factories import make_article, make_author, make_image_file

pytestmark = pytest.mark.django_db


class ImageForm(forms.ModelForm):
    class Meta:
        model = Article
        fields = ["image"]


def upload_errors(upload):
    form = ImageForm(data={}, files={"image": upload})
    assert not form.is_valid()
    return " ".join(form.errors["image"])


def png_bytes(size):
    buffer = io.BytesIO()
    Image.new("L", size, 0).save(buffer, "PNG")
    return buffer.getvalue()


def test_a_valid_image_is_accepted():
    form = ImageForm(data={}, files={"image": make_image_file()})
    assert form.is_valid(), form.errors


# Django's image field answers first for files Pillow cannot read; our validator
# answers for what Django lets through. Both speak Arabic.
NOT_AN_IMAGE = ("قم برفع صورة صحيحة", "الملف ليس صورة صالحة أو أنه تالف.")


def assert_not_an_image(message):
    assert any(text in message for text in NOT_AN_IMAGE), message


def test_a_file_that_is_not_an_image_gets_an_arabic_error():
    upload = SimpleUploadedFile("notes.jpg", b"just some text, not a picture", "image/jpeg")
    assert_not_an_image(upload_errors(upload))


def test_a_truncated_image_gets_an_arabic_error():
    data = make_image_file(size=(1200, 800)).read()
    upload = SimpleUploadedFile("cut.jpg", data[: len(data) // 2], "image/jpeg")
    assert_not_an_image(upload_errors(upload))


def test_validator_refuses_a_truncated_image_that_opens():
    """A file whose header is intact but whose pixels are missing is caught on load."""
    data = make_image_file(size=(1200, 800)).read()
    upload = SimpleUploadedFile("cut.jpg", data[: len(data) // 2], "image/jpeg")
    with translation.override("ar"), pytest.raises(ValidationError) as caught:
        validate_image_upload(upload)
    assert caught.value.messages == ["الملف ليس صورة صالحة أو أنه تالف."]


def test_an_image_with_too_many_pixels_gets_an_arabic_error(settings):
    settings.MAX_IMAGE_PIXELS = 1_000_000
    upload = SimpleUploadedFile("huge.png", png_bytes((1200, 1000)), "image/png")
    assert "أبعاد الصورة كبيرة جداً (1200×1000)." in upload_errors(upload)


def test_a_decompression_bomb_is_refused():
    # Small on disk, hundreds of millions of pixels once decoded.
    upload = SimpleUploadedFile("bomb.png", png_bytes((20000, 20000)), "image/png")
    assert len(upload) < 1_000_000
    assert_not_an_image(upload_errors(upload))


def test_an_oversized_upload_gets_an_arabic_error(settings):
    settings.MAX_IMAGE_UPLOAD_BYTES = 1024 * 1024
    noise = Image.effect_noise((1500, 1500), 100).convert("RGB")
    buffer = io.BytesIO()
    noise.save(buffer, "PNG")
    upload = SimpleUploadedFile("big.png", buffer.getvalue(), "image/png")
    assert len(upload) > settings.MAX_IMAGE_UPLOAD_BYTES
    assert "الصورة كبيرة جداً: الحد الأقصى 1 ميغابايت." in upload_errors(upload)


def uploaded(**fields):
    """An article saved with an uploaded image, its after-commit tasks run (as outside the
    test's transaction)."""
    with TestCase.captureOnCommitCallbacks(execute=True):
        return make_article(**fields)


def tag(article, extra=""):
    return (
        engines["jinja2"]
        .from_string("{{ responsive_image(a.image" + extra + ") }}")
        .render({"a": article})
    )


def test_upload_queues_renditions_in_webp_and_the_original_format(_media_root):
    article = uploaded(image=make_image_file(size=(1400, 700)))
    image = responsive_image(article.image)
    assert [r.width for r in image.renditions] == [320, 640, 960, 1280, 1400]
    assert [r.width for r in image.fallbacks] == [320, 640, 960, 1280, 1400]
    assert (image.width, image.height) == (1400, 700)
    for webp, fallback in zip(image.renditions, image.fallbacks, strict=True):
        for extension, expected in (("webp", "WEBP"), ("jpg", "JPEG")):
            name = rendition_name(article.image.name, webp.width, extension)
            with Image.open(Path(_media_root) / name) as made:
                assert made.format == expected
                assert made.size == (webp.width, webp.height) == (fallback.width, fallback.height)
    assert ImageRenditions.objects.filter(name=article.image.name).count() == 1


def test_png_and_gif_originals_get_png_renditions(_media_root):
    for fmt in ("PNG", "GIF"):
        article = uploaded(image=make_image_file(name=f"map.{fmt.lower()}", fmt=fmt))
        image = responsive_image(article.image)
        assert image.fallbacks[0].url.endswith("-320w.png")
        with Image.open(Path(_media_root) / rendition_name(article.image.name, 320, "png")) as m:
            assert m.format == "PNG"


def test_renditions_never_upscale_a_small_image():
    article = uploaded(image=make_image_file(size=(500, 300)))
    image = responsive_image(article.image)
    assert [r.width for r in image.renditions] == [320, 500]
    assert max(RENDITION_WIDTHS) == 1600


def test_template_tag_writes_srcset_sizes_dimensions_and_lazy_loading():
    article = uploaded(image=make_image_file(size=(1000, 500)), image_alt="سوق حلب")
    html = tag(article, ", alt=a.image_alt, sizes='50vw'")
    assert '<source type="image/webp" srcset="' in html
    assert "-320w.webp 320w" in html and "-1000w.webp 1000w" in html
    assert "-320w.jpg 320w" in html and "-1000w.jpg 1000w" in html  # browsers without WebP
    assert 'sizes="50vw"' in html
    assert 'width="1000" height="500"' in html
    assert 'alt="سوق حلب"' in html
    assert 'loading="lazy"' in html
    eager = tag(article, ", eager=True")
    assert 'loading="eager"' in eager and 'fetchpriority="high"' in eager


def test_a_page_never_makes_a_rendition_it_shows_the_original_until_the_task_ran(
    _media_root, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks() as queued:
        article = make_article(image=make_image_file(size=(1000, 500)))
    html = tag(article)
    assert f'<img src="{article.image.url}"' in html
    assert 'width="1000" height="500"' in html  # from the model: no layout shift
    assert "srcset" not in html
    assert not Path(_media_root, "renditions").exists()  # rendering made nothing
    for callback in queued:
        callback()  # the commit: the task runs
    assert "-320w.webp 320w" in tag(article)


def test_renditions_task_is_idempotent(_media_root):
    article = uploaded(image=make_image_file(size=(700, 350)))
    files = sorted(p.name for p in Path(_media_root, "renditions").rglob("*"))
    assert make_renditions.apply(args=[article.image.name]).result is True
    assert sorted(p.name for p in Path(_media_root, "renditions").rglob("*")) == files
    assert ImageRenditions.objects.count() == 1


def test_an_authors_new_photo_gets_renditions(_media_root):
    author = make_author()
    author.photo = make_image_file(name="face.png", size=(400, 400), fmt="PNG")
    with TestCase.captureOnCommitCallbacks(execute=True):
        author.save()
    assert [r.width for r in responsive_image(author.photo).renditions] == [320, 400]


def test_saving_without_a_new_upload_queues_no_renditions():
    article = uploaded(image=make_image_file())
    article = Article.objects.get(pk=article.pk)
    article.image_caption = "تعليق جديد"
    article.save()
    assert not OutboxMessage.objects.filter(task_name=make_renditions.name).exists()


def test_template_tag_falls_back_to_the_original_when_the_file_is_unreadable(_media_root):
    with TestCase.captureOnCommitCallbacks() as queued:
        article = make_article(image=make_image_file())
    Path(_media_root, article.image.name).write_bytes(b"broken")
    for callback in queued:
        callback()
    html = tag(article)
    assert f'<img src="{article.image.url}"' in html
    assert "srcset" not in html


def test_an_image_saved_through_the_file_field_gets_renditions_too():
    article = make_article()
    upload = make_image_file(size=(700, 400))
    with TestCase.captureOnCommitCallbacks(execute=True):
        article.image.save("souq.jpg", upload, save=True)
    assert [r.width for r in responsive_image(article.image).renditions] == [320, 640, 700]

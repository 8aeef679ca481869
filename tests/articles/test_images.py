import io
from pathlib import Path

import pytest
from django import forms
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.template import Context, Template
from django.utils import translation
from PIL import Image

from articles.images import (
    RENDITION_WIDTHS,
    rendition_name,
    responsive_image,
    validate_image_upload,
)
from articles.models import Article
from tests.factories import make_article, make_image_file

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


def test_renditions_are_webp_files_at_several_widths(_media_root):
    article = make_article(image=make_image_file(size=(1400, 700)))
    image = responsive_image(article.image)
    assert [r.width for r in image.renditions] == [320, 640, 960, 1280, 1400]
    assert (image.width, image.height) == (1400, 700)
    for rendition in image.renditions:
        path = Path(_media_root) / rendition_name(article.image.name, rendition.width)
        with Image.open(path) as made:
            assert made.format == "WEBP"
            assert made.size == (rendition.width, rendition.height)


def test_renditions_never_upscale_a_small_image():
    article = make_article(image=make_image_file(size=(500, 300)))
    image = responsive_image(article.image)
    assert [r.width for r in image.renditions] == [320, 500]
    assert max(RENDITION_WIDTHS) == 1600


def test_template_tag_writes_srcset_sizes_dimensions_and_lazy_loading():
    article = make_article(image=make_image_file(size=(1000, 500)), image_alt="سوق حلب")
    html = Template(
        "{% load articles_tags %}{% responsive_image a.image alt=a.image_alt sizes='50vw' %}"
    ).render(Context({"a": article}))
    assert '<source type="image/webp" srcset="' in html
    assert "-320w.webp 320w" in html and "-1000w.webp 1000w" in html
    assert 'sizes="50vw"' in html
    assert 'width="1000" height="500"' in html
    assert 'alt="سوق حلب"' in html
    assert 'loading="lazy"' in html
    eager = Template("{% load articles_tags %}{% responsive_image a.image eager=True %}").render(
        Context({"a": article})
    )
    assert 'loading="eager"' in eager and 'fetchpriority="high"' in eager


def test_template_tag_falls_back_to_the_original_when_the_file_is_unreadable(_media_root):
    article = make_article(image=make_image_file())
    Path(_media_root, article.image.name).write_bytes(b"broken")
    html = Template("{% load articles_tags %}{% responsive_image a.image %}").render(
        Context({"a": article})
    )
    assert f'<img src="{article.image.url}"' in html
    assert "srcset" not in html

"""Bad uploads through the admin article form and the body-image upload: refused in Arabic,
nothing left on disk."""

import io
import os
import re
import struct
import zlib

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from articles.models import Article

from . import attacks

pytestmark = pytest.mark.django_db

ARABIC = re.compile("[\u0600-\u06ff]")
ERRORLIST = re.compile(r'<ul class="errorlist[^"]*"[^>]*>(.*?)</ul>', re.S)


def noisy_jpeg(size=(900, 600)) -> bytes:
    """A real JPEG that does not compress well (so it has a size worth testing)."""
    image = Image.frombytes("RGB", size, os.urandom(size[0] * size[1] * 3))
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=95)
    return buffer.getvalue()


def _png_chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def bomb_png(width=60_000, height=60_000) -> bytes:
    """A tiny PNG whose header claims 3.6 billion pixels (a decompression bomb)."""
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    rows = zlib.compress(b"\x00" * 64)
    return (
        b"\x89PNG\r\n\x1a\n"
        + _png_chunk(b"IHDR", header)
        + _png_chunk(b"IDAT", rows)
        + _png_chunk(b"IEND", b"")
    )


def truncated_jpeg() -> bytes:
    data = noisy_jpeg((400, 300))
    return data[: len(data) // 2]


BAD_UPLOADS = {
    "not_an_image": ("report.jpg", attacks.NOT_AN_IMAGE, "image/jpeg"),
    "html_named_png": ("photo.png", attacks.HTML_AS_IMAGE, "image/png"),
    "truncated": ("half.jpg", truncated_jpeg(), "image/jpeg"),
    "decompression_bomb": ("bomb.png", bomb_png(), "image/png"),
    "oversized": ("huge.jpg", noisy_jpeg(), "image/jpeg"),
}


@pytest.fixture(autouse=True)
def _small_upload_limit(settings):
    # The noisy JPEG (~500 KB) is "oversized" under this limit; the others are far below it.
    settings.MAX_IMAGE_UPLOAD_BYTES = 200 * 1024


def files_under(root) -> list[str]:
    return [os.path.join(d, f) for d, _dirs, names in os.walk(root) for f in names]


def arabic_upload_error(response) -> str:
    """The error shown for the image field: in Arabic, and the only error on the form."""
    context = response.context
    form = context["adminform"].form if "adminform" in context else context["form"]
    assert list(form.errors) == ["image"], form.errors
    text = " ".join(form.errors["image"])
    assert ARABIC.search(text), f"no Arabic error in {text!r}"
    assert not re.search(r"[A-Za-z]{4,}", text.replace("JPEG", "").replace("WebP", "")), text
    shown = re.sub(r"<[^>]+>", " ", " ".join(ERRORLIST.findall(response.content.decode())))
    assert text.split()[0] in shown
    return text


def article_form(section, upload, author):
    return {
        "author": author.pk,
        "title": "خبر مع صورة",
        "slug": "",
        "kind": "news",
        "section": section.pk,
        "tags": "",
        "lead": "",
        "body": "<p>نص</p>",
        "comments_open": "on",
        "image": upload,
        "image_alt": "صورة",
    }


@pytest.mark.parametrize("case", BAD_UPLOADS)
def test_bad_image_through_admin_article_form_is_refused_in_arabic_and_not_stored(
    client, editor, section, settings, case
):
    name, content, content_type = BAD_UPLOADS[case]
    client.force_login(editor)
    response = client.post(
        reverse("admin:articles_article_add"),
        article_form(section, SimpleUploadedFile(name, content, content_type=content_type), editor),
    )
    assert response.status_code == 200
    arabic_upload_error(response)
    assert not Article.objects.exists()
    assert files_under(settings.MEDIA_ROOT) == []


@pytest.mark.parametrize("case", BAD_UPLOADS)
def test_bad_image_through_body_image_upload_is_refused_in_arabic_and_not_stored(
    client, editor, settings, case
):
    name, content, content_type = BAD_UPLOADS[case]
    client.force_login(editor)
    response = client.post(
        reverse("admin:articles_article_body_image"),
        {"image": SimpleUploadedFile(name, content, content_type=content_type)},
    )
    assert response.status_code == 200
    arabic_upload_error(response)
    assert "data-body-image-url" not in response.content.decode()
    assert files_under(settings.MEDIA_ROOT) == []


def test_oversized_upload_is_refused_for_its_size(client, editor, settings):
    client.force_login(editor)
    name, content, content_type = BAD_UPLOADS["oversized"]
    response = client.post(
        reverse("admin:articles_article_body_image"),
        {"image": SimpleUploadedFile(name, content, content_type=content_type)},
    )
    arabic_upload_error(response)
    assert [e.code for e in response.context["form"].errors.as_data()["image"]] == ["too_large"]


def test_a_good_image_is_stored_through_both_paths(client, editor, section, settings):
    """The control: the same checks let a real image through, so an empty folder above
    means the bad files were refused, not that nothing is ever stored."""
    client.force_login(editor)
    good = noisy_jpeg((200, 120))
    response = client.post(
        reverse("admin:articles_article_body_image"),
        {"image": SimpleUploadedFile("ok.jpg", good, content_type="image/jpeg")},
    )
    assert "data-body-image-url" in response.content.decode()
    response = client.post(
        reverse("admin:articles_article_add"),
        article_form(
            section, SimpleUploadedFile("ok.jpg", good, content_type="image/jpeg"), editor
        ),
    )
    assert response.status_code == 302, response.context["adminform"].form.errors
    assert Article.objects.get().image
    assert len(files_under(settings.MEDIA_ROOT)) == 2


def _png(size=(60, 40)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, (10, 120, 60)).save(buffer, "PNG")
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("name", "fmt", "extension"),
    [
        ("poly.php.jpg", "JPEG", ".jpg"),
        ("x.pdf", "PNG", ".png"),
        ("photo.gif", "PNG", ".png"),
        ("../../etc/passwd.png", "JPEG", ".jpg"),
        ("صورة.png", "WEBP", ".webp"),
    ],
)
def test_featured_image_gets_a_random_name_with_its_real_formats_extension(
    client, editor, section, settings, name, fmt, extension
):
    buffer = io.BytesIO()
    Image.new("RGB", (60, 40), (10, 120, 60)).save(buffer, fmt)
    client.force_login(editor)
    upload = SimpleUploadedFile(name, buffer.getvalue(), content_type="image/jpeg")
    response = client.post(
        reverse("admin:articles_article_add"), article_form(section, upload, editor)
    )
    assert response.status_code == 302, response.context["adminform"].form.errors
    stored = Article.objects.get().image.name
    folder, _, filename = stored.rpartition("/")
    assert folder.startswith("articles/")
    assert filename.endswith(extension) and filename.count(".") == 1
    stem = filename.removesuffix(extension)
    assert len(stem) >= 16 and stem not in name
    assert os.path.exists(os.path.join(settings.MEDIA_ROOT, stored))


def test_two_uploads_of_the_same_file_get_different_names(client, editor, section):
    client.force_login(editor)
    for _ in range(2):
        upload = SimpleUploadedFile("same.png", _png(), content_type="image/png")
        client.post(reverse("admin:articles_article_add"), article_form(section, upload, editor))
    names = [a.image.name for a in Article.objects.all()]
    assert len(names) == 2 and len(set(names)) == 2

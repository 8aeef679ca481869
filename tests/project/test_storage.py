"""Media on S3-compatible object storage, against a local S3 server (moto) over real HTTP."""

import re
import urllib.request
from datetime import timedelta

import environ
import pytest
from django.core.files.storage import storages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone

from articles.models import Article, Status
from levant24.settings.components import storages_from_env
from levant24.storage import object_headers
from tests import factories
from tests.articles.test_admin import change_url, form_data
from tests.articles.test_feeds import png_upload
from tests.s3 import BUCKET, KEYS, REGION, start_s3

pytestmark = pytest.mark.django_db

YEAR = "public, max-age=31536000, immutable"


@pytest.fixture(scope="module")
def s3_server():
    server = start_s3()
    yield server
    server.stop()


@pytest.fixture
def s3_media(s3_server, settings, monkeypatch):
    """The settings built from the environment as in production, pointed at the server."""
    for name, value in {
        "MEDIA_STORAGE": "s3",
        "AWS_STORAGE_BUCKET_NAME": BUCKET,
        "AWS_S3_ENDPOINT_URL": s3_server.endpoint,
        "AWS_S3_REGION_NAME": REGION,
        "AWS_ACCESS_KEY_ID": KEYS["aws_access_key_id"],
        "AWS_SECRET_ACCESS_KEY": KEYS["aws_secret_access_key"],
    }.items():
        monkeypatch.setenv(name, value)
    settings.STORAGES = storages_from_env(environ.Env())
    return s3_server


def _head(server, key):
    return server.client().head_object(Bucket=BUCKET, Key=key)


def _img_sources(response) -> str:
    policy = response["Content-Security-Policy"]
    return next(part for part in policy.split("; ") if part.startswith("img-src"))


def test_object_headers_inline_for_images_attachment_for_anything_else():
    assert object_headers("media/a/photo.webp") == {
        "ContentType": "image/webp",
        "CacheControl": YEAR,
        "ContentDisposition": "inline",
    }
    assert object_headers("media/a/PHOTO.JPG")["ContentType"] == "image/jpeg"
    for name in ("media/x.svg", "media/x.html", "media/x"):
        headers = object_headers(name)
        assert headers["ContentType"] == "application/octet-stream"
        assert headers["ContentDisposition"] == "attachment"


def test_an_image_uploaded_in_the_admin_is_stored_and_served_from_s3(
    s3_media, client, django_capture_on_commit_callbacks
):
    editor = factories.make_staff(role="editor", username="rana", display_name="رنا")
    article = factories.make_article(title="جسر الرستن بعد الترميم")
    client.force_login(editor)
    data = form_data(client, article, image=png_upload(size=(800, 600)), image_alt="جسر")
    with django_capture_on_commit_callbacks(execute=True):  # renditions are made after commit
        response = client.post(change_url(article), data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    # Published again as it was (the form posted an empty publication time).
    Article.objects.filter(pk=article.pk).update(
        status=Status.PUBLISHED, published_at=timezone.now() - timedelta(hours=1)
    )
    article = Article.objects.get(pk=article.pk)
    assert article.image.name.endswith(".png")
    key = f"media/{article.image.name}"  # AWS_LOCATION, then the name

    # The original and its renditions, each with its headers, in the bucket.
    head = _head(s3_media, key)
    assert head["ContentType"] == "image/png"
    assert head["CacheControl"] == YEAR
    assert head["ContentDisposition"] == "inline"
    keys = {
        item["Key"]
        for item in s3_media.client().list_objects_v2(Bucket=BUCKET, Prefix="media/")["Contents"]
    }
    webp = [name for name in keys if name.endswith(".webp")]
    assert webp, keys
    assert _head(s3_media, webp[0])["ContentType"] == "image/webp"
    assert _head(s3_media, webp[0])["CacheControl"] == YEAR

    # The public page points its <img> at the object, which the server serves with them.
    page = Client().get(article.get_absolute_url())
    html = page.content.decode()
    sources = re.findall(r'<img[^>]+src="([^"]+)"', html) + re.findall(r'srcset="([^" ]+)', html)
    ours = [src for src in sources if src.startswith(f"{s3_media.endpoint}/")]
    assert ours, sources
    with urllib.request.urlopen(ours[0], timeout=5) as served:
        assert served.status == 200
        assert served.headers["Content-Type"].startswith("image/")
        assert served.headers["Cache-Control"] == YEAR
        assert served.read(4) in (b"\x89PNG", b"RIFF")
    assert f'src="{article.image.url}"' in html or article.image.url in html

    # The policy lets the browser load it.
    assert s3_media.endpoint in _img_sources(page)


def test_an_uploaded_file_claiming_a_type_is_stored_with_the_type_of_its_name(s3_media):
    storage = storages["default"]
    upload = SimpleUploadedFile("trap.svg", b"<svg onload=alert(1)>", content_type="image/svg+xml")
    name = storage.save("uploads/trap.svg", upload)
    head = _head(s3_media, f"media/{name}")
    assert head["ContentType"] == "application/octet-stream"
    assert head["ContentDisposition"] == "attachment"


def test_local_media_adds_no_image_origin_to_the_policy(client, settings):
    settings.CSP_IMG_SOURCES = []
    response = client.get("/")
    assert _img_sources(response) == "img-src 'self' data:"


def test_the_policy_follows_a_cdn_domain(s3_media, client, settings, monkeypatch):
    monkeypatch.setenv("AWS_S3_CUSTOM_DOMAIN", "img.levant24.example")
    settings.STORAGES = storages_from_env(environ.Env())
    assert "https://img.levant24.example" in _img_sources(client.get("/"))

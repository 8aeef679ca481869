"""`make serve` shows uploaded images: /media/ is answered by Django when SERVE_MEDIA is on
(development only), and refused otherwise."""

from pathlib import Path

import pytest

pytestmark = pytest.mark.django_db


def _upload(root):
    folder = Path(root) / "articles" / "2026" / "12"
    folder.mkdir(parents=True)
    (folder / "souq.png").write_bytes(b"\x89PNG\r\n\x1a\nfake")
    return "/media/articles/2026/12/souq.png"


def test_uploads_are_served_when_serve_media_is_on(client, settings, _media_root):
    settings.DEBUG = False
    settings.SERVE_MEDIA = True
    url = _upload(_media_root)
    response = client.get(url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content).startswith(b"\x89PNG")


def test_uploads_are_not_served_by_django_in_production(client, settings, _media_root):
    settings.DEBUG = False
    settings.SERVE_MEDIA = False
    assert client.get(_upload(_media_root)).status_code == 404


def test_make_serve_turns_media_serving_on():
    makefile = (Path(__file__).resolve().parents[2] / "Makefile").read_text()
    assert "serve: export SERVE_MEDIA ?= True" in makefile


def test_media_route_does_not_leave_the_media_folder(client, settings, _media_root):
    settings.SERVE_MEDIA = True
    _upload(_media_root)
    for url in ("/media/../manage.py", "/media/%2e%2e/manage.py"):
        response = client.get(url)
        assert response.status_code in (400, 404)
        assert b"django" not in b"".join(getattr(response, "streaming_content", [b""]))

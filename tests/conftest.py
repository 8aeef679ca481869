import shutil
import tempfile

import pytest

from tests import factories


@pytest.fixture(autouse=True)
def _media_root(settings):
    """Every test writes uploads to its own throw-away folder."""
    path = tempfile.mkdtemp(prefix="levant24-media-")
    settings.MEDIA_ROOT = path
    yield path
    shutil.rmtree(path, ignore_errors=True)


@pytest.fixture(autouse=True)
def _clear_cache():
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def author(db):
    return factories.make_author()


@pytest.fixture
def section(db):
    return factories.make_section(name="سوريا", slug="سوريا")


@pytest.fixture
def article(db, author, section):
    return factories.make_article(author=author, section=section, title="الشرع يزور حلب")


@pytest.fixture
def clock(monkeypatch):
    """Moves the wall clock (``time.time``) that the cache, the rate limits and signed
    tokens read: ``clock.advance(seconds)``."""
    import time

    real = time.time

    class Clock:
        offset = 0.0

        def advance(self, seconds: float) -> None:
            self.offset += seconds

    clock = Clock()
    monkeypatch.setattr(time, "time", lambda: real() + clock.offset)
    return clock


@pytest.fixture
def purged(monkeypatch, settings):
    """Every set of purge keys sent to the edge, in order (an edge is configured; nothing is
    sent over the network)."""
    from edge import purge as edge_purge

    settings.EDGE_PURGE_BACKEND = "varnish"
    settings.EDGE_PURGE_URLS = ["http://127.0.0.1:9/"]
    sent = []
    monkeypatch.setattr(edge_purge, "send", lambda keys: sent.append(set(keys)))
    return sent

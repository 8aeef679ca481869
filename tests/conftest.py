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

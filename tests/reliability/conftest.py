import itertools
import os

import pytest
from hypothesis import HealthCheck, settings

from tests import factories

# Small and quick: each property runs a few dozen examples through the full request stack,
# and nothing is written to a .hypothesis folder.
settings.register_profile(
    "levant24",
    max_examples=30,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
# HYPOTHESIS_PROFILE=thorough: ten times the examples, for hunting by hand.
settings.register_profile("thorough", parent=settings.get_profile("levant24"), max_examples=300)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "levant24"))

_addresses = itertools.count(1)


def next_ip() -> str:
    """A fresh client address, so per-address limits do not decide a test."""
    n = next(_addresses)
    return f"10.{n // 65536 % 256}.{n // 256 % 256}.{n % 256}"


@pytest.fixture
def open_comments(db, settings):
    """Comments go straight to the page (no moderation queue, no flood or hourly limit)."""
    from comments.models import ModerationSettings

    settings.COMMENTS_FLOOD_SECONDS = 0
    rules = ModerationSettings.load()
    rules.hold_all = False
    rules.hourly_limit = 0
    rules.link_threshold = 0
    rules.notify_moderators = False
    rules.save()
    return rules


@pytest.fixture
def editor(db):
    return factories.make_staff(role="editor", username="rana", display_name="رنا")

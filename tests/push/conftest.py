"""Push tests deliver to a local push service (tests/push/receiver.py)."""

import pytest

from push.services import vapid_key_pair

from .receiver import running_receiver


@pytest.fixture
def receiver():
    with running_receiver() as state:
        yield state


@pytest.fixture
def vapid(settings):
    """Push turned on with a fresh key pair."""
    public, private = vapid_key_pair()
    settings.VAPID_PUBLIC_KEY = public
    settings.VAPID_PRIVATE_KEY = private
    settings.VAPID_SUBJECT = "mailto:desk@levant24.example"
    return public

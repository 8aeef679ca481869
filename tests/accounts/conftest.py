import pytest

from tests import factories
from tests.accounts.utils import PASSWORD


@pytest.fixture
def reader(db):
    return factories.make_reader(username="rana", email="rana@example.com", password=PASSWORD)


@pytest.fixture(autouse=True)
def _no_signin_pacing(settings):
    """Pacing has its own tests; elsewhere failures must not make tests wait."""
    settings.SIGNIN_SLOWDOWN_SECONDS = 0

"""Settings of the gunicorn that `make bench` measures: production's, plus one URL.

The only difference from ``levant24.settings.prod`` is ``ROOT_URLCONF``: bench/urls.py adds
``/bench/minimal/`` (the baseline row) next to every public URL of the site, so that the
baseline runs under the same gunicorn, settings and middleware as the pages it is compared
with. The public URLs of the site itself stay untouched.
"""

from levant24.settings.prod import *  # noqa: F403

ROOT_URLCONF = "bench.urls"

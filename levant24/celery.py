"""The Celery application: ``celery -A levant24 worker`` (see docs/deploy.md).

Configured from the Django settings named ``CELERY_*``; every app's ``tasks.py`` is found
by itself.
"""

from celery import Celery, signals

# No default for DJANGO_SETTINGS_MODULE here: this module loads with the package, and
# levant24.wsgi picks production settings after importing it. `make worker` and the systemd
# unit set it.
app = Celery("levant24")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
app.set_default()

_primary_tokens: dict = {}


@signals.task_prerun.connect
def _read_from_primary(task_id=None, task=None, **kwargs):
    # A task is queued right after the write it is about: on a lagging replica it would not
    # find the row yet. Tasks read from the primary (levant24/db_router.py).
    from levant24.db_router import start_primary_reads

    _primary_tokens[task_id] = start_primary_reads()


@signals.task_postrun.connect
def _back_to_replica(task_id=None, task=None, **kwargs):
    from levant24.db_router import stop_primary_reads

    token = _primary_tokens.pop(task_id, None)
    if token is not None:
        stop_primary_reads(token)

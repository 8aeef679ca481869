"""The Celery application: ``celery -A levant24 worker`` (see docs/deploy.md).

Configured from the Django settings named ``CELERY_*``; every app's ``tasks.py`` is found
by itself.
"""

from celery import Celery

# No default for DJANGO_SETTINGS_MODULE here: this module loads with the package, and
# levant24.wsgi picks production settings after importing it. `make worker` and the systemd
# unit set it.
app = Celery("levant24")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
app.set_default()

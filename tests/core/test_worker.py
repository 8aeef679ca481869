"""A real Celery worker (``--pool=solo``) against RabbitMQ runs the queued tasks.

The worker and the small scripts that play the web requests are processes of this test run
(same process group), sharing a throw-away SQLite database and a mail folder. Every run uses
a queue of its own, deleted afterwards, so runs never take each other's messages. Skipped
with a notice when RabbitMQ cannot be reached, except in CI (CI=true), where it fails.
"""

import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

import pytest
from django.conf import settings

from tests.core.conftest import closed_port

BASE = Path(settings.BASE_DIR)
RABBITMQ_HOST, RABBITMQ_PORT = "127.0.0.1", 5672
RABBITMQ_URL = f"amqp://guest:guest@{RABBITMQ_HOST}:{RABBITMQ_PORT}//"
CELERY = Path(sys.executable).with_name("celery")


def _rabbitmq_reachable() -> bool:
    try:
        with socket.create_connection((RABBITMQ_HOST, RABBITMQ_PORT), timeout=2):
            return True
    except OSError:
        return False


@pytest.fixture(scope="module")
def rabbitmq():
    if not _rabbitmq_reachable():
        message = f"RabbitMQ is not reachable at {RABBITMQ_HOST}:{RABBITMQ_PORT}"
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(f"{message}: CI must run the real-worker test")
        print(f"\n*** notice: {message}: the real-worker tests are skipped ***")
        pytest.skip(message)
    return RABBITMQ_URL


@pytest.fixture(scope="module")
def site(tmp_path_factory, rabbitmq):
    """Environment of the worker and of the scripts: own database, mail folder and queue."""
    tmp_path = tmp_path_factory.mktemp("worker")
    # The database in memory-backed /dev/shm when there is one: migrating is then fast.
    shm = Path("/dev/shm")
    db_dir = Path(tempfile.mkdtemp(dir=shm)) if shm.is_dir() else tmp_path
    queue = f"levant24-test-{uuid.uuid4().hex[:12]}"
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "levant24.settings.dev",
        "DEBUG": "False",
        "DATABASE_URL": f"sqlite:///{db_dir / 'site.sqlite3'}",
        "CACHE_URL": "locmemcache://worker-test",
        "EMAIL_URL": f"filemail:///{tmp_path / 'mail'}",
        "MEDIA_ROOT": str(tmp_path / "media"),
        "CELERY_BROKER_URL": rabbitmq,
        "CELERY_QUEUE": queue,
        "CELERY_TASK_ALWAYS_EAGER": "False",
        "LOG_LEVEL": "WARNING",
    }
    (tmp_path / "mail").mkdir()
    subprocess.run(
        [sys.executable, "manage.py", "migrate", "--noinput", "-v", "0"],
        cwd=BASE,
        env=env,
        check=True,
        timeout=120,
    )
    yield {"env": env, "queue": queue, "mail": tmp_path / "mail", "tmp": tmp_path}
    _delete_queue(queue)
    shutil.rmtree(db_dir, ignore_errors=True)


def _delete_queue(queue):
    from kombu import Connection

    try:
        with Connection(RABBITMQ_URL, connect_timeout=2) as conn:
            conn.default_channel.queue_delete(queue)
    except Exception as exc:  # the queue was never declared, or RabbitMQ went away
        print(f"could not delete test queue {queue}: {exc}")


@pytest.fixture(scope="module")
def worker(site):
    log = site["tmp"] / "worker.log"
    with log.open("w") as out:
        process = subprocess.Popen(
            [
                str(CELERY),
                "-A",
                "levant24",
                "worker",
                "--pool=solo",
                "-Q",
                site["queue"],
                "--without-gossip",
                "--without-mingle",
                "--without-heartbeat",
                "-n",
                f"{site['queue']}@%h",
                "-l",
                "INFO",
            ],
            cwd=BASE,
            env=site["env"],
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    try:
        deadline = time.monotonic() + 60
        while "ready." not in log.read_text():
            if process.poll() is not None or time.monotonic() > deadline:
                pytest.fail(f"the worker did not start:\n{log.read_text()}")
            time.sleep(0.2)
        yield process
    finally:
        # The tests are done with it and its queue is deleted: no need for the ten seconds
        # a warm or cold shutdown spends closing the broker connection.
        process.kill()
        process.wait()


def run_script(site, code, **env):
    """Run ``code`` in ``manage.py shell`` as a web request would; returns its output."""
    result = subprocess.run(
        [sys.executable, "manage.py", "shell", "-c", code],
        cwd=BASE,
        env={**site["env"], **env},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    return result.stdout


def mails_to(site, address):
    """The mails sent to ``address``. Django's file backend may append two mails to one
    file (its name has a one-second timestamp), so mails are counted by their headers."""
    return [
        mail
        for path in site["mail"].iterdir()
        for mail in path.read_text().split("\n" + "-" * 79 + "\n")
        if f"\nTo: {address}\n" in "\n" + mail
    ]


def wait_for_mail(site, address, timeout=30):
    deadline = time.monotonic() + timeout
    while not (found := mails_to(site, address)):
        assert time.monotonic() < deadline, f"no mail to {address}"
        time.sleep(0.2)
    return found


SIGN_UP = """
from django.db import transaction
from accounts import services
with transaction.atomic():
    user = services.user_signup(display_name="سلمى", email="{email}", password="Qasioun-1987-x")
    services.email_confirmation_send(user=user, base_url="http://testserver")
from core.models import OutboxMessage
print("waiting", OutboxMessage.objects.count())
"""


def test_a_real_worker_sends_the_mail_queued_by_a_request_exactly_once(site, worker):
    out = run_script(site, SIGN_UP.format(email="salma@example.com"))
    assert "waiting 0" in out  # handed to RabbitMQ at once
    (message,) = wait_for_mail(site, "salma@example.com")
    assert "/accounts/confirm/" in message

    # The same message delivered a second time (a crash between publish and delete):
    # the worker runs it and sends nothing. A mail queued after it shows it was processed.
    run_script(
        site,
        """
from accounts.tasks import send_confirmation_email
from core.models import CompletedTask
from django.contrib.auth import get_user_model
user = get_user_model().objects.get(email="salma@example.com")
key = CompletedTask.objects.get(key__startswith=send_confirmation_email.name).key
task_id = key.rsplit(":", 1)[1]
send_confirmation_email.apply_async(args=[user.pk, "http://testserver"], task_id=task_id)
"""
        + SIGN_UP.format(email="huda@example.com"),
    )
    wait_for_mail(site, "huda@example.com")
    assert len(mails_to(site, "salma@example.com")) == 1


def test_broker_down_then_back_the_worker_sends_the_waiting_mail_once(site, worker):
    down = f"amqp://guest:guest@127.0.0.1:{closed_port()}//"
    out = run_script(site, SIGN_UP.format(email="rana@example.com"), CELERY_BROKER_URL=down)
    assert "waiting 1" in out  # the request succeeded; its task waits in the outbox
    assert mails_to(site, "rana@example.com") == []

    # The broker is reachable again: the periodic drain (here run once by hand) publishes it.
    out = run_script(
        site,
        "from core import outbox; print('sent', outbox.drain(min_age_seconds=0));"
        "print('again', outbox.drain(min_age_seconds=0))",
    )
    assert "sent 1" in out and "again 0" in out
    wait_for_mail(site, "rana@example.com")
    # Nothing is sent twice: one more mail through the same worker, then count.
    run_script(site, SIGN_UP.format(email="lina@example.com"))
    wait_for_mail(site, "lina@example.com")
    assert len(mails_to(site, "rana@example.com")) == 1

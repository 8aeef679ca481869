"""A real streaming PostgreSQL replica of a running server, for `make cluster` and the tests.

``start_replica()`` copies the PostgreSQL server a Django settings dict names (``pg_basebackup``
over the replication protocol, as user postgres) into a temporary folder owned by the postgres
system user and starts it with ``pg_ctl`` as a hot standby on the given port; ``remove()``
stops it and removes the folder. Where that cannot be done (no PostgreSQL binaries, not root,
the server refuses replication connections) it raises ``ReplicaUnavailable`` with the reason.

Nothing here imports Django or pytest: the test fixture (tests/replica.py) and the cluster
script (deploy/cluster/cluster.py) both use it.
"""

from __future__ import annotations

import glob
import os
import shutil
import subprocess
import tempfile
import time
from pathlib import Path


class ReplicaUnavailable(RuntimeError):
    """The replica cannot be made here; the message says why."""


def _pg_bin() -> str | None:
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/pg_basebackup"))
    if found:
        return os.path.dirname(found[-1])
    path = shutil.which("pg_basebackup")
    return os.path.dirname(path) if path else None


def _as_postgres(args, **kwargs):
    return subprocess.run(
        ["runuser", "-u", "postgres", "--", *args],
        capture_output=True,
        text=True,
        **kwargs,
    )


class Replica:
    def __init__(self, *, bindir: str, folder: str, port: int):
        self.bindir = bindir
        self.folder = folder
        self.data = os.path.join(folder, "data")
        self.port = port

    def pg_ctl(self, *args, timeout=60):
        return _as_postgres(
            [
                os.path.join(self.bindir, "pg_ctl"),
                "-D",
                self.data,
                "-l",
                os.path.join(self.folder, "log"),
                *args,
            ],
            timeout=timeout,
        )

    def start(self) -> None:
        result = self.pg_ctl("-w", "-t", "60", "start")
        if result.returncode != 0:
            log = Path(self.folder, "log").read_text()[-2000:]
            raise RuntimeError(f"pg_ctl start failed: {result.stderr}\n{log}")

    def stop(self) -> None:
        self.pg_ctl("-m", "immediate", "stop")

    def remove(self) -> None:
        self.stop()
        shutil.rmtree(self.folder, ignore_errors=True)


# A standby refuses to start with less of these than its primary has.
STANDBY_MINIMUMS = (
    "max_connections",
    "max_worker_processes",
    "max_wal_senders",
    "max_prepared_transactions",
    "max_locks_per_transaction",
)


def _primary_args(host: str, primary: dict) -> list[str]:
    """psql/pg_basebackup arguments that reach the primary."""
    return [
        "-h",
        host,
        "-p",
        str(primary.get("PORT") or 5432),
        "-U",
        primary.get("USER") or "postgres",
    ]


def _standby_minimums(bindir: str, host: str, primary: dict) -> str:
    names = ", ".join(f"'{name}'" for name in STANDBY_MINIMUMS)
    result = subprocess.run(
        [
            os.path.join(bindir, "psql"),
            *_primary_args(host, primary),
            "-d",
            "postgres",
            "-tAF=",
            "-c",
            f"SELECT name, setting FROM pg_settings WHERE name IN ({names})",
        ],
        capture_output=True,
        text=True,
        timeout=30,
        check=True,
    )
    return "".join(f"{line.replace('=', ' = ', 1)}\n" for line in result.stdout.split())


def start_replica(primary: dict, *, port: int) -> Replica:
    """A hot standby of the ``primary`` settings dict (Django's), or ``ReplicaUnavailable``."""
    if primary.get("ENGINE") != "django.db.backends.postgresql":
        raise ReplicaUnavailable("the primary database is not PostgreSQL")
    bindir = _pg_bin()
    if bindir is None:
        raise ReplicaUnavailable("pg_basebackup not found (PostgreSQL server package)")
    if os.geteuid() != 0 or shutil.which("runuser") is None:
        raise ReplicaUnavailable("starting a PostgreSQL server needs root (runuser -u postgres)")
    folder = tempfile.mkdtemp(prefix="levant24-replica-")
    shutil.chown(folder, user="postgres")
    os.chmod(folder, 0o700)
    replica = Replica(bindir=bindir, folder=folder, port=port)
    host = primary.get("HOST") or "127.0.0.1"
    result = _as_postgres(
        [
            os.path.join(bindir, "pg_basebackup"),
            *_primary_args(host, primary),
            "-D",
            replica.data,
            "-X",
            "stream",
            "-R",  # standby.signal and primary_conninfo
            "-c",
            "fast",
        ],
        timeout=600,
    )
    if result.returncode != 0:
        shutil.rmtree(folder, ignore_errors=True)
        raise ReplicaUnavailable(
            f"pg_basebackup failed ({result.stderr.strip()}); the server must allow "
            "replication connections from 127.0.0.1 (pg_hba.conf, see .ci/run)"
        )
    # Debian keeps the configuration outside the data folder: the copy needs its own.
    for name, text in {
        "postgresql.conf": (
            f"port = {port}\n"
            "listen_addresses = '127.0.0.1'\n"
            f"unix_socket_directories = '{folder}'\n"
            "hot_standby = on\n"
            "shared_buffers = 16MB\n"
            "fsync = off\n" + _standby_minimums(bindir, host, primary)
        ),
        "pg_hba.conf": "local all all trust\nhost all all 127.0.0.1/32 trust\n",
        "pg_ident.conf": "",
    }.items():
        path = os.path.join(replica.data, name)
        with open(path, "w") as handle:
            handle.write(text)
        shutil.chown(path, user="postgres")
    try:
        replica.start()
    except (RuntimeError, subprocess.TimeoutExpired) as exc:
        replica.remove()
        raise ReplicaUnavailable(str(exc)) from exc
    return replica


def wait_for(predicate, *, timeout: float = 15.0, every: float = 0.1):
    deadline = time.monotonic() + timeout
    while True:
        value = predicate()
        if value or time.monotonic() > deadline:
            return value
        time.sleep(every)

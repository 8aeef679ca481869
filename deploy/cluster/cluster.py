"""Several machines, shown on one: `make cluster` and the cluster tests.

Started in this order, each stopped (in the reverse order) when the run ends, on Ctrl-C,
SIGTERM or a failure at start-up:

- the primary database: the PostgreSQL server and database of CLUSTER_DATABASE_URL (default
  postgres://postgres@127.0.0.1:5432/levant24_cluster), made afresh at every start (dropped
  if it exists, created, migrated, the demo loaded): the bucket below lives in memory, and
  content pointing at images that are gone would not render;
- a streaming replica of that server on its own port (deploy/cluster/replica.py);
- the media bucket on a local S3 server (moto), read by anyone, written by the app;
- two app servers (gunicorn, production settings), the same code with a different
  environment (LEVANT24_NODE, GUNICORN_BIND);
- a task worker (Celery) with its scheduler, on RabbitMQ, consuming a queue of its own;
- Varnish in front of both app servers: our VCL (deploy/varnish/default.vcl) with its one
  backend replaced by a round-robin director over the nodes, each probed on /healthz.

Shared between the nodes: the databases, Redis (cache, sessions, rate limits:
CLUSTER_CACHE_URL, its database emptied at start), the broker (CELERY_BROKER_URL; the queue
CLUSTER_QUEUE, emptied at start), the bucket and the edge they purge.

Ports come from the environment (CLUSTER_EDGE_PORT, CLUSTER_NODE_PORTS, CLUSTER_REPLICA_PORT,
CLUSTER_S3_PORT); ``Cluster`` is also a context manager for the tests (tests/cluster/).
"""

from __future__ import annotations

import contextlib
import ctypes
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from deploy.cluster.replica import Replica, ReplicaUnavailable, start_replica  # noqa: E402

VCL = ROOT / "deploy" / "varnish" / "default.vcl"
VARNISHD = shutil.which("varnishd") or "/usr/sbin/varnishd"
PYTHON = sys.executable
BIN = Path(sys.executable).parent
LOGS = ROOT / ".cluster" / "logs"

BUCKET = "levant24-media"
S3_REGION = "us-east-1"
S3_KEYS = {"AWS_ACCESS_KEY_ID": "testing", "AWS_SECRET_ACCESS_KEY": "testing"}


class ClusterError(RuntimeError):
    """The cluster could not start; the message says which part and why."""


def _env_int(name: str, default: int) -> int:
    return int(os.environ.get(name) or default)


@dataclass
class Ports:
    edge: int = 8080
    nodes: tuple[int, ...] = (8001, 8002)
    replica: int = 5433
    s3: int = 9000

    @classmethod
    def from_env(cls, prefix: str = "CLUSTER_") -> Ports:
        default = cls()
        nodes = os.environ.get(prefix + "NODE_PORTS")
        return cls(
            edge=_env_int(prefix + "EDGE_PORT", default.edge),
            nodes=tuple(int(p) for p in nodes.split(",")) if nodes else default.nodes,
            replica=_env_int(prefix + "REPLICA_PORT", default.replica),
            s3=_env_int(prefix + "S3_PORT", default.s3),
        )

    def all(self) -> list[int]:
        return [self.edge, *self.nodes, self.replica, self.s3]


def _listening(port: int) -> bool:
    with socket.socket() as sock:
        sock.settimeout(0.2)
        return sock.connect_ex(("127.0.0.1", port)) == 0


def _die_with_parent():
    """In the child: SIGTERM when the cluster process dies, even by SIGKILL (Linux)."""
    with contextlib.suppress(Exception):
        ctypes.CDLL("libc.so.6", use_errno=True).prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG


def http_get(url: str, timeout: float = 5.0) -> tuple[int, dict, bytes]:
    request = urllib.request.Request(url)
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read()


def cluster_vcl(nodes: list[int], *, probe_interval: str = "2s") -> str:
    """deploy/varnish/default.vcl with its one backend replaced by one per node behind a
    round-robin director. The caching and purge rules are the file's own, unchanged."""
    text = VCL.read_text()
    match = re.search(r"^backend default \{\n.*?^\}\n", text, flags=re.S | re.M)
    if match is None or "import xkey;" not in text:
        raise ClusterError(f"{VCL}: no `backend default {{...}}` block to replace")
    block = match.group(0).replace(".interval = 2s;", f".interval = {probe_interval};")
    backends = "".join(
        block.replace("backend default", f"backend node{i}").replace(
            '.port = "8000";', f'.port = "{port}";'
        )
        + "\n"
        for i, port in enumerate(nodes, 1)
    )
    adds = "".join(f"    nodes.add_backend(node{i});\n" for i in range(1, len(nodes) + 1))
    cluster = (
        "# Generated by deploy/cluster/cluster.py: the app servers behind one director.\n"
        + backends
        + "sub vcl_init {\n    new nodes = directors.round_robin();\n"
        + adds
        + "}\n\n"
        # Defined again below: Varnish runs the bodies of a routine in the order they appear.
        + "sub vcl_recv {\n    set req.backend_hint = nodes.backend();\n}\n\n"
        # A node that refuses the connection (stopped, not yet marked sick by its probe):
        # a read is tried once more, the director handing it to the next node.
        + "sub vcl_backend_error {\n"
        + '    if (bereq.retries < 1 && (bereq.method == "GET" || bereq.method == "HEAD")) {\n'
        + "        return (retry);\n    }\n}\n"
    )
    text = text.replace("import xkey;", "import xkey;\nimport directors;", 1)
    return text.replace(match.group(0), cluster, 1)


@dataclass
class Service:
    name: str
    process: subprocess.Popen | None = None
    log: Path | None = None
    stop_hook: object = None

    def stop(self, timeout: float = 20.0) -> None:
        if self.stop_hook is not None:
            self.stop_hook()
            return
        process = self.process
        if process is None or process.poll() is not None:
            return
        process.terminate()
        try:
            process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


@dataclass
class Cluster:
    ports: Ports = field(default_factory=Ports)
    database_url: str = "postgres://postgres@127.0.0.1:5432/levant24_cluster"
    cache_url: str = "redis://127.0.0.1:6379/2"
    broker_url: str = "amqp://guest:guest@127.0.0.1:5672//"
    queue: str = ""
    probe_interval: str = "2s"
    gunicorn_workers: int = 2
    load_demo: bool = True
    quiet: bool = False
    extra_env: dict = field(default_factory=dict)

    def __post_init__(self):
        self.queue = self.queue or f"levant24-cluster-{self.ports.edge}"
        self.services: list[Service] = []
        self.work: Path | None = None
        self.replica: Replica | None = None
        self.nodes: dict[str, Service] = {}

    # --- URLs and environment -----------------------------------------------------------

    @property
    def edge_url(self) -> str:
        return f"http://127.0.0.1:{self.ports.edge}"

    @property
    def node_urls(self) -> list[str]:
        return [f"http://127.0.0.1:{port}" for port in self.ports.nodes]

    @property
    def s3_url(self) -> str:
        return f"http://127.0.0.1:{self.ports.s3}"

    @property
    def replica_url(self) -> str:
        parts = urlsplit(self.database_url)
        netloc = parts.netloc.rsplit("@", 1)
        user = netloc[0] + "@" if len(netloc) == 2 else ""
        return f"{parts.scheme}://{user}127.0.0.1:{self.ports.replica}{parts.path}"

    def env(self, node: str = "") -> dict:
        """The environment every process of the cluster runs with (a node adds its name)."""
        env = {
            **os.environ,
            # As `make serve`: production settings, plain http on 127.0.0.1.
            "DJANGO_SETTINGS_MODULE": "levant24.settings.prod",
            "SECRET_KEY": os.environ.get(
                "SECRET_KEY", "local-cluster-only-3f9a1c7e5b2d8f4a6c0e9b1d7f3a5c8e2b6d4f0a"
            ),
            "ALLOWED_HOSTS": "127.0.0.1,localhost",
            "SECURE_SSL_REDIRECT": "False",
            "SECURE_COOKIES": "False",
            "SERVE_MEDIA": "False",
            "DATABASE_URL": self.database_url,
            "DATABASE_REPLICA_URL": self.replica_url,
            "CACHE_URL": self.cache_url,
            # Sessions in Redis, written through to the primary: a Redis restart signs
            # nobody out.
            "SESSION_ENGINE": "django.contrib.sessions.backends.cached_db",
            "CELERY_BROKER_URL": self.broker_url,
            "CELERY_QUEUE": self.queue,
            "EDGE_PURGE_BACKEND": "varnish",
            "EDGE_PURGE_URLS": self.edge_url + "/",
            # Varnish is the one proxy in front of the nodes: the reader's address is the
            # last one it adds to X-Forwarded-For.
            "TRUSTED_PROXY_COUNT": "1",
            "MEDIA_STORAGE": "s3",
            "AWS_STORAGE_BUCKET_NAME": BUCKET,
            "AWS_S3_ENDPOINT_URL": self.s3_url,
            "AWS_S3_REGION_NAME": S3_REGION,
            **S3_KEYS,
            "GUNICORN_WORKERS": str(self.gunicorn_workers),
            "PYTHONUNBUFFERED": "1",
            **self.extra_env,
        }
        env.pop("CELERY_TASK_ALWAYS_EAGER", None)
        if node:
            env["LEVANT24_NODE"] = node
        return env

    def manage(self, *args: str, timeout: float = 600, check: bool = True, **kwargs):
        """``manage.py <args>`` with the cluster's environment."""
        return subprocess.run(
            [PYTHON, str(ROOT / "manage.py"), *args],
            cwd=ROOT,
            env=self.env(),
            capture_output=True,
            text=True,
            timeout=timeout,
            check=check,
            **kwargs,
        )

    def say(self, message: str) -> None:
        if not self.quiet:
            print(f"cluster: {message}", flush=True)

    # --- Start and stop -------------------------------------------------------------------

    def __enter__(self) -> Cluster:
        self.start()
        return self

    def __exit__(self, *exc) -> None:
        self.stop()

    def start(self) -> None:
        try:
            self._start()
        except BaseException:
            self.stop()
            raise

    def stop(self) -> None:
        while self.services:
            service = self.services.pop()
            with contextlib.suppress(Exception):
                service.stop()
        if self.work is not None:
            shutil.rmtree(self.work, ignore_errors=True)
            self.work = None

    def _start(self) -> None:
        taken = [port for port in self.ports.all() if _listening(port)]
        if taken:
            raise ClusterError(f"ports already in use: {taken} (see CLUSTER_*_PORT)")
        if not os.path.exists(VARNISHD):
            raise ClusterError("varnishd is missing (make varnish-deps installs it)")
        self.work = Path(tempfile.mkdtemp(prefix="levant24-cluster-"))
        os.chmod(self.work, 0o755)  # varnishd reads the VCL as its own user
        LOGS.mkdir(parents=True, exist_ok=True)

        self._database()
        self._redis()
        self._queue()
        self._s3()
        self._prepare_app()
        self._replica()
        for i, port in enumerate(self.ports.nodes):
            self._node(chr(ord("a") + i), port)
        self._worker()
        self._varnish()
        for name, url in [*zip(self.nodes, self.node_urls, strict=True), ("edge", self.edge_url)]:
            self._wait_http(name, url + "/healthz", deadline=time.monotonic() + 90)

    def _spawn(self, name: str, args: list[str], env: dict | None = None) -> Service:
        log = LOGS / f"{name}.log"
        handle = open(log, "w")  # noqa: SIM115 - kept open by the child
        process = subprocess.Popen(
            args,
            cwd=ROOT,
            env=env or self.env(),
            stdout=handle,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            # Not in our process group: Ctrl-C reaches only us, and we stop them in order.
            start_new_session=True,
            preexec_fn=_die_with_parent,
        )
        handle.close()
        service = Service(name, process, log)
        self.services.append(service)
        return service

    def _failed(self, service: Service, why: str) -> ClusterError:
        tail = service.log.read_text(errors="replace")[-3000:] if service.log else ""
        return ClusterError(f"{service.name}: {why}\n--- {service.log}\n{tail}")

    def _wait_port(self, service: Service, port: int, timeout: float = 60) -> None:
        deadline = time.monotonic() + timeout
        while not _listening(port):
            if service.process.poll() is not None:
                raise self._failed(service, "exited at start-up")
            if time.monotonic() > deadline:
                raise self._failed(service, f"not listening on port {port}")
            time.sleep(0.1)

    def _wait_http(self, name: str, url: str, deadline: float) -> None:
        while True:
            with contextlib.suppress(OSError):
                if http_get(url, timeout=3)[0] == 200:
                    return
            service = self.nodes.get(name)
            if service is not None and service.process.poll() is not None:
                raise self._failed(service, "exited at start-up")
            if time.monotonic() > deadline:
                raise ClusterError(f"{name}: {url} did not answer 200 (logs: {LOGS})")
            time.sleep(0.25)

    def _database(self) -> None:
        import psycopg

        parts = urlsplit(self.database_url)
        name = parts.path.lstrip("/")
        if not parts.scheme.startswith("postgres") or not name:
            raise ClusterError("DATABASE_URL must name a PostgreSQL database (postgres://...)")
        server = self.database_url.rsplit("/", 1)[0] + "/postgres"
        if not re.fullmatch(r"[A-Za-z0-9_]+", name):
            raise ClusterError(f"database name {name!r}: letters, digits and _ only")
        try:
            with psycopg.connect(server, autocommit=True, connect_timeout=5) as conn:
                self.say(f"making database {name} afresh")
                conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
                conn.execute(f'CREATE DATABASE "{name}"')
        except psycopg.Error as exc:
            raise ClusterError(f"primary database: {exc}") from exc

    def _redis(self) -> None:
        import redis

        try:
            redis.Redis.from_url(self.cache_url, socket_connect_timeout=2).flushdb()
        except (redis.RedisError, OSError) as exc:
            raise ClusterError(f"Redis ({self.cache_url}): {exc}") from exc

    def _queue(self) -> None:
        """Tasks left in our queue by an earlier run point at rows that are gone."""
        from kombu import Connection

        try:
            with Connection(self.broker_url, connect_timeout=3) as conn:
                conn.default_channel.queue_purge(self.queue)
        except Exception as exc:  # noqa: BLE001 - no queue yet, or no broker (said below)
            if not _listening(urlsplit(self.broker_url).port or 5672):
                raise ClusterError(f"task broker ({self.broker_url}): {exc}") from exc

    def _s3(self) -> None:
        service = self._spawn(
            "s3", [PYTHON, "-m", "moto.server", "-H", "127.0.0.1", "-p", str(self.ports.s3)]
        )
        self._wait_port(service, self.ports.s3, timeout=30)
        import boto3

        client = boto3.client(
            "s3",
            endpoint_url=self.s3_url,
            region_name=S3_REGION,
            aws_access_key_id=S3_KEYS["AWS_ACCESS_KEY_ID"],
            aws_secret_access_key=S3_KEYS["AWS_SECRET_ACCESS_KEY"],
        )
        client.create_bucket(Bucket=BUCKET)
        # As in production (docs/deploy.md): anyone may read the objects, only we may write.
        policy = {
            "Version": "2012-10-17",
            "Statement": [
                {
                    "Effect": "Allow",
                    "Principal": "*",
                    "Action": "s3:GetObject",
                    "Resource": f"arn:aws:s3:::{BUCKET}/*",
                }
            ],
        }
        client.put_bucket_policy(Bucket=BUCKET, Policy=json.dumps(policy))

    def _prepare_app(self) -> None:
        try:
            self.say("migrating the primary database")
            # No replica and no edge yet: the primary only. The demo's tasks (image
            # renditions, search documents) run inline, so that the worker does not start
            # with a backlog in front of the first readers' tasks.
            env = {
                **self.env(),
                "DATABASE_REPLICA_URL": "",
                "EDGE_PURGE_BACKEND": "none",
                "CELERY_TASK_ALWAYS_EAGER": "True",
            }
            env_args = {"env": env}
            for args in (["migrate", "--noinput"], ["collectstatic", "--noinput", "-v", "0"]):
                subprocess.run(
                    [PYTHON, "manage.py", *args],
                    cwd=ROOT,
                    check=True,
                    capture_output=True,
                    text=True,
                    timeout=600,
                    **env_args,
                )
            if self.load_demo:
                self.say("loading the demo content")
                subprocess.run(
                    [PYTHON, "manage.py", "load_demo"],
                    cwd=ROOT,
                    check=True,
                    capture_output=True,
                    text=True,
                    timeout=600,
                    **env_args,
                )
        except subprocess.CalledProcessError as exc:
            raise ClusterError(f"manage.py {' '.join(exc.cmd[2:])}: {exc.stderr[-3000:]}") from exc

    def primary_settings(self) -> dict:
        parts = urlsplit(self.database_url)
        return {
            "ENGINE": "django.db.backends.postgresql",
            "HOST": parts.hostname or "127.0.0.1",
            "PORT": str(parts.port or 5432),
            "USER": parts.username or "postgres",
            "NAME": parts.path.lstrip("/"),
        }

    def _replica(self) -> None:
        self.say(f"copying the primary into a streaming replica on port {self.ports.replica}")
        try:
            self.replica = start_replica(self.primary_settings(), port=self.ports.replica)
        except (ReplicaUnavailable, subprocess.SubprocessError) as exc:
            raise ClusterError(f"replica: {exc}") from exc
        self.services.append(Service("replica", stop_hook=self.replica.remove))

    def _node(self, name: str, port: int) -> None:
        env = {**self.env(node=name), "GUNICORN_BIND": f"127.0.0.1:{port}"}
        service = self._spawn(
            f"node-{name}",
            [str(BIN / "gunicorn"), "--config", "gunicorn.conf.py", "levant24.wsgi"],
            env=env,
        )
        self.nodes[name] = service

    def _worker(self) -> None:
        self._spawn(
            "worker",
            [
                str(BIN / "celery"),
                "-A",
                "levant24",
                "worker",
                "--beat",
                f"--schedule={self.work / 'celerybeat-schedule'}",
                "--concurrency=1",
                "-Q",
                self.queue,
                "-n",
                f"{self.queue}@%h",
                "--loglevel=INFO",
            ],
        )

    def _varnish(self) -> None:
        vcl = self.work / "cluster.vcl"
        vcl.write_text(cluster_vcl(list(self.ports.nodes), probe_interval=self.probe_interval))
        service = self._spawn(
            "varnish",
            [
                VARNISHD,
                "-F",
                "-n",
                str(self.work / "varnish"),
                "-a",
                f"127.0.0.1:{self.ports.edge}",
                "-f",
                str(vcl),
                "-s",
                "malloc,128m",
            ],
        )
        self._wait_port(service, self.ports.edge, timeout=60)

    # --- For the tests --------------------------------------------------------------------

    def stop_node(self, name: str) -> None:
        self.nodes[name].stop()

    def summary(self) -> str:
        lines = [f"edge      {self.edge_url}/  (Varnish, round robin over the nodes)"]
        lines += [
            f"node {name}    {url}/  (gunicorn, {self.gunicorn_workers} workers)"
            for name, url in zip(self.nodes, self.node_urls, strict=True)
        ]
        lines += [
            f"primary   {self.database_url}",
            f"replica   {self.replica_url}  (streaming, port {self.ports.replica})",
            f"s3        {self.s3_url}/{BUCKET}/  (moto)",
            f"cache     {self.cache_url}  (cache, sessions, rate limits)",
            f"tasks     {self.broker_url} queue {self.queue}  (Celery worker + beat)",
            f"logs      {LOGS}/",
        ]
        return "\n".join(lines)


def from_env(**overrides) -> Cluster:
    kwargs = {
        "ports": Ports.from_env(),
        "database_url": os.environ.get("CLUSTER_DATABASE_URL")
        or "postgres://postgres@127.0.0.1:5432/levant24_cluster",
        "cache_url": os.environ.get("CLUSTER_CACHE_URL") or "redis://127.0.0.1:6379/2",
        "broker_url": os.environ.get("CELERY_BROKER_URL") or "amqp://guest:guest@127.0.0.1:5672//",
        "queue": os.environ.get("CLUSTER_QUEUE", ""),
        "probe_interval": os.environ.get("CLUSTER_PROBE_INTERVAL") or "2s",
        "gunicorn_workers": _env_int("CLUSTER_WORKERS", 2),
    }
    kwargs.update(overrides)
    return Cluster(**kwargs)


def main() -> int:
    cluster = from_env()

    def terminate(signum, frame):
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, terminate)
    # Also when started with SIGINT ignored (a background job of a shell script).
    signal.signal(signal.SIGINT, terminate)
    try:
        cluster.start()
        print("\n" + cluster.summary() + "\n\nCtrl-C stops everything.", flush=True)
        while True:
            for service in cluster.services:
                if service.process is not None and service.process.poll() is not None:
                    print(f"cluster: {service.name} exited (log: {service.log})", flush=True)
                    return 1
            time.sleep(1)
    except KeyboardInterrupt:
        return 0
    except ClusterError as exc:
        print(f"cluster: could not start: {exc}", file=sys.stderr, flush=True)
        return 1
    finally:
        cluster.say("stopping")
        signal.signal(signal.SIGINT, signal.SIG_IGN)
        signal.signal(signal.SIGTERM, signal.SIG_IGN)
        cluster.stop()
        cluster.say("stopped")


if __name__ == "__main__":
    sys.exit(main())

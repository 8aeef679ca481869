"""`make bench`: seed a large newsroom on PostgreSQL, then measure the origin and the edge.

One gunicorn (bench/settings.py: production settings plus a minimal view at /bench/minimal/,
every cache off with ``CACHE_URL=dummycache://``) and one Varnish with our VCL in front of
it. For every row: requests per second and latency from wrk, and the CPU the gunicorn
workers spent per request (utime + stime from /proc/<pid>/stat of the master's children over
the measured window, divided by the requests served). Ratios are taken within the run: CPU
per request against the minimal Django view, throughput through Varnish against a static
file through Varnish. The rows are run in passes (A B C ... A B C ...) so that a change in
the machine's load hits every row alike; the table shows the last pass.

    python bench/run.py --articles 10000 --comments 100000 --duration 8
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PY = str(ROOT / ".venv" / "bin" / "python")
GUNICORN = str(ROOT / ".venv" / "bin" / "gunicorn")
LUA = Path(__file__).resolve().parent / "report.lua"
POST_LUA = Path(__file__).resolve().parent / "post.lua"
VCL = ROOT / "deploy" / "varnish" / "default.vcl"
DEFAULT_DB = "postgres://postgres@127.0.0.1:5432/levant24_bench"
CLOCK_TICKS = os.sysconf("SC_CLK_TCK")
ORIGIN_CACHE = "dummycache://"
# A well-formed CSRF secret (32 letters and digits) for the signed-in browser's cookie.
BENCH_CSRF_SECRET = "benchCsrfSecret0123456789abcdefg"

# (row key, limit, the row it is compared with, what is compared)
TARGETS = [
    ("edge_article", 0.8, "edge_static", "rps"),
    ("full_30", 12, "minimal", "cpu"),
    ("full_300", 1.5, "full_30", "cpu"),
    ("home", 12, "minimal", "cpu"),
    ("listing", 12, "minimal", "cpu"),
    ("json_anon", 3, "minimal", "cpu"),
    ("json_signed", 3, "minimal", "cpu"),
]
OTHER_TARGETS = (
    "search p95 < 50 ms; comment POST p99 < 100 ms at 16 writers; no errors; <= 150 MB per worker"
)


@dataclass
class Row:
    key: str
    name: str
    cached: str
    path: str
    connections: int
    via: str = "origin"  # or "varnish"
    headers: dict = field(default_factory=dict)
    lua: Path = LUA
    env: dict = field(default_factory=dict)
    method: str = "GET"
    body: str = ""
    note: str = ""
    last_pass_only: bool = False
    # What the probe before the load must answer (304: a conditional request that matches).
    expect: int = 200
    queries: str = ""
    results: list = field(default_factory=list)  # one dict per pass

    @property
    def result(self) -> dict:
        return self.results[-1] if self.results else {}


def log(message: str) -> None:
    print(f"[bench] {message}", flush=True)


def ensure_wrk() -> str:
    found = shutil.which("wrk")
    if found:
        return found
    log("wrk not found: installing it from the OS packages (apt-get install wrk)")
    if os.geteuid() != 0 or not shutil.which("apt-get"):
        sys.exit("wrk is missing and cannot be installed here: install the 'wrk' package.")
    subprocess.run(
        ["apt-get", "install", "-y", "-qq", "--no-install-recommends", "wrk"],
        check=True,
        stdout=subprocess.DEVNULL,
    )
    return shutil.which("wrk") or sys.exit("wrk still missing after apt-get install")


def ensure_varnish() -> str:
    found = shutil.which("varnishd") or (
        "/usr/sbin/varnishd" if os.path.exists("/usr/sbin/varnishd") else None
    )
    if not found:
        log("varnishd not found: make varnish-deps")
        subprocess.run(["make", "--no-print-directory", "varnish-deps"], cwd=ROOT, check=False)
        found = shutil.which("varnishd") or (
            "/usr/sbin/varnishd" if os.path.exists("/usr/sbin/varnishd") else None
        )
    return found or sys.exit("varnishd is missing and could not be installed (make varnish-deps)")


def recreate_database(url: str, *, must_contain: str = "bench") -> None:
    """Drop and create the database of ``url``; only a throw-away name is accepted."""
    import psycopg

    parsed = urllib.parse.urlparse(url)
    name = parsed.path.lstrip("/")
    if not re.fullmatch(r"[a-z0-9_]+", name) or must_contain not in name:
        sys.exit(f"refusing to recreate {name!r}: the database name must contain {must_contain!r}")
    admin_url = parsed._replace(path="/postgres").geturl()
    with psycopg.connect(admin_url, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(
            f"CREATE DATABASE \"{name}\" ENCODING 'UTF8' TEMPLATE template0 "
            "LC_COLLATE 'C.UTF-8' LC_CTYPE 'C.UTF-8'"
        )


def django_env(args, extra: dict | None = None) -> dict:
    env = dict(os.environ)
    env.update(
        {
            "DJANGO_SETTINGS_MODULE": "bench.settings",
            "DATABASE_URL": args.database_url,
            "SECRET_KEY": env.get("SECRET_KEY")
            or "bench-only-6f1e9c2a7b4d8e3f0a5c1b9d2e7f4a6c8b3d0e5f",
            "ALLOWED_HOSTS": "127.0.0.1,localhost",
            "SECURE_SSL_REDIRECT": "False",
            "SECURE_COOKIES": "False",
            "QUERY_COUNT_HEADER": "True",
            "LOG_LEVEL": "WARNING",
            # Every cache of the app off: the origin rows are true full renders.
            "CACHE_URL": args.cache_url,
            # Uploads are not part of any row; whitenoise serves the static files.
            "SERVE_MEDIA": "False",
            # All writers post from 127.0.0.1: the per-address flood interval would refuse
            # nearly every comment. The hourly limit is turned off in the seeded settings.
            "COMMENTS_FLOOD_SECONDS": "0",
            # One machine: limits counted per worker are what is measured here.
            "ALLOW_PER_PROCESS_CACHE": "True",
        }
    )
    env.update(extra or {})
    return env


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None  # the 302 itself is the answer we measure


_opener = urllib.request.build_opener(_NoRedirect)


def fetch(url: str, *, headers=None, data: bytes | None = None):
    request = urllib.request.Request(url, headers=headers or {}, data=data)
    try:
        with _opener.open(request, timeout=30) as response:
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as exc:
        return exc.code, dict(exc.headers), exc.read()


def quoted(path: str) -> str:
    return urllib.parse.quote(path, safe="/?=&%")


def cpu_ticks(pid: int) -> int:
    """utime + stime of one process, in clock ticks (0 once it is gone)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0
    return int(fields[11]) + int(fields[12])


def children(parent: int) -> list[int]:
    pids = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        if int(stat.rsplit(")", 1)[1].split()[1]) == parent:
            pids.append(int(entry.name))
    return pids


def rss_mb(pid: int) -> float:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return 0.0


class Server:
    """gunicorn (gunicorn.conf.py, bench/settings.py) in its own process group."""

    def __init__(self, args):
        self.args = args
        self.pidfile = Path(tempfile.gettempdir()) / f"levant24-bench-{args.port}.pid"
        self.pidfile.unlink(missing_ok=True)
        env = django_env(
            args,
            {
                "GUNICORN_BIND": f"127.0.0.1:{args.port}",
                "GUNICORN_LOG_LEVEL": "warning",
            },
        )
        if args.workers:
            env["GUNICORN_WORKERS"] = str(args.workers)
        subprocess.run(
            [PY, "manage.py", "collectstatic", "--noinput", "-v", "0"],
            cwd=ROOT,
            env=env,
            check=True,
        )
        self.log = open(Path(tempfile.gettempdir()) / f"levant24-bench-{args.port}.log", "w")  # noqa: SIM115
        # The access log (one line per request, written by the workers as in production, on
        # stdout) counts the requests the workers served; errors go to the other file.
        self.access_path = Path(tempfile.gettempdir()) / f"levant24-bench-{args.port}-access.log"
        self.access = open(self.access_path, "wb")  # noqa: SIM115
        self.process = subprocess.Popen(
            [
                GUNICORN,
                "--config",
                "gunicorn.conf.py",
                "--pid",
                str(self.pidfile),
                "levant24.wsgi",
            ],
            cwd=ROOT,
            env=env,
            stdout=self.access,
            stderr=self.log,
            start_new_session=True,
        )
        self.base = f"http://127.0.0.1:{args.port}"
        self._peak = 0.0
        self._sampling = False

    def wait_ready(self, timeout=180):
        deadline = time.time() + timeout
        while time.time() < deadline:
            if self.process.poll() is not None:
                sys.exit(f"gunicorn exited early; see {self.log.name}")
            try:
                if fetch(self.base + "/healthz")[0] == 200:
                    return
            except OSError:
                pass
            time.sleep(0.5)
        sys.exit(f"gunicorn not ready after {timeout}s; see {self.log.name}")

    def served(self) -> int:
        """Requests the workers have logged so far, health checks (Varnish's probe) apart."""
        with open(self.access_path, "rb") as log:
            return sum(1 for line in log if b'path="/healthz"' not in line)

    def worker_ticks(self) -> int:
        return sum(cpu_ticks(pid) for pid in self.worker_pids())

    def quiesce(self, timeout: float = 60) -> None:
        """Wait until the workers are idle: no request of an earlier load (wrk leaves its
        connections' requests behind when it stops) is counted in the next window."""
        deadline = time.time() + timeout
        last = self.worker_ticks()
        while time.time() < deadline:
            time.sleep(0.3)
            now = self.worker_ticks()
            if now == last:
                return
            last = now

    def master_pid(self) -> int:
        return int(self.pidfile.read_text().strip())

    def worker_pids(self) -> list[int]:
        return children(self.master_pid())

    def _sample(self):
        while self._sampling:
            for pid in self.worker_pids():
                self._peak = max(self._peak, rss_mb(pid))
            time.sleep(0.5)

    def start_sampling(self):
        self._peak = 0.0
        self._sampling = True
        self._thread = threading.Thread(target=self._sample, daemon=True)
        self._thread.start()

    def stop_sampling(self) -> float:
        self._sampling = False
        self._thread.join()
        return self._peak

    def stop(self):
        with contextlib.suppress(OSError, ValueError):
            os.kill(self.master_pid(), signal.SIGTERM)
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, signal.SIGKILL)
        self.log.close()
        self.access.close()


class Varnish:
    """varnishd in the foreground with our VCL, its backend port pointed at the bench's
    gunicorn (as tests/edge/conftest.py and deploy/varnish/edge.sh do)."""

    def __init__(self, varnishd: str, backend_port: int, port: int):
        self.folder = Path(tempfile.mkdtemp(prefix="levant24-bench-varnish-"))
        self.folder.chmod(0o755)  # varnishd reads the VCL as its own, unprivileged user
        vcl = self.folder / "default.vcl"
        vcl.write_text(VCL.read_text().replace('.port = "8000";', f'.port = "{backend_port}";'))
        self.workdir = self.folder / "work"
        self.log = open(self.folder / "varnishd.log", "w")  # noqa: SIM115
        self.process = subprocess.Popen(
            [
                varnishd,
                "-F",
                "-n",
                str(self.workdir),
                "-a",
                f"127.0.0.1:{port}",
                "-f",
                str(vcl),
                "-s",
                "malloc,256m",
            ],
            stdout=self.log,
            stderr=subprocess.STDOUT,
        )
        self.base = f"http://127.0.0.1:{port}"

    def wait_ready(self, path: str, timeout=120):
        deadline = time.time() + timeout
        while time.time() < deadline:
            if self.process.poll() is not None:
                self.log.flush()
                sys.exit(f"varnishd exited: {(self.folder / 'varnishd.log').read_text()[-2000:]}")
            try:
                if fetch(self.base + path)[0] == 200:  # 503 while its backend probe warms up
                    return
            except OSError:
                pass
            time.sleep(0.3)
        sys.exit(f"varnishd not serving after {timeout}s")

    def pids(self) -> list[int]:
        """The manager and its cache process (and anything else it started)."""
        found, todo = [], [self.process.pid]
        while todo:
            pid = todo.pop()
            found.append(pid)
            todo += children(pid)
        return found

    def counters(self) -> dict:
        out = subprocess.run(
            ["varnishstat", "-n", str(self.workdir), "-1", "-j"],
            capture_output=True,
            text=True,
            check=False,
        )
        try:
            data = json.loads(out.stdout)
        except ValueError:
            return {}
        data = data.get("counters", data)
        return {
            name: data[f"MAIN.{name}"]["value"]
            for name in ("cache_hit", "cache_miss", "cache_hitpass", "cache_hitmiss", "s_pass")
            if f"MAIN.{name}" in data
        }

    def stop(self):
        self.process.terminate()
        try:
            self.process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            self.process.kill()
        self.log.close()
        shutil.rmtree(self.folder, ignore_errors=True)


def run_wrk(wrk, server, varnish, row: Row, duration: int, *, measure: bool = True) -> dict:
    base = varnish.base if row.via == "varnish" else server.base
    cmd = [wrk, "-t", str(min(2, row.connections)), "-c", str(row.connections)]
    cmd += ["-d", f"{duration}s", "--timeout", "10s", "--latency", "-s", str(row.lua)]
    for name, value in row.headers.items():
        cmd += ["-H", f"{name}: {value}"]
    cmd.append(base + quoted(row.path))
    env = dict(os.environ, **row.env)
    if not measure:
        subprocess.run(cmd, capture_output=True, env=env, check=False)
        return {}
    # The window opens and closes on idle workers, so that the CPU measured and the
    # requests counted (from the access log) are the same requests.
    server.quiesce()
    edge = varnish.pids()
    counters_before = varnish.counters() if row.via == "varnish" else {}
    served_before = server.served()
    worker_before = {pid: cpu_ticks(pid) for pid in server.worker_pids()}
    edge_before = {pid: cpu_ticks(pid) for pid in edge}
    server.start_sampling()
    out = subprocess.run(cmd, capture_output=True, text=True, env=env, check=False)
    peak = server.stop_sampling()
    edge_after = {pid: cpu_ticks(pid) for pid in edge}
    server.quiesce()
    worker_after = {pid: cpu_ticks(pid) for pid in server.worker_pids()}
    served = server.served() - served_before
    text = out.stdout + out.stderr
    stats = {}
    match = re.search(r"^BENCH (.*)$", text, re.M)
    if match:
        stats = json.loads(match.group(1))
    else:
        stats["raw"] = text[-800:]
    non2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", text)
    stats["non2xx"] = int(non2xx.group(1)) if non2xx else 0
    stats["peak_rss_mb"] = peak
    # Through Varnish the workers see only misses: their CPU is divided by wrk's requests.
    requests = served if row.via == "origin" else stats.get("requests") or 0
    stats["origin_requests"] = served
    worker_ms = (
        sum(t - worker_before.get(pid, 0) for pid, t in worker_after.items()) * 1000 / CLOCK_TICKS
    )
    edge_ms = sum(edge_after[pid] - edge_before[pid] for pid in edge) * 1000 / CLOCK_TICKS
    stats["cpu_ms"] = worker_ms / requests if requests else None
    stats["edge_cpu_ms"] = edge_ms / requests if requests else None
    stats["workers"] = len(worker_after)
    if row.via == "varnish":
        after = varnish.counters()
        delta = {k: after.get(k, 0) - counters_before.get(k, 0) for k in after}
        lookups = sum(delta.values())
        stats["hit_ratio"] = delta.get("cache_hit", 0) / lookups if lookups else None
    return stats


def xcache_sample(varnish, row: Row, n: int = 20) -> str:
    seen = {}
    for _ in range(n):
        _, headers, _ = fetch(varnish.base + quoted(row.path), headers=row.headers)
        value = headers.get("X-Cache", "none")
        seen[value] = seen.get(value, 0) + 1
    return ", ".join(f"{value} {count}/{n}" for value, count in sorted(seen.items()))


def probe(server, varnish, row: Row) -> None:
    """One request before the load: it must answer as the row expects; SQL count noted."""
    base = varnish.base if row.via == "varnish" else server.base
    body = row.body.replace("BENCH_SERIAL", f"probe-{time.time_ns()}")
    data = body.encode() if row.method == "POST" else None
    status, headers, content = fetch(base + quoted(row.path), headers=row.headers, data=data)
    expected = {302} if row.method == "POST" else {row.expect}
    if status not in expected:
        row.note = f"skipped: the probe answered {status}"
        return
    row.queries = headers.get("X-Query-Count", "?") if row.via == "origin" else ""


def seed_database(args) -> dict:
    env = django_env(args)
    log(f"recreating {urllib.parse.urlparse(args.database_url).path.lstrip('/')}")
    recreate_database(args.database_url)
    subprocess.run(
        [PY, "manage.py", "migrate", "--noinput", "-v", "0"], cwd=ROOT, env=env, check=True
    )
    log(f"seeding {args.articles} articles, {args.comments} comments")
    started = time.time()
    out = subprocess.run(
        [
            PY,
            "bench/seed.py",
            "--articles",
            str(args.articles),
            "--comments",
            str(args.comments),
            "--hot-comments",
            str(args.hot_comments),
            "--search-articles",
            str(args.search_articles),
            "--thread-sizes",
            "30",
            "300",
        ],
        cwd=ROOT,
        env=env,
        check=True,
        stdout=subprocess.PIPE,
        text=True,
    )
    seeded = json.loads(out.stdout.strip().splitlines()[-1])
    subprocess.run(
        [
            PY,
            "manage.py",
            "shell",
            "-v",
            "0",
            "-c",
            "from django.db import connection; connection.cursor().execute('ANALYZE')",
        ],
        cwd=ROOT,
        env=env,
        check=True,
    )
    Path(tempfile.gettempdir(), "levant24-bench-seed.json").write_text(json.dumps(seeded))
    log(
        f"seeded and analysed in {time.time() - started:.1f}s: {seeded['articles']} articles, "
        f"{seeded['comments_seeded']} comments"
    )
    return seeded


def build_rows(args, server, seeded, static_path) -> list[Row]:
    c = args.connections
    a30 = seeded["threads"]["30"]
    a300 = seeded["threads"]["300"]
    # A signed-in browser has the CSRF cookie too (its sign-in form needed it): the
    # endpoint renews the token's mask, not the secret.
    session = {"Cookie": f"sessionid={seeded['reader_session']}; csrftoken={BENCH_CSRF_SECRET}"}
    origin = f"nothing: straight to gunicorn, CACHE_URL={args.cache_url}, no Varnish"
    rows = [
        Row(
            "minimal",
            "minimal Django view /bench/minimal/ (baseline)",
            "nothing to cache: a 2-byte HttpResponse through the full middleware stack",
            "/bench/minimal/",
            c,
        ),
        Row(
            "edge_static",
            "static file through Varnish (site.css)",
            "Varnish HIT: the file is kept by Varnish, gunicorn is not asked",
            static_path,
            c,
            via="varnish",
        ),
        Row(
            "edge_article",
            "article (30 comments) through Varnish",
            "Varnish HIT: the whole page is kept by Varnish, gunicorn is not asked",
            a30["url"],
            c,
            via="varnish",
        ),
        Row(
            "full_30",
            "article, 30 approved comments, full render",
            origin + "; each comment's HTML stored at approval (a column, not a cache)",
            a30["url"],
            c,
        ),
        Row(
            "full_300",
            "article, 300 approved comments, full render",
            origin + "; each comment's HTML stored at approval; 50 threads a page",
            a300["url"],
            c,
        ),
        Row("home", "home, full render", origin, "/", c),
        Row("listing", "listing: news, page 1, full render", origin, "/kind/أخبار/", c),
        Row(
            "json_anon",
            "reader JSON /comments/reader/, anonymous, no cookie",
            origin + "; never cacheable (private, no-store)",
            f"/comments/reader/?article={a30['id']}",
            c,
        ),
        Row(
            "json_signed",
            "reader JSON /comments/reader/, signed in (session and CSRF cookies)",
            origin + "; session and user read from PostgreSQL",
            f"/comments/reader/?article={a30['id']}",
            c,
            headers=session,
        ),
        Row(
            "search",
            f"search, {args.search_connections} connection(s) (latency)",
            origin,
            "/search/?q=دمشق",
            args.search_connections,
        ),
    ]
    rows.append(live_row(args, server, seeded))
    rows += comment_rows(args, server, seeded)
    if args.only:
        words = args.only.split(",")
        rows = [
            r for r in rows if r.key in ("minimal", "edge_static") or any(w in r.key for w in words)
        ]
    return rows


def live_row(args, server, seeded) -> Row:
    """Readers of a live coverage poll its live.json with the ETag of what they have: the
    edge answers 304 from the object it keeps, without asking gunicorn."""
    live = seeded.get("live")
    row = Row(
        "edge_live",
        f"live endpoint, {args.live_connections:,} polling readers (If-None-Match) through Varnish",
        "Varnish HIT: live.json is kept by Varnish, which answers the matching ETag with a 304 "
        "(no body); gunicorn is not asked",
        f"/article/{live['id']}/live.json" if live else "/",
        args.live_connections,
        via="varnish",
        expect=304,
    )
    if not live:
        row.note = "skipped: the seed has no live coverage (seed again without --reuse)"
        return row
    status, headers, _body = fetch(server.base + row.path)
    if status != 200 or not headers.get("ETag"):
        row.note = f"skipped: live.json answered {status} without an ETag"
        return row
    row.headers = {"If-None-Match": headers["ETag"]}
    return row


def raise_open_files(wanted: int) -> int:
    """wrk and Varnish hold one descriptor per connection (and the 1,000-reader row opens
    1,000): lift the soft limit towards the hard one for this process and its children."""
    import resource

    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if soft != resource.RLIM_INFINITY and soft < wanted:
        target = wanted if hard == resource.RLIM_INFINITY else min(wanted, hard)
        resource.setrlimit(resource.RLIMIT_NOFILE, (target, hard))
        soft = target
    return soft


def comment_rows(args, server, seeded) -> list[Row]:
    """Comment submission to the hot article with a CSRF token from the reader endpoint
    (the shared pages carry none), as the page's script gets it."""
    post_path = f"/comments/post/{seeded['hot_article_id']}/"
    name = f"comment POST ({args.writers} writers, back to back)"
    row = Row(
        "post", name, "nothing (a write)", post_path, args.writers, method="POST", lua=POST_LUA
    )
    row.last_pass_only = True
    status, headers, body = fetch(
        server.base + f"/comments/reader/?article={seeded['hot_article_id']}"
    )
    cookie = re.search(r"csrftoken=([A-Za-z0-9]+)", headers.get("Set-Cookie", ""))
    try:
        token = json.loads(body)["csrf_token"]
    except (ValueError, KeyError):
        token = None
    if status != 200 or not (cookie and token):
        row.note = "skipped: no CSRF token from /comments/reader/"
        return [row]
    fields = {
        "csrfmiddlewaretoken": token,
        "text": "تعليق من اختبار الأداء على هذا المقال BENCH_SERIAL",
        "name": "قارئ الأداء",
        # Each comment comes from a different reader, as on a busy article.
        "email": "reader-BENCH_SERIAL@bench.example",
        "website": "",
        "parent": "",
        "homepage": "",
    }
    row.body = urllib.parse.urlencode(fields)
    row.headers = {
        "Cookie": f"csrftoken={cookie.group(1)}",
        "Content-Type": "application/x-www-form-urlencoded",
    }
    row.env = {"BENCH_BODY": row.body}
    rows = [row]
    if args.writer_pause_ms:
        paced = Row(
            "post_paced",
            f"comment POST ({args.writers} writers, one comment per writer every "
            f"{args.writer_pause_ms} ms)",
            "nothing (a write)",
            post_path,
            args.writers,
            method="POST",
            lua=POST_LUA,
            headers=row.headers,
            body=row.body,
            env=dict(row.env, BENCH_PAUSE_MS=str(args.writer_pause_ms)),
            last_pass_only=True,
        )
        rows.append(paced)
    return rows


def profile_article(args, seeded) -> str:
    log("profiling a full render of the 30-comment article in-process (cProfile)")
    out = subprocess.run(
        [PY, "bench/profile_render.py", seeded["threads"]["30"]["url"], "--top", str(args.top)],
        cwd=ROOT,
        env=django_env(args),
        capture_output=True,
        text=True,
        check=False,
    )
    return (out.stdout + out.stderr).rstrip()


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--articles", type=int, default=10_000)
    parser.add_argument("--comments", type=int, default=100_000)
    parser.add_argument("--hot-comments", type=int, default=100)
    parser.add_argument(
        "--search-articles",
        type=int,
        default=100_000,
        help="total articles in the database (an older archive beyond --articles) for search",
    )
    parser.add_argument("--duration", type=int, default=8, help="seconds per row and pass")
    parser.add_argument("--warmup", type=int, default=2, help="seconds of warm-up per row")
    parser.add_argument("--passes", type=int, default=2, help="times the row list is run")
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--writers", type=int, default=16)
    parser.add_argument(
        "--live-connections",
        type=int,
        default=1000,
        help="connections of the live-polling row (readers of a live coverage)",
    )
    parser.add_argument(
        "--writer-pause-ms",
        type=int,
        default=0,
        help="also run the writers at this pace (each waits between comments; 0: skip)",
    )
    parser.add_argument(
        "--search-connections", type=int, default=1, help="connections for the search latency"
    )
    parser.add_argument(
        "--only", default="", help="comma-separated words: run only rows whose key has one"
    )
    parser.add_argument("--workers", type=int, default=0, help="gunicorn workers (default: config)")
    parser.add_argument("--port", type=int, default=int(os.environ.get("BENCH_PORT", 8099)))
    parser.add_argument(
        "--varnish-port", type=int, default=0, help="Varnish's port (default: --port + 1)"
    )
    parser.add_argument("--database-url", default=os.environ.get("BENCH_DATABASE_URL", DEFAULT_DB))
    parser.add_argument(
        "--cache-url",
        default=os.environ.get("BENCH_CACHE_URL", ORIGIN_CACHE),
        help="the origin's CACHE_URL (default: dummycache://, every cache off)",
    )
    parser.add_argument("--top", type=int, default=25, help="cProfile entries printed")
    parser.add_argument("--no-profile", action="store_true", help="skip the cProfile run")
    parser.add_argument("--reuse", action="store_true", help="keep an already seeded database")
    parser.add_argument("--seed-only", action="store_true", help="seed the database, then stop")
    args = parser.parse_args()
    args.varnish_port = args.varnish_port or args.port + 1
    open_files = raise_open_files(args.live_connections * 2 + 1024)
    if open_files < args.live_connections + 256:
        args.live_connections = max(16, open_files - 256)
        log(f"open files limited to {open_files}: the live row uses {args.live_connections}")

    args.load_before = " ".join(Path("/proc/loadavg").read_text().split()[:3])
    args.started = time.time()
    wrk = ensure_wrk()
    varnishd = ensure_varnish()
    if args.reuse:
        seeded = json.loads(Path(tempfile.gettempdir(), "levant24-bench-seed.json").read_text())
    else:
        seeded = seed_database(args)
        if args.seed_only:
            return
    for size, info in seeded["threads"].items():
        url = urllib.parse.unquote(info["url"])
        log(f"article with {size} approved comments: {url} (id {info['id']})")

    server = Server(args)
    varnish = None
    try:
        log("starting gunicorn (bench.settings)")
        server.wait_ready()
        log(f"gunicorn up on {server.base} ({len(server.worker_pids())} workers)")
        _, _, home = fetch(server.base + "/")
        static_match = re.search(rb"/static/css/site\.[0-9a-f]+\.css", home)
        static_path = static_match.group().decode() if static_match else "/static/css/site.css"
        varnish = Varnish(varnishd, args.port, args.varnish_port)
        varnish.wait_ready(static_path)
        log(f"varnish up on {varnish.base}")
        rows = build_rows(args, server, seeded, static_path)
        for number in range(1, args.passes + 1):
            last = number == args.passes
            log(f"pass {number} of {args.passes}")
            for row in rows:
                if row.note:
                    if number == 1:
                        log(f"{row.name}: {row.note}")
                    continue
                if row.last_pass_only and not last:
                    continue
                # Warm-up: every worker has opened its database connection and run the code
                # path, Varnish holds the page; the steady state is measured.
                run_wrk(wrk, server, varnish, row, args.warmup, measure=False)
                if not row.results:
                    # After the warm-up: a worker's first request also runs the queries of
                    # opening its database connection.
                    probe(server, varnish, row)
                    if row.note:
                        log(f"{row.name}: {row.note}")
                        continue
                log(f"running {row.name} for {args.duration}s")
                result = run_wrk(wrk, server, varnish, row, args.duration)
                if row.via == "varnish":
                    result["xcache"] = xcache_sample(varnish, row)
                if "raw" in result:
                    log(f"wrk output for {row.name}:\n{result['raw']}")
                row.results.append(result)
        args.worker_count = len(server.worker_pids())
    finally:
        if varnish is not None:
            varnish.stop()
        server.stop()
    profile = "" if args.no_profile else profile_article(args, seeded)
    print_table(args, seeded, rows, profile)


def _fmt(value, spec=".2f", empty=""):
    return empty if value is None else format(value, spec)


def print_table(args, seeded, rows, profile) -> None:
    by_key = {r.key: r for r in rows}

    def res(key):
        row = by_key.get(key)
        return row.result if row and not row.note else {}

    minimal_cpu = res("minimal").get("cpu_ms")
    static_rps = res("edge_static").get("rps")
    lines = [
        f"Levant24 benchmark: {seeded['articles']} articles, {seeded['comments_seeded']} "
        f"comments; {args.passes} passes over the rows (the table shows the last), "
        f"{args.duration}s per row and pass after {args.warmup}s of warm-up, "
        f"{args.connections} connections (comment POST: {args.writers}), wrk -t2 on 127.0.0.1; "
        f"gunicorn: {getattr(args, 'worker_count', '?')} sync workers, bench.settings "
        f"(production settings, CACHE_URL={args.cache_url}); Varnish 256 MB with "
        f"deploy/varnish/default.vcl; {os.cpu_count()} CPUs; load average before the run "
        f"{args.load_before}, after it {' '.join(Path('/proc/loadavg').read_text().split()[:3])}; "
        f"{(time.time() - args.started) / 60:.1f} minutes in all",
        f"command: bench/run.py {' '.join(sys.argv[1:])}",
        "",
        "| row | what was cached | req/s | p50 ms | p95 ms | p99 ms | CPU ms/req "
        "| CPU ms/req, pass 1 | x minimal CPU | x static-through-Varnish req/s "
        "| Varnish CPU ms/req | hit ratio | SQL/req | errors | peak RSS/worker MB |",
        "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|---:|---:|---:|",
    ]
    for row in rows:
        r = row.result
        if row.note or "rps" not in r:
            lines.append(f"| {row.name} | {row.cached} | {row.note or 'no result'} |" + " |" * 12)
            continue
        cpu = r.get("cpu_ms")
        first = row.results[0].get("cpu_ms") if len(row.results) > 1 else None
        x_min = cpu / minimal_cpu if cpu is not None and minimal_cpu else None
        x_static = r["rps"] / static_rps if row.via == "varnish" and static_rps else None
        edge_cpu = r.get("edge_cpu_ms") if row.via == "varnish" else None
        hit = ""
        if row.via == "varnish":
            ratio = r.get("hit_ratio")
            hit = (
                f"{_fmt(ratio, '.4f', '?')} (X-Cache sample: {r.get('xcache', '?')}; "
                f"gunicorn served {r.get('origin_requests', '?')} of {r.get('requests', '?')})"
            )
        if "refused" in r:
            errors = f"{r['failed'] + r.get('errors', 0)} (refused {r['refused']})"
        else:
            errors = str(r["non2xx"] + r.get("errors", 0))
        lines.append(
            f"| {row.name} | {row.cached} | {r['rps']:.0f} | {r['p50']:.1f} | {r['p95']:.1f} | "
            f"{r['p99']:.1f} | {_fmt(cpu, '.3f')} | {_fmt(first, '.3f')} | {_fmt(x_min, '.1f')} | "
            f"{_fmt(x_static)} | {_fmt(edge_cpu, '.3f')} | {hit} | {row.queries} | {errors} | "
            f"{r['peak_rss_mb']:.0f} |"
        )
    lines += ["", "Targets (ratios within this run, last pass):"]
    for key, limit, against, what in TARGETS:
        mine, theirs = res(key), res(against)
        metric = "cpu_ms" if what == "cpu" else "rps"
        a, b = mine.get(metric), theirs.get(metric)
        if a is None or not b:
            lines.append(f"- {key} vs {against}: no result")
            continue
        ratio = a / b
        ok = ratio >= limit if what == "rps" else ratio <= limit
        sign = ">=" if what == "rps" else "<="
        unit = "req/s" if what == "rps" else "CPU/request"
        lines.append(
            f"- {by_key[key].name}: {unit} {ratio:.2f} x {by_key[against].name} "
            f"(target {sign} {limit}): {'PASS' if ok else 'FAIL'}"
        )
    search = res("search")
    if search.get("p95") is not None:
        ok = search["p95"] < 50
        lines.append(
            f"- search p95 {search['p95']:.1f} ms (target < 50 ms): {'PASS' if ok else 'FAIL'}"
        )
    post = res("post")
    if post.get("p99") is not None:
        ok = post["p99"] < 100
        lines.append(
            f"- comment POST p99 {post['p99']:.1f} ms at {args.writers} writers "
            f"(target < 100 ms): {'PASS' if ok else 'FAIL'}"
        )
    lines.append(f"Other targets: {OTHER_TARGETS}.")
    if profile:
        lines += [
            "",
            "cProfile of a full render of the 30-comment article (in-process):",
            "",
            profile,
        ]
    text = "\n".join(lines)
    print()
    print(text)
    out = ROOT / "artifacts"
    out.mkdir(exist_ok=True)
    (out / "bench-latest.md").write_text(text + "\n")
    raw = {r.key: {"name": r.name, "cached": r.cached, "passes": r.results} for r in rows}
    (out / "bench-latest.json").write_text(json.dumps(raw, indent=1, ensure_ascii=False))


if __name__ == "__main__":
    main()

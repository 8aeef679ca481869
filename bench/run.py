"""`make bench`: seed a large newsroom on PostgreSQL, start `make serve`, load it with wrk.

Every figure is also printed as a ratio to a static file served by the same gunicorn and
whitenoise in the same run, because absolute numbers depend on the machine.

    python bench/run.py --articles 10000 --comments 100000 --duration 10
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
LUA = Path(__file__).resolve().parent / "report.lua"
DEFAULT_DB = "postgres://postgres@127.0.0.1:5432/levant24_bench"

TARGETS = """Targets: article uncached >= 0.12 x static; article cached >= 0.6 x static;
search p95 < 50 ms; comment POST p99 < 100 ms at 16 writers; no errors; <= 150 MB per worker."""


@dataclass
class Scenario:
    name: str
    path: str
    connections: int
    headers: dict = field(default_factory=dict)
    lua: Path = LUA
    env: dict = field(default_factory=dict)
    method: str = "GET"
    body: str = ""
    note: str = ""
    result: dict = field(default_factory=dict)


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
            "DJANGO_SETTINGS_MODULE": "levant24.settings.prod",
            "DATABASE_URL": args.database_url,
            "SECRET_KEY": env.get("SECRET_KEY")
            or "bench-only-6f1e9c2a7b4d8e3f0a5c1b9d2e7f4a6c8b3d0e5f",
            "ALLOWED_HOSTS": "127.0.0.1,localhost",
            "SECURE_SSL_REDIRECT": "False",
            "SECURE_COOKIES": "False",
            "QUERY_COUNT_HEADER": "True",
            "LOG_LEVEL": "WARNING",
            # All writers post from 127.0.0.1: the per-address flood interval would refuse
            # nearly every comment. The hourly limit is turned off in the seeded settings.
            "COMMENTS_FLOOD_SECONDS": "0",
        }
    )
    if args.cache_url:
        env["CACHE_URL"] = args.cache_url
    else:
        # One machine, limits off (above): each worker's own cache is what is measured.
        env.setdefault("ALLOW_PER_PROCESS_CACHE", "True")
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


class Server:
    """`make serve` in its own process group, with RSS sampling of its workers."""

    def __init__(self, args):
        self.args = args
        self.pidfile = Path(tempfile.gettempdir()) / f"levant24-bench-{args.port}.pid"
        self.pidfile.unlink(missing_ok=True)
        env = django_env(
            args,
            {
                "GUNICORN_BIND": f"127.0.0.1:{args.port}",
                "GUNICORN_CMD_ARGS": f"--pid {self.pidfile}",
                "GUNICORN_LOG_LEVEL": "warning",
            },
        )
        if args.workers:
            env["GUNICORN_WORKERS"] = str(args.workers)
        self.log = open(Path(tempfile.gettempdir()) / f"levant24-bench-{args.port}.log", "w")  # noqa: SIM115
        self.process = subprocess.Popen(
            ["make", "--no-print-directory", "serve"],
            cwd=ROOT,
            env=env,
            stdout=self.log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        self.base = f"http://127.0.0.1:{args.port}"
        self._peak = 0
        self._sampling = False

    def wait_ready(self, timeout=180):
        deadline = time.time() + timeout
        while time.time() < deadline:
            if self.process.poll() is not None:
                sys.exit(f"make serve exited early; see {self.log.name}")
            try:
                if fetch(self.base + "/healthz")[0] == 200:
                    return
            except OSError:
                pass
            time.sleep(0.5)
        sys.exit(f"server not ready after {timeout}s; see {self.log.name}")

    def master_pid(self) -> int:
        return int(self.pidfile.read_text().strip())

    def worker_pids(self) -> list[int]:
        master = self.master_pid()
        pids = []
        for entry in Path("/proc").iterdir():
            if not entry.name.isdigit():
                continue
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            ppid = int(stat.rsplit(")", 1)[1].split()[1])
            if ppid == master:
                pids.append(int(entry.name))
        return pids

    @staticmethod
    def rss_mb(pid: int) -> float:
        try:
            for line in Path(f"/proc/{pid}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    return int(line.split()[1]) / 1024
        except OSError:
            pass
        return 0.0

    def _sample(self):
        while self._sampling:
            for pid in self.worker_pids():
                self._peak = max(self._peak, self.rss_mb(pid))
            time.sleep(0.2)

    def start_sampling(self):
        self._peak = 0
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


def run_wrk(wrk: str, server: Server, scenario: Scenario, duration: int) -> dict:
    cmd = [
        wrk,
        "-t",
        str(min(2, scenario.connections)),
        "-c",
        str(scenario.connections),
        "-d",
        f"{duration}s",
        "--timeout",
        "10s",
        "--latency",
        "-s",
        str(scenario.lua),
    ]
    for name, value in scenario.headers.items():
        cmd += ["-H", f"{name}: {value}"]
    cmd.append(server.base + urllib.parse.quote(scenario.path, safe="/?=&%"))
    env = dict(os.environ, **scenario.env)
    server.start_sampling()
    out = subprocess.run(cmd, capture_output=True, text=True, env=env, check=False)
    peak = server.stop_sampling()
    text = out.stdout + out.stderr
    stats = {}
    match = re.search(r"^BENCH (.*)$", text, re.M)
    if match:
        stats = json.loads(match.group(1))
    non2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", text)
    socket_errors = re.search(r"Socket errors: (.*)", text)
    stats["non2xx"] = int(non2xx.group(1)) if non2xx else 0
    stats["socket_errors"] = socket_errors.group(1).strip() if socket_errors else ""
    stats["peak_rss_mb"] = peak
    if not match:
        stats["raw"] = text[-800:]
    return stats


def query_count(server: Server, scenario: Scenario) -> str:
    headers = dict(scenario.headers)
    body = scenario.body.replace("BENCH_SERIAL", f"probe-{time.time_ns()}")
    data = body.encode() if scenario.method == "POST" else None
    status, response_headers, _ = fetch(
        server.base + urllib.parse.quote(scenario.path, safe="/?=&%"), headers=headers, data=data
    )
    if status >= 400:
        log(f"{scenario.name}: the probe request answered {status}")
    return response_headers.get("X-Query-Count", "?")


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
    parser.add_argument("--duration", type=int, default=10, help="seconds per scenario")
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--writers", type=int, default=16)
    parser.add_argument(
        "--writer-pause-ms",
        type=int,
        default=1000,
        help="second comment scenario: each writer waits this long between comments (0: skip)",
    )
    parser.add_argument(
        "--search-connections", type=int, default=1, help="connections for the search latency"
    )
    parser.add_argument(
        "--only", default="", help="comma-separated words: run only scenarios named with them"
    )
    parser.add_argument("--workers", type=int, default=0, help="gunicorn workers (default: config)")
    parser.add_argument("--port", type=int, default=8099)
    parser.add_argument("--database-url", default=os.environ.get("BENCH_DATABASE_URL", DEFAULT_DB))
    parser.add_argument("--cache-url", default=os.environ.get("BENCH_CACHE_URL", ""))
    parser.add_argument("--reuse", action="store_true", help="keep an already seeded database")
    parser.add_argument("--seed-only", action="store_true", help="seed the database, then stop")
    args = parser.parse_args()

    args.load_before = " ".join(Path("/proc/loadavg").read_text().split()[:3])
    wrk = ensure_wrk()
    env = django_env(args)
    if not args.reuse:
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
            ],
            cwd=ROOT,
            env=env,
            check=True,
            stdout=subprocess.PIPE,
            text=True,
        )
        seeded = json.loads(out.stdout.strip().splitlines()[-1])
        log(
            f"seeded in {time.time() - started:.1f}s: {seeded['articles']} articles, "
            f"{seeded['comments_seeded']} comments"
        )
        subprocess.run(
            [
                PY,
                "manage.py",
                "shell",
                "-c",
                "from django.db import connection; connection.cursor().execute('ANALYZE')",
            ],
            cwd=ROOT,
            env=env,
            check=True,
        )
        Path(tempfile.gettempdir(), "levant24-bench-seed.json").write_text(json.dumps(seeded))
        log(f"seeded and analysed in {time.time() - started:.1f}s")
        if args.seed_only:
            return
    else:
        seeded = json.loads(Path(tempfile.gettempdir(), "levant24-bench-seed.json").read_text())

    server = Server(args)
    try:
        log("starting make serve (gunicorn)")
        server.wait_ready()
        log(f"gunicorn up on {server.base}")
        status, _, home = fetch(server.base + "/")
        static_match = re.search(rb"/static/css/site\.[0-9a-f]+\.css", home)
        static_path = static_match.group().decode() if static_match else "/static/css/site.css"
        article = seeded["hot_article_url"]
        session = {"Cookie": f"sessionid={seeded['reader_session']}"}

        scenarios = [
            Scenario("static file (baseline)", static_path, args.connections),
            Scenario("home (cached)", "/", args.connections),
            Scenario("listing: news (cached)", "/kind/أخبار/", args.connections),
            Scenario(
                "article, 100 comments, signed-in (uncached)",
                article,
                args.connections,
                headers=session,
            ),
            Scenario("article, 100 comments, anonymous (cached)", article, args.connections),
            Scenario(
                "listing: news, signed-in (uncached)",
                "/kind/أخبار/",
                args.connections,
                headers=session,
            ),
        ]
        # Search latency as one reader sees it (one search at a time by default), then the
        # throughput with as many connections as the other scenarios.
        search_path = "/search/?q=دمشق"
        searches = [
            Scenario(
                f"search, {args.search_connections} connection(s) (latency)",
                search_path,
                args.search_connections,
            ),
            Scenario(f"search, {args.connections} connections", search_path, args.connections),
        ]
        if fetch(server.base + urllib.parse.quote(search_path, safe="/?=&"))[0] == 404:
            for search in searches:
                search.note = "skipped: /search/ answers 404 in this build"
        scenarios += searches

        post_path = f"/comments/post/{seeded['hot_article_id']}/"
        comment = Scenario(
            f"comment POST ({args.writers} writers, back to back)",
            post_path,
            args.writers,
            method="POST",
            lua=Path(__file__).resolve().parent / "post.lua",
        )
        probe = fetch(server.base + post_path)[0]
        if probe == 404:
            comment.note = "skipped: /comments/post/<id>/ answers 404 in this build"
        else:
            _, page_headers, page = fetch(server.base + urllib.parse.quote(article, safe="/%"))
            cookie = re.search(r"csrftoken=([A-Za-z0-9]+)", page_headers.get("Set-Cookie", ""))
            token = re.search(rb'name="csrfmiddlewaretoken" value="([A-Za-z0-9]+)"', page)
            if not (cookie and token):
                comment.note = "skipped: no CSRF token on the article page"
            else:
                fields = {
                    "csrfmiddlewaretoken": token.group(1).decode(),
                    "text": "تعليق من اختبار الأداء على هذا المقال BENCH_SERIAL",
                    "name": "قارئ الأداء",
                    # Each comment comes from a different reader, as on a busy article.
                    "email": "reader-BENCH_SERIAL@bench.example",
                    "website": "",
                    "parent": "",
                    "homepage": "",
                }
                comment.body = urllib.parse.urlencode(fields)
                comment.headers = {
                    "Cookie": f"csrftoken={cookie.group(1)}",
                    "Content-Type": "application/x-www-form-urlencoded",
                }
                comment.env = {"BENCH_BODY": comment.body}
        scenarios.append(comment)
        if args.writer_pause_ms and not comment.note:
            # The same writers at a human pace: each waits between two comments.
            scenarios.append(
                Scenario(
                    f"comment POST ({args.writers} writers, one comment per writer every "
                    f"{args.writer_pause_ms} ms)",
                    post_path,
                    args.writers,
                    method="POST",
                    lua=comment.lua,
                    headers=comment.headers,
                    body=comment.body,
                    env=dict(comment.env, BENCH_PAUSE_MS=str(args.writer_pause_ms)),
                )
            )
        if args.only:
            scenarios = [scenarios[0]] + [
                s for s in scenarios[1:] if any(word in s.name for word in args.only.split(","))
            ]

        for scenario in scenarios:
            if scenario.note:
                log(f"{scenario.name}: {scenario.note}")
                continue
            # Warm up (fills the page cache of every worker, opens its database connection and
            # runs each code path once: the steady state is measured, not a worker's first
            # request), then count queries, then load. Comment warm-ups post comments too.
            warm = Scenario(
                scenario.name,
                scenario.path,
                scenario.connections,
                headers=scenario.headers,
                lua=scenario.lua,
                env=scenario.env,
            )
            run_wrk(wrk, server, warm, 2)
            queries = query_count(server, scenario)
            paired = None
            if scenario is not scenarios[0]:
                # The machine's load drifts (other jobs share its cores): each scenario is
                # compared with the static file measured right before it.
                paired = run_wrk(wrk, server, scenarios[0], args.duration)
            log(f"running {scenario.name} for {args.duration}s")
            scenario.result = run_wrk(wrk, server, scenario, args.duration)
            scenario.result["queries"] = queries
            if paired is not None:
                scenario.result["static_rps"] = paired.get("rps") or 0
            if "raw" in scenario.result:
                log(f"wrk output for {scenario.name}:\n{scenario.result['raw']}")
        args.worker_count = len(server.worker_pids())
    finally:
        server.stop()

    print_table(args, seeded, scenarios)


def print_table(args, seeded, scenarios) -> None:
    baseline = scenarios[0].result.get("rps") or 0
    lines = [
        f"Levant24 benchmark: {seeded['articles']} articles, {seeded['comments_seeded']} "
        f"comments, {args.duration}s per scenario, {args.connections} connections "
        f"(comment POST: {args.writers}), wrk on 127.0.0.1, "
        f"{getattr(args, 'worker_count', '?')} gunicorn workers, {os.cpu_count()} CPUs, "
        f"load average before the run {args.load_before}, after it "
        f"{' '.join(Path('/proc/loadavg').read_text().split()[:3])}",
        f"command: bench/run.py {' '.join(sys.argv[1:])}",
        "",
        "| scenario | req/s | x static | p50 ms | p95 ms | p99 ms | errors | refused "
        "| SQL/req | peak RSS/worker MB | static req/s (paired) |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for s in scenarios:
        r = s.result
        if s.note or not r or "rps" not in r:
            lines.append(f"| {s.name} | {s.note or 'no result'} | | | | | | | | | |")
            continue
        static = r.get("static_rps", baseline)
        ratio = r["rps"] / static if static else 0
        if "refused" in r:
            # Comment POST: a 400 is a refusal by a moderation rule, counted apart.
            errors = r["failed"] + r.get("errors", 0)
            refused = str(r["refused"])
        else:
            errors = r["non2xx"] + r.get("errors", 0)
            refused = ""
        lines.append(
            f"| {s.name} | {r['rps']:.0f} | {ratio:.2f} | {r['p50']:.1f} | {r['p95']:.1f} | "
            f"{r['p99']:.1f} | {errors} | {refused} | {r['queries']} | {r['peak_rss_mb']:.0f} | {static:.0f} |"
        )
    lines += ["", TARGETS]
    text = "\n".join(lines)
    print()
    print(text)
    out = ROOT / "artifacts"
    out.mkdir(exist_ok=True)
    (out / "bench-latest.md").write_text(text + "\n")


if __name__ == "__main__":
    main()

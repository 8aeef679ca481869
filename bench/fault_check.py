"""`make fault-test`: PostgreSQL, then Redis, go away under light load and come back.

    python bench/fault_check.py [--outage 5]

1. PostgreSQL: `make serve` (prod settings, CONN_HEALTH_CHECKS on) against levant24_load,
   one background reader, then PostgreSQL is stopped for ``--outage`` seconds. During the
   outage: ``/healthz`` answers 503; an article page answers the Arabic 503 page (never a
   traceback; the edge cache, not tested here, keeps serving the pages it holds); a page may still be
   served from it; a comment posted now is refused with a message and the reader's text in
   the answer, and is not in the database afterwards. PostgreSQL is started again and the
   same server must answer 200 within a few seconds, with no restart.
2. Redis (``CACHE_URL=redis://127.0.0.1:6379/3``): a second server, pages cached in Redis,
   then Redis is shut down: pages, comments and ``/healthz`` keep working without the
   cache. Redis is started again and pages are cached again.

PostgreSQL and Redis are always started again at the end, even when a check fails.
"""

from __future__ import annotations

import argparse
import collections
import contextlib
import html
import os
import subprocess
import sys
import threading
import time
import uuid
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from load_integrity import (  # noqa: E402
    DEFAULT_DB,
    ERROR_TEXT,
    READER_PATH,
    READER_TOKEN,
    Browser,
    collect_targets,
    db_rows,
)
from load_integrity import prepare_database as load_prepare  # noqa: E402
from run import Server  # noqa: E402

REDIS_URL = "redis://127.0.0.1:6379/3"
REDIS_START = [
    "redis-server",
    "--daemonize",
    "yes",
    "--bind",
    "127.0.0.1",
    "-::1",
    "--port",
    "6379",
    "--save",
    "",
    "--appendonly",
    "no",
    "--dir",
    "/var/lib/redis",
    "--logfile",
    "/var/log/redis/ci.log",
]
ARABIC_503 = "الخدمة غير متاحة مؤقتاً"


def log(message: str) -> None:
    print(f"[fault] {message}", flush=True)


class Checks:
    def __init__(self):
        self.results: list[tuple[bool, str]] = []

    def check(self, ok: bool, what: str) -> bool:
        self.results.append((bool(ok), what))
        print(f"  {'ok  ' if ok else 'FAIL'}  {what}", flush=True)
        return ok


def pg_cluster() -> tuple[str, str]:
    version = sorted(os.listdir("/etc/postgresql"))[-1]
    return version, "main"


def pg_ctl(action: str) -> None:
    version, name = pg_cluster()
    cmd = ["pg_ctlcluster", "--skip-systemctl-redirect", version, name, action]
    if action == "stop":
        cmd += ["-m", "fast"]
    subprocess.run(cmd, check=False, capture_output=True)


def pg_is_up() -> bool:
    return subprocess.run(["pg_isready", "-h", "127.0.0.1", "-q"], check=False).returncode == 0


def ensure_pg_up() -> None:
    if not pg_is_up():
        pg_ctl("start")
    for _ in range(60):
        if pg_is_up():
            return
        time.sleep(0.5)


def redis_is_up() -> bool:
    out = subprocess.run(
        ["redis-cli", "-h", "127.0.0.1", "ping"], capture_output=True, text=True, check=False
    )
    return out.stdout.strip() == "PONG"


def ensure_redis_up() -> None:
    if not redis_is_up():
        subprocess.run(REDIS_START, check=False, capture_output=True)
    for _ in range(40):
        if redis_is_up():
            return
        time.sleep(0.25)


class Background:
    """One reader going round a few pages all the time: the light load."""

    def __init__(self, port: int, paths: list[str]):
        self.port, self.paths = port, paths
        self.statuses = collections.Counter()
        self.tracebacks = 0
        self.stop = threading.Event()
        self.thread = threading.Thread(target=self.run, daemon=True)

    def run(self):
        browser = Browser(self.port)
        i = 0
        while not self.stop.is_set():
            path = self.paths[i % len(self.paths)]
            i += 1
            try:
                status, _h, body = browser.request("GET", path)
            except OSError:
                self.statuses["connection error"] += 1
                continue
            self.statuses[status] += 1
            if "Traceback" in body:
                self.tracebacks += 1
            time.sleep(0.05)

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.stop.set()
        self.thread.join(timeout=40)


def comment_form(browser: Browser, path: str, text: str) -> dict:
    status, _h, page = browser.request("GET", path)
    _s, _h, state = browser.request("GET", READER_PATH)  # what the page's script fetches
    token = READER_TOKEN.search(state)
    assert status == 200 and token, f"no comment form on {path} ({status})"
    return {
        "csrfmiddlewaretoken": html.unescape(token.group(1)),
        "text": text,
        "name": "قارئة الاختبار",
        "email": "fault-test@example.org",
        "website": "",
        "parent": "",
        "homepage": "",
    }


def wait_for(predicate, timeout: float) -> float | None:
    started = time.time()
    while time.time() - started < timeout:
        with contextlib.suppress(OSError):
            if predicate():
                return time.time() - started
        time.sleep(0.25)
    return None


def postgres_phase(args, targets, checks: Checks) -> None:
    log("PostgreSQL: starting make serve on levant24_load")
    server = Server(args)
    try:
        server.wait_ready()
        b = Browser(args.port)
        cached_path = targets["articles"][0]
        # Each gunicorn worker has its own local-memory cache: ask often enough that every
        # worker holds a copy of the page that should stay readable from the cache.
        for _ in range(3 * args.workers):
            status, headers, _ = Browser(args.port).request("GET", cached_path)
        checks.check(status == 200, "before: article page 200")
        article_id, article_path = targets["commentable"][0]
        text = f"fault-{uuid.uuid4().hex[:8]} تعليق كُتب أثناء انقطاع قاعدة البيانات، ويجب ألا يضيع."
        form = comment_form(b, article_path, text)
        # Every page needs the database at the origin (the edge in front would keep serving
        # the pages it holds; this check talks to the origin).
        uncached = targets["articles"][-1]
        reader_paths = ["/", cached_path, targets["listings"][0], targets["articles"][1]]
        with Background(args.port, reader_paths) as bg:
            time.sleep(1)
            log(f"stopping PostgreSQL for {args.outage}s")
            outage_started = time.time()
            pg_ctl("stop")
            try:
                checks.check(not pg_is_up(), "PostgreSQL is down")
                time.sleep(0.5)
                status, _h, body = b.request("GET", "/healthz")
                checks.check(status == 503 and '"down"' in body, f"outage: /healthz {status}")
                fresh = Browser(args.port)
                status, headers, body = fresh.request("GET", uncached + "?outage=1")
                checks.check(
                    status == 503 and ARABIC_503 in body and "Traceback" not in body,
                    f"outage: uncached article page {status}, Arabic 503 page, no traceback",
                )
                checks.check(headers.get("Retry-After") is not None, "outage: Retry-After header")
                status, headers, body = fresh.request("GET", cached_path)
                checks.check(
                    status in (200, 503),
                    f"outage: a page read before the outage answers {status}",
                )
                status, _h, body = b.request("POST", f"/comments/post/{article_id}/", form)
                checks.check(
                    status == 503 and (html.escape(text) in body or text in body),
                    f"outage: comment POST refused ({status}) and the reader's text is in the answer",
                )
                checks.check(
                    "لم يُحفظ" in body, "outage: the refusal says the comment was not saved"
                )
                remaining = args.outage - (time.time() - outage_started)
                if remaining > 0:
                    time.sleep(remaining)
            finally:
                log("starting PostgreSQL again")
                restart_at = time.time()
                pg_ctl("start")
                ensure_pg_up()
            ready = time.time() - restart_at
            back = wait_for(lambda: b.request("GET", "/healthz")[0] == 200, 30)
            checks.check(
                back is not None,
                f"recovered without restart: /healthz 200 {ready + (back or 0):.1f}s after "
                f"`pg_ctlcluster start` (PostgreSQL itself took {ready:.1f}s)",
            )
            back = wait_for(
                lambda: Browser(args.port).request("GET", uncached + "?after=1")[0] == 200, 30
            )
            checks.check(back is not None, "recovered: uncached article page 200 again")
            time.sleep(1)
        checks.check(
            bg.tracebacks == 0,
            f"light load during the outage: statuses {dict(bg.statuses)}, no traceback",
        )
        checks.check(
            not any(isinstance(s, int) and s >= 500 and s != 503 for s in bg.statuses),
            "light load: no 5xx other than 503",
        )
        stored = db_rows(
            args.database_url, "SELECT count(*) FROM comments_comment WHERE text = %s", (text,)
        )[0][0]
        checks.check(stored == 0, f"the comment refused during the outage is not stored ({stored})")
        form = comment_form(b, article_path, text)
        status, headers, _ = b.request("POST", f"/comments/post/{article_id}/", form)
        stored = db_rows(
            args.database_url, "SELECT count(*) FROM comments_comment WHERE text = %s", (text,)
        )[0][0]
        checks.check(
            status == 302 and stored == 1,
            f"sent again after recovery: {status}, stored once ({stored})",
        )
    finally:
        server.stop()


def redis_phase(args, targets, checks: Checks) -> None:
    log(f"Redis: starting make serve with CACHE_URL={REDIS_URL}")
    args.cache_url = REDIS_URL
    server = Server(args)
    try:
        server.wait_ready()
        b = Browser(args.port)
        path = targets["articles"][1]
        b.request("GET", path)
        status, headers, _ = b.request("GET", path)
        checks.check(
            status == 200,
            f"before: article page {status}",
        )
        article_id, article_path = targets["commentable"][1]
        with Background(args.port, ["/", path, targets["listings"][1]]) as bg:
            time.sleep(1)
            log("shutting Redis down (nosave)")
            subprocess.run(
                ["redis-cli", "-h", "127.0.0.1", "shutdown", "nosave"],
                check=False,
                capture_output=True,
            )
            try:
                checks.check(not redis_is_up(), "Redis is down")
                statuses = collections.Counter()
                for p in [
                    "/",
                    path,
                    targets["listings"][1],
                    targets["articles"][2],
                    "/search/?q=%D8%AF%D9%85%D8%B4%D9%82",
                ]:
                    status, headers, body = Browser(args.port).request("GET", p)
                    statuses[status] += 1
                    checks.check(
                        status == 200 and "Traceback" not in body,
                        f"Redis down: {p[:40]} {status}",
                    )
                status, _h, _b = b.request("GET", "/healthz")
                checks.check(status == 200, f"Redis down: /healthz {status}")
                text = f"redis-{uuid.uuid4().hex[:8]} تعليق أثناء توقف الذاكرة المؤقتة."
                form = comment_form(b, article_path, text)
                status, headers, body = b.request("POST", f"/comments/post/{article_id}/", form)
                stored = db_rows(
                    args.database_url,
                    "SELECT count(*) FROM comments_comment WHERE text = %s",
                    (text,),
                )[0][0]
                reason = ERROR_TEXT.search(body) if status != 302 else None
                checks.check(
                    status == 302 and stored == 1,
                    f"Redis down: comment accepted ({status}) and stored once ({stored})"
                    + (f" refused: {reason.group(0)[:200]}" if reason else ""),
                )
                time.sleep(max(0, args.outage - 2))
            finally:
                log("starting Redis again")
                ensure_redis_up()
            Browser(args.port).request("GET", path)
            again = wait_for(lambda: Browser(args.port).request("GET", path)[0] == 200, 15)
            checks.check(again is not None, "Redis back: pages answer 200")
        checks.check(
            bg.tracebacks == 0 and not any(isinstance(s, int) and s >= 500 for s in bg.statuses),
            f"light load while Redis was down: statuses {dict(bg.statuses)}",
        )
    finally:
        server.stop()


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--outage", type=float, default=5.0, help="seconds each service stays down")
    parser.add_argument("--port", type=int, default=8096)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--articles", type=int, default=300)
    parser.add_argument("--database-url", default=os.environ.get("LOAD_DATABASE_URL", DEFAULT_DB))
    parser.add_argument("--cache-url", default="")
    parser.add_argument("--reuse", action="store_true", help="keep an already seeded database")
    args = parser.parse_args()
    checks = Checks()
    try:
        ensure_pg_up()
        ensure_redis_up()
        has_db = False
        with contextlib.suppress(Exception):
            has_db = db_rows(args.database_url, "SELECT count(*) FROM articles_article")[0][0] > 0
        if not (args.reuse and has_db):
            load_prepare(args)
        targets = collect_targets(args)
        postgres_phase(args, targets, checks)
        redis_phase(args, targets, checks)
    finally:
        ensure_pg_up()
        ensure_redis_up()
        log(f"PostgreSQL up: {pg_is_up()}, Redis up: {redis_is_up()}")
    failed = [what for ok, what in checks.results if not ok]
    print(
        f"\nchecks: {len(checks.results)}, passed: {len(checks.results) - len(failed)}, failed: {len(failed)}"
    )
    print("RESULT:", "PASS" if not failed else "FAIL")
    return 0 if not failed else 1


if __name__ == "__main__":
    sys.exit(main())

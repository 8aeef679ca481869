"""`make load-test`: many readers and commenters against `make serve` on PostgreSQL, then
a check that every comment the server accepted is stored exactly once and nothing was 5xx.

    python bench/load_integrity.py --duration 60 --readers 8 --commenters 8

The database (levant24_load by default) is recreated and seeded with a few hundred
articles. Commenters behave like browsers: they open the article page, take the CSRF
cookie and token from it, post the form, and follow the redirect to read the success
message. All of them come from 127.0.0.1, so the run sets ``COMMENTS_FLOOD_SECONDS=0``
and the moderators' hourly limit to 0 (off); every other rule stays on, and some posts
are wrong on purpose (too short, a repeat) to exercise the refusals.
"""

from __future__ import annotations

import argparse
import collections
import html
import http.client
import json
import os
import re
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
import uuid
from http.cookies import SimpleCookie
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from run import PY, ROOT, Server, django_env, recreate_database  # noqa: E402

DEFAULT_DB = "postgres://postgres@127.0.0.1:5432/levant24_load"
# Public pages carry no token: a browser's script asks the reader endpoint for one.
READER_TOKEN = re.compile(r'"csrf_token": ?"([A-Za-z0-9]+)"')
READER_PATH = "/comments/reader/"
ERROR_TEXT = re.compile(
    r'<span class="field-error"[^>]*>(.*?)</span>|<div class="form-errors"[^>]*>(.*?)</div>', re.S
)
SEARCH_WORDS = ["دمشق", "الاقتصاد", "حلب", "الكهرباء", "الليرة", "الانتخابات"]


def log(message: str) -> None:
    print(f"[load] {message}", flush=True)


def prepare_database(args) -> None:
    """Recreate, migrate and seed the load database; comments open, hourly limit off."""
    env = django_env(args)
    log(f"recreating {urllib.parse.urlparse(args.database_url).path.lstrip('/')}")
    recreate_database(args.database_url, must_contain="load")
    subprocess.run(
        [PY, "manage.py", "migrate", "--noinput", "-v", "0"], cwd=ROOT, env=env, check=True
    )
    log(f"seeding {args.articles} articles")
    subprocess.run(
        [
            PY,
            "bench/seed.py",
            "--articles",
            str(args.articles),
            "--comments",
            str(args.articles * 3),
            "--hot-comments",
            "20",
        ],
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=True,
    )
    rules = (
        "from comments.models import ModerationSettings as M\n"
        "m = M.load(); m.hourly_limit = 0; m.close_after_days = None; m.notify_moderators = False\n"
        "m.save()\n"
        "from articles.models import Article\n"
        "Article.objects.update(comments_open=True)\n"
    )
    subprocess.run(
        [PY, "manage.py", "shell", "-v", "0", "-c", rules], cwd=ROOT, env=env, check=True
    )


def set_moderators(args) -> None:
    """``--moderators N``: exactly N active moderators with an address, moderator mail on,
    every comment held for moderation, and no digest sent yet."""
    code = (
        "from django.contrib.auth import get_user_model\n"
        "from django.contrib.auth.models import Group\n"
        "from comments.models import ModerationSettings as M, ModeratorDigest\n"
        "User = get_user_model(); group, _ = Group.objects.get_or_create(name='moderator')\n"
        "User.objects.filter(username__startswith='load-moderator-').delete()\n"
        "for user in User.objects.filter(groups=group): user.groups.remove(group)\n"
        f"for n in range({args.moderators}):\n"
        "    u = User.objects.create_user(username=f'load-moderator-{n}',"
        " email=f'load-moderator-{n}@example.org', is_staff=True)\n"
        "    u.groups.add(group)\n"
        "ModeratorDigest.objects.all().delete()\n"
        "m = M.load(); m.notify_moderators = True; m.hold_all = True; m.save()\n"
    )
    subprocess.run(
        [PY, "manage.py", "shell", "-v", "0", "-c", code],
        cwd=ROOT,
        env=django_env(args),
        check=True,
    )


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))] if ordered else 0.0


def db_rows(url: str, sql: str, params=()) -> list[tuple]:
    import psycopg

    with psycopg.connect(url) as conn:
        return conn.execute(sql, params).fetchall()


class Browser:
    """One keep-alive connection with its own cookies, like one reader's browser tab."""

    def __init__(self, port: int):
        self.port = port
        self.cookies: dict[str, str] = {}
        self.conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)

    def request(self, method: str, path: str, body: dict | None = None):
        headers = {"User-Agent": "levant24-load-test", "Accept-Language": "ar"}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        data = None
        if body is not None:
            data = urllib.parse.urlencode(body).encode()
            headers["Content-Type"] = "application/x-www-form-urlencoded"
            headers["Origin"] = f"http://127.0.0.1:{self.port}"
        for attempt in range(2):
            try:
                self.conn.request(method, path, body=data, headers=headers)
                response = self.conn.getresponse()
                content = response.read()
                break
            except (http.client.HTTPException, ConnectionError, TimeoutError, OSError):
                self.conn.close()
                self.conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
                if attempt:
                    raise
        for header in response.headers.get_all("Set-Cookie") or []:
            cookie = SimpleCookie()
            cookie.load(header)
            for name, morsel in cookie.items():
                if morsel["max-age"] == "0" or not morsel.value:
                    self.cookies.pop(name, None)
                else:
                    self.cookies[name] = morsel.value
        return response.status, response.headers, content.decode("utf-8", "replace")


class Stats:
    def __init__(self):
        self.lock = threading.Lock()
        self.requests = collections.Counter()
        self.status_5xx = collections.Counter()
        self.refused = collections.Counter()
        self.accepted: list[str] = []
        self.unconfirmed = 0
        self.errors = collections.Counter()
        self.post_seconds: list[float] = []

    def hit(self, kind: str, status: int, path: str):
        with self.lock:
            self.requests[kind] += 1
            if status >= 500:
                self.status_5xx[f"{kind} {status} {path[:60]}"] += 1


def reader(port, targets, stats: Stats, stop: threading.Event, seed: int):
    browser = Browser(port)
    i = seed
    while not stop.is_set():
        kind = ("home", "listing", "article", "article", "search")[i % 5]
        if kind == "home":
            path = "/"
        elif kind == "listing":
            path = targets["listings"][i % len(targets["listings"])]
        elif kind == "article":
            path = targets["articles"][(i * 7) % len(targets["articles"])]
        else:
            word = SEARCH_WORDS[i % len(SEARCH_WORDS)]
            path = "/search/?q=" + urllib.parse.quote(word)
        i += 1
        try:
            status, _h, _body = browser.request("GET", path)
        except OSError as exc:
            with stats.lock:
                stats.errors[f"{kind}: {type(exc).__name__}"] += 1
            continue
        stats.hit(kind, status, path)


def commenter(port, targets, stats: Stats, stop: threading.Event, worker: int, run_id: str):
    browser = Browser(port)
    n = 0
    previous = None
    while not stop.is_set():
        n += 1
        article_id, path = targets["commentable"][(worker * 31 + n) % len(targets["commentable"])]
        if n % 10 == 5 and previous:
            article_id, path = previous[0], previous[1]
        try:
            status, _h, page = browser.request("GET", path)
            stats.hit("article (commenter)", status, path)
            _s, _h, state = browser.request("GET", READER_PATH)
            token = READER_TOKEN.search(state)
            if status != 200 or not token:
                continue
            text = f"{run_id} تعليق القارئ {worker} رقم {n}: رأيي أن الخبر مهم ويستحق المتابعة."
            if n % 10 == 0:
                text = "ا"  # too short: refused by the form
            elif n % 10 == 5 and previous:
                text = previous[2]  # the same comment on the same article: a duplicate
            form = {
                "csrfmiddlewaretoken": html.unescape(token.group(1)),
                "text": text,
                "name": f"قارئ الحمل {worker}",
                "email": f"load{worker}@example.org",
                "website": "",
                "parent": "",
                "homepage": "",
            }
            started = time.perf_counter()
            status, headers, body = browser.request("POST", f"/comments/post/{article_id}/", form)
            with stats.lock:
                stats.post_seconds.append(time.perf_counter() - started)
            stats.hit("comment POST", status, path)
            if status == 302 and "#comment-" in headers.get("Location", ""):
                with stats.lock:
                    stats.accepted.append(text)
                previous = (article_id, path, text)
                location = urllib.parse.urlsplit(headers["Location"])
                status, _h, page = browser.request("GET", location.path)
                stats.hit("article after comment", status, location.path)
                if "شكراً" not in page and "شكرًا" not in page:
                    with stats.lock:
                        stats.unconfirmed += 1
            elif status < 500:
                found = ERROR_TEXT.search(body)
                reason = (
                    re.sub(r"<[^>]+>|\s+", " ", (found.group(1) or found.group(2)))
                    if found
                    else f"HTTP {status}"
                )
                with stats.lock:
                    stats.refused[html.unescape(reason).strip()] += 1
        except OSError as exc:
            with stats.lock:
                stats.errors[f"comment: {type(exc).__name__}"] += 1


def collect_targets(args) -> dict:
    rows = db_rows(
        args.database_url,
        "SELECT id, slug, comments_open FROM articles_article WHERE status = 'published' "
        "AND published_at <= now() ORDER BY published_at DESC LIMIT 200",
    )
    articles = [(pk, f"/article/{pk}/{urllib.parse.quote(slug)}/") for pk, slug, _open in rows]
    sections = [r[0] for r in db_rows(args.database_url, "SELECT slug FROM articles_section")]
    listings = [f"/section/{urllib.parse.quote(s)}/" for s in sections]
    listings += [f"/kind/{k}/" for k in ("news", "analysis", "opinion")]
    return {
        "articles": [p for _pk, p in articles],
        "commentable": [a for a, (_pk, _s, is_open) in zip(articles, rows, strict=True) if is_open][
            :40
        ],
        "listings": listings,
    }


def check_integrity(args, stats: Stats, run_id: str) -> dict:
    rows = db_rows(
        args.database_url,
        "SELECT text, count(*) FROM comments_comment WHERE text LIKE %s GROUP BY text",
        (run_id + "%",),
    )
    stored = dict(rows)
    accepted = collections.Counter(stats.accepted)
    missing = [t for t in accepted if t not in stored]
    duplicated = [t for t, c in stored.items() if c > 1 or accepted.get(t, 0) > 1]
    unexpected = [t for t in stored if t not in accepted]
    return {
        "accepted": sum(accepted.values()),
        "stored": sum(stored.values()),
        "missing": len(missing),
        "duplicated": len(duplicated),
        "stored_but_not_answered_accepted": len(unexpected),
    }


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--duration", type=int, default=60, help="seconds of load")
    parser.add_argument("--readers", type=int, default=8)
    parser.add_argument("--commenters", type=int, default=8)
    parser.add_argument("--articles", type=int, default=300)
    parser.add_argument("--workers", type=int, default=0, help="gunicorn workers (default: config)")
    parser.add_argument("--port", type=int, default=8097)
    parser.add_argument("--database-url", default=os.environ.get("LOAD_DATABASE_URL", DEFAULT_DB))
    parser.add_argument("--cache-url", default=os.environ.get("LOAD_CACHE_URL", ""))
    parser.add_argument("--reuse", action="store_true", help="keep an already seeded database")
    parser.add_argument(
        "--moderators",
        type=int,
        default=0,
        help="N moderators with moderator mail on (0: mail off); mail goes to a folder",
    )
    args = parser.parse_args()

    if not args.reuse:
        prepare_database(args)
    mail_dir = None
    if args.moderators:
        set_moderators(args)
        mail_dir = Path(tempfile.mkdtemp(prefix="levant24-load-mail-"))
        os.environ["EMAIL_URL"] = f"filemail:///{mail_dir}"
    targets = collect_targets(args)
    run_id = f"load-{uuid.uuid4().hex[:10]}"
    server = Server(args)
    stats = Stats()
    try:
        log("starting make serve (gunicorn, prod settings)")
        server.wait_ready()
        stop = threading.Event()
        threads = [
            threading.Thread(
                target=reader, args=(args.port, targets, stats, stop, i * 13), daemon=True
            )
            for i in range(args.readers)
        ] + [
            threading.Thread(
                target=commenter, args=(args.port, targets, stats, stop, i, run_id), daemon=True
            )
            for i in range(args.commenters)
        ]
        log(
            f"{args.readers} readers and {args.commenters} commenters for {args.duration}s (run {run_id})"
        )
        started = time.time()
        for thread in threads:
            thread.start()
        time.sleep(args.duration)
        stop.set()
        for thread in threads:
            thread.join(timeout=60)
        elapsed = time.time() - started
    finally:
        server.stop()
    result = check_integrity(args, stats, run_id)
    total = sum(stats.requests.values())
    print()
    print(f"requests: {total} in {elapsed:.0f}s ({total / elapsed:.0f}/s)")
    for kind, count in sorted(stats.requests.items()):
        print(f"  {kind:<24} {count}")
    print(
        f"comments accepted (302 + success message): {result['accepted']}"
        f" (success message missing on {stats.unconfirmed})"
    )
    print(f"comments refused: {sum(stats.refused.values())}")
    for reason, count in stats.refused.most_common():
        print(f"  {count:>5}  {reason}")
    posts = stats.post_seconds
    print(
        f"comment POST: {len(posts)} requests, p50 {percentile(posts, 0.5) * 1000:.0f} ms,"
        f" p95 {percentile(posts, 0.95) * 1000:.0f} ms, p99 {percentile(posts, 0.99) * 1000:.0f} ms"
    )
    if mail_dir is not None:
        # Django's file backend may append several mails to one file: count the headers.
        mails = sum(
            line.startswith("To: ")
            for path in mail_dir.iterdir()
            for line in path.read_text().splitlines()
        )
        print(f"moderators: {args.moderators}, mails sent by the web server: {mails}")
    print(f"5xx responses: {sum(stats.status_5xx.values())}")
    for what, count in stats.status_5xx.most_common(10):
        print(f"  {count:>5}  {what}")
    print(f"client errors (connection): {sum(stats.errors.values())} {dict(stats.errors)}")
    print(
        f"in the database: {result['stored']} stored, {result['missing']} missing, "
        f"{result['duplicated']} duplicated, {result['stored_but_not_answered_accepted']} "
        "stored without an accepted answer"
    )
    ok = (
        not stats.status_5xx
        and result["missing"] == 0
        and result["duplicated"] == 0
        and result["accepted"] > 0
        and stats.unconfirmed == 0
    )
    print("RESULT:", "PASS" if ok else "FAIL")
    print(
        json.dumps(
            {"requests": dict(stats.requests), **result, "5xx": sum(stats.status_5xx.values())}
        )
    )
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())

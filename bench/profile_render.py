"""cProfile of full renders of one page, in-process, with the benchmark's settings.

Run by bench/run.py (bench.settings, CACHE_URL=dummycache://, the benchmark database):
every request goes through Django's whole handler and middleware, as under gunicorn, with
no cache anywhere. Prints the CPU per request without the profiler, then the top entries by
own time and by cumulative time.

    python bench/profile_render.py /article/<id>/<slug>/ --requests 100 --top 25
"""

from __future__ import annotations

import argparse
import cProfile
import io
import os
import pstats
import re
import site
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")

import django  # noqa: E402

django.setup()

from django.test import Client  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("path")
    parser.add_argument("--requests", type=int, default=100)
    parser.add_argument("--top", type=int, default=25)
    args = parser.parse_args()
    client = Client(HTTP_HOST="127.0.0.1")
    for _ in range(10):  # compiled templates, database connection, first-use imports
        response = client.get(args.path)
        if response.status_code != 200:
            sys.exit(f"{args.path} answered {response.status_code}")
    size = len(response.content)

    started, cpu = time.perf_counter(), time.process_time()
    for _ in range(args.requests):
        client.get(args.path)
    wall = (time.perf_counter() - started) * 1000 / args.requests
    cpu = (time.process_time() - cpu) * 1000 / args.requests
    print(
        f"{args.path}: {size} bytes; without the profiler {cpu:.2f} ms CPU / {wall:.2f} ms "
        f"wall per request (this process: Django and psycopg; PostgreSQL's own time apart)"
    )

    # CPU time, not wall time: waits for PostgreSQL and for the shared cores are left out.
    profiler = cProfile.Profile(time.process_time)
    profiler.enable()
    for _ in range(args.requests):
        client.get(args.path)
    profiler.disable()

    stats = pstats.Stats(profiler)
    total = sum(entry[2] for entry in stats.stats.values())  # own times add up to the whole
    print(f"\nUnder the profiler: {total * 1000 / args.requests:.1f} ms CPU per request; of it:")
    for label, filename, function in PARTS:
        spent = sum(
            entry[3]
            for (file, _, name), entry in stats.stats.items()
            if file.endswith(filename) and name == function
        )
        print(f"  {spent / total:6.1%}  {label}")

    prefixes = sorted(
        {str(ROOT) + "/", *(p + "/" for p in site.getsitepackages()), sys.prefix + "/"},
        key=len,
        reverse=True,
    )
    # Our own code: the project's files, not what is installed in the virtualenv.
    own = re.escape(str(ROOT)) + r"/(?!\.venv)"
    for order, restriction, title in (
        ("tottime", None, "by own time"),
        ("cumulative", own, "by cumulative time, the project's own code only"),
    ):
        buffer = io.StringIO()
        view = pstats.Stats(profiler, stream=buffer).sort_stats(order)
        if restriction:
            view.print_stats(restriction, args.top)
        else:
            view.print_stats(args.top)
        text = buffer.getvalue()
        for prefix in prefixes:
            text = text.replace(prefix, "")
        body = text[text.index("   ncalls") :] if "   ncalls" in text else text
        print(
            f"\nTop {args.top} {title}, {args.requests} requests "
            "(CPU seconds, all requests together):"
        )
        print(body.rstrip())


# Where the time goes (cumulative, so the parts overlap: SQL runs inside templates too).
PARTS = [
    ("template rendering (TemplateResponse.render)", "django/template/response.py", "render"),
    ("SQL through the ORM: compile, execute, fetch", "sql/compiler.py", "execute_sql"),
    ("SQL written by hand: execute, fetch, convert (core.rawsql.run)", "core/rawsql.py", "run"),
    ("URL reversing (reverse)", "django/urls/base.py", "reverse"),
    ("translations (gettext)", "django/utils/translation/__init__.py", "gettext"),
    ("date formatting and time zones (localtime)", "django/utils/timezone.py", "localtime"),
]


if __name__ == "__main__":
    main()

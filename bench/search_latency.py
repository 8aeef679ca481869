"""Search latency in-process: the search page rendered by Django's test client, one request
at a time, against the database in DATABASE_URL (seed it first with bench/seed.py).

    DATABASE_URL=postgres://… python bench/search_latency.py --runs 200

Every cache is off (dummy cache, page cache disabled): each row measures a full render,
query and ranking included. Prints p50/p95 per query and over all queries, of the wall
time and of the CPU time the request used (this process plus the PostgreSQL backend, read
from /proc): on a machine shared with other work the CPU time is the stable figure, and
with one request at a time it is what the latency comes to on an idle machine.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "levant24.settings.dev")
os.environ["CACHE_URL"] = "dummycache://"
os.environ["PAGE_CACHE_ENABLED"] = "False"
os.environ.setdefault("DEBUG", "False")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.urls import reverse  # noqa: E402

QUERIES = [
    "دمشق",  # the make bench row: a word in a large share of the archive
    "حلب الاقتصاد",
    "المدارس",
    "اللاجئين",
    "بالكهرباء",
    '"الحكومة المجلس"',
    "مطار 99999",
    "بوتن",  # nothing matches: the trigram fallback runs
]


def backend_cpu_ms(pid: int | None) -> float:
    """utime + stime of the PostgreSQL backend serving this connection, in ms."""
    if pid is None:
        return 0.0
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) * 1000 / os.sysconf("SC_CLK_TCK")


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q * (len(ordered) - 1))))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=200)
    args = parser.parse_args()
    if "testserver" not in settings.ALLOWED_HOSTS and "*" not in settings.ALLOWED_HOSTS:
        settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    from articles import search
    from articles.models import Article

    print(f"{connection.vendor}, {Article.objects.count()} articles, {args.runs} runs a query")
    client = Client()
    url = reverse("articles:search")
    client.get(url, {"q": "تجربة"})
    backend = None
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_backend_pid()")
            backend = cursor.fetchone()[0]
    everything, everything_cpu = [], []
    for query in QUERIES:
        client.get(url, {"q": query})  # warm the process (imports, first query plans)
        times, cpu = [], []
        count = len(
            search.ranked_article_ids(Article.objects.published(), search.parse_query(query))
        )
        for _ in range(args.runs):
            start, start_cpu = time.perf_counter(), time.process_time()
            start_backend = backend_cpu_ms(backend)
            response = client.get(url, {"q": query})
            times.append((time.perf_counter() - start) * 1000)
            cpu.append(
                (time.process_time() - start_cpu) * 1000 + backend_cpu_ms(backend) - start_backend
            )
            assert response.status_code == 200, response.status_code
        everything += times
        everything_cpu += cpu
        print(
            f"{query:>22}  results {count:>4}  wall p50 {statistics.median(times):6.1f} "
            f"p95 {percentile(times, 0.95):6.1f} ms  cpu p50 {statistics.median(cpu):6.1f} "
            f"p95 {percentile(cpu, 0.95):6.1f} ms"
        )
    print(
        f"{'all queries':>22}  {'':12}  wall p50 {statistics.median(everything):6.1f} "
        f"p95 {percentile(everything, 0.95):6.1f} ms  cpu p50 "
        f"{statistics.median(everything_cpu):6.1f} p95 {percentile(everything_cpu, 0.95):6.1f} ms"
    )


if __name__ == "__main__":
    main()

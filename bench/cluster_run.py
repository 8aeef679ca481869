"""`make bench-cluster`: the site measured through `make cluster`'s edge (docs/deploy.md).

Starts the whole cluster of deploy/cluster/cluster.py on ports of its own (PostgreSQL
primary and streaming replica, two gunicorn nodes with 2 workers each, Varnish round robin
in front, Redis, a Celery worker, the local S3 server; the demo newsroom), then runs wrk
(2 threads, 16 connections, ``--duration`` seconds after a warm-up) for each row and prints
a Markdown table. Every row says what answered it:

- pages through the edge: Varnish HITs, the nodes are not asked;
- the reader endpoint through the edge: never cached, Varnish passes every request to the
  nodes in turn (the row that shows the two nodes sharing the load);
- the article page at the nodes: two wrk runs at once, one per node, straight to gunicorn
  (no edge), with the production settings the cluster runs (Redis as the shared cache).

CPU per request is the CPU of both nodes' gunicorn workers (from /proc) divided by the
requests the nodes answered; for HIT rows the nodes answer none.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.run import CLOCK_TICKS, children, cpu_ticks, ensure_wrk  # noqa: E402
from deploy.cluster.cluster import Ports, from_env  # noqa: E402

REPORT = ROOT / "bench" / "report.lua"


def log(message: str) -> None:
    print(f"[bench-cluster] {message}", flush=True)


def get(url: str) -> tuple[int, dict, bytes]:
    with urllib.request.urlopen(url, timeout=10) as response:  # noqa: S310 - our own URL
        return response.status, dict(response.headers), response.read()


def node_workers(cluster) -> list[int]:
    pids = []
    for service in cluster.nodes.values():
        if service.process is not None:
            pids += children(service.process.pid)
    return pids


def wrk(binary: str, url: str, *, connections: int, duration: int) -> subprocess.Popen:
    cmd = [binary, "-t", "2", "-c", str(connections), "-d", f"{duration}s", "--timeout", "10s"]
    cmd += ["--latency", "-s", str(REPORT), url]
    return subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)


def result(process: subprocess.Popen) -> dict:
    out, _ = process.communicate()
    found = re.search(r"^BENCH (.*)$", out, re.M)
    stats = json.loads(found.group(1)) if found else {"rps": 0, "requests": 0, "errors": -1}
    non2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    stats["non2xx"] = int(non2xx.group(1)) if non2xx else 0
    return stats


def measure(binary, cluster, urls: list[str], *, connections: int, duration: int) -> dict:
    """wrk against each of ``urls`` at once (connections shared out); totals and the nodes'
    CPU per request they answered."""
    each = max(1, connections // len(urls))
    for url in urls:  # warm-up: connections opened, Varnish holds the page
        result(wrk(binary, url, connections=each, duration=2))
    workers = node_workers(cluster)
    before = {pid: cpu_ticks(pid) for pid in workers}
    runs = [wrk(binary, url, connections=each, duration=duration) for url in urls]
    stats = [result(run) for run in runs]
    after = {pid: cpu_ticks(pid) for pid in workers}
    cpu_ms = sum(after[pid] - before[pid] for pid in workers) * 1000 / CLOCK_TICKS
    total = {
        "rps": sum(s["rps"] for s in stats),
        "requests": sum(s["requests"] for s in stats),
        "p50": max(s.get("p50", 0) for s in stats),
        "p99": max(s.get("p99", 0) for s in stats),
        "errors": sum(s["errors"] for s in stats) + sum(s["non2xx"] for s in stats),
        "node_cpu_ms": cpu_ms,
    }
    return total


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--duration", type=int, default=8)
    parser.add_argument("--connections", type=int, default=16)
    args = parser.parse_args()
    binary = ensure_wrk()
    os.environ.setdefault("CLUSTER_EDGE_PORT", "18680")
    os.environ.setdefault("CLUSTER_NODE_PORTS", "18681,18682")
    os.environ.setdefault("CLUSTER_REPLICA_PORT", "18683")
    os.environ.setdefault("CLUSTER_S3_PORT", "18684")
    cluster = from_env(
        ports=Ports.from_env(),
        database_url=os.environ.get("CLUSTER_DATABASE_URL")
        or "postgres://postgres@127.0.0.1:5432/levant24_cluster_bench",
        cache_url=os.environ.get("CLUSTER_CACHE_URL") or "redis://127.0.0.1:6379/12",
    )
    started = time.time()
    load_before = " ".join(Path("/proc/loadavg").read_text().split()[:3])
    with cluster:
        edge = cluster.edge_url
        _, _, home = get(edge + "/")
        found = re.search(rb'href="(/article/\d+/[^"#?]+/)"', home)
        if not found:
            log("no article link on the home page")
            return 1
        article = found.group(1).decode()
        article_id = re.search(r"/article/(\d+)/", article).group(1)
        reader = f"/comments/reader/?article={article_id}"
        rows = [
            ("home through the edge", "Varnish HIT; the nodes are not asked", [edge + "/"]),
            ("article through the edge", "Varnish HIT; the nodes are not asked", [edge + article]),
            (
                "reader JSON through the edge (signed out)",
                "never cached: Varnish passes each request to a node, round robin",
                [edge + reader],
            ),
            (
                "article at both nodes, full render",
                "no edge: one wrk per node at once; Redis as the shared cache, as deployed",
                [url + article for url in cluster.node_urls],
            ),
        ]
        table = []
        for name, cached, urls in rows:
            log(f"running {name} for {args.duration}s")
            stats = measure(
                binary, cluster, urls, connections=args.connections, duration=args.duration
            )
            sample = {}
            for _ in range(10):
                _, headers, _ = get(urls[0])
                key = headers.get("X-Cache", "none")
                sample[key] = sample.get(key, 0) + 1
            table.append((name, cached, stats, sample))
    load_after = " ".join(Path("/proc/loadavg").read_text().split()[:3])
    print()
    print(
        f"Through `make cluster` ({len(cluster.node_urls)} nodes x {cluster.gunicorn_workers} "
        f"gunicorn workers, Varnish round robin, PostgreSQL primary + streaming replica, "
        f"Redis, demo newsroom); wrk -t2 -c{args.connections}, {args.duration}s per row after "
        f"2s of warm-up, on 127.0.0.1, {os.cpu_count()} CPUs; load average before "
        f"{load_before}, after {load_after}; {(time.time() - started) / 60:.1f} minutes."
    )
    print()
    print(
        "| row | what answered | req/s | p50 ms | p99 ms | errors | "
        "node CPU ms/req | X-Cache sample |"
    )
    print("|---|---|---:|---:|---:|---:|---:|---|")
    for name, cached, stats, sample in table:
        served = stats["requests"] if "HIT" not in cached else 0
        per_request = f"{stats['node_cpu_ms'] / served:.2f}" if served else "0 (not asked)"
        xcache = ", ".join(f"{k} {v}/10" for k, v in sorted(sample.items()))
        print(
            f"| {name} | {cached} | {stats['rps']:.0f} | {stats['p50']:.1f} | "
            f"{stats['p99']:.1f} | {stats['errors']} | {per_request} | {xcache} |"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())

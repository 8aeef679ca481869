"""gunicorn settings for `make serve` and production; every value can come from the env.

GUNICORN_BIND      address to listen on (default 127.0.0.1:8000; nginx proxies to it)
GUNICORN_WORKERS   worker processes (default 2 x CPU cores + 1)
GUNICORN_THREADS   threads per worker (default 1: sync workers; >1 switches to gthread)
GUNICORN_TIMEOUT   seconds before a stuck worker is killed and replaced (default 30)
GUNICORN_MAX_REQUESTS  recycle a worker after this many requests (default 0: never)
FORWARDED_ALLOW_IPS    proxies whose X-Forwarded-* headers are trusted (default 127.0.0.1)
"""

import multiprocessing
import os


def _int(name: str, default: int) -> int:
    return int(os.environ.get(name) or default)


bind = os.environ.get("GUNICORN_BIND") or "127.0.0.1:8000"
workers = _int("GUNICORN_WORKERS", multiprocessing.cpu_count() * 2 + 1)
threads = _int("GUNICORN_THREADS", 1)
timeout = _int("GUNICORN_TIMEOUT", 30)
graceful_timeout = _int("GUNICORN_GRACEFUL_TIMEOUT", 30)
keepalive = _int("GUNICORN_KEEPALIVE", 5)
# Recycling a worker bounds the memory a leak could take, but a new worker starts with an
# empty local-memory cache and compiles every template again: at 1,000 requests a second
# a limit of 2,000 recycled each worker every few seconds and gave the slowest requests.
# Worker memory stays flat (docs/performance.md), so the default is never; set a limit
# if a leak ever shows. Jitter keeps workers from restarting together.
max_requests = _int("GUNICORN_MAX_REQUESTS", 0)
max_requests_jitter = max(1, max_requests // 10) if max_requests else 0
# Load Django once in the master; workers share its memory pages.
preload_app = os.environ.get("GUNICORN_PRELOAD", "1") != "0"
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS") or "127.0.0.1"

# Logs on stdout/stderr, one key=value line per request, for the journal or a collector.
accesslog = "-"
errorlog = "-"
loglevel = os.environ.get("GUNICORN_LOG_LEVEL", "info")
access_log_format = (
    'remote=%(h)s method=%(m)s path="%(U)s" query="%(q)s" status=%(s)s '
    'bytes=%(B)s duration_ms=%(M)s referer="%(f)s" agent="%(a)s"'
)
proc_name = "levant24"
# The runtime control socket is off: several instances may run on one machine, and
# process managers (systemd) already handle reloads through signals.
control_socket_disable = True


def on_starting(server):
    """Refuse to start several workers on a per-process cache (see
    levant24.settings.components.per_process_cache_problem)."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "levant24.settings.prod")
    from django.conf import settings

    from levant24.settings.components import per_process_cache_problem

    problem = per_process_cache_problem(
        caches=settings.CACHES,
        workers=server.cfg.workers,
        allowed=getattr(settings, "ALLOW_PER_PROCESS_CACHE", False),
    )
    if problem:
        raise SystemExit(problem)

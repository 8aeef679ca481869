"""Telling the edge to forget pages: by purge key, after the transaction commits.

Code that changes something public calls :func:`purge` with the keys of the pages that
show it. They are sent once the transaction commits: nothing is purged for a write that
rolls back, and a page fetched between the write and the commit is purged too. Sending goes through the backend named by ``EDGE_PURGE_BACKEND``:

``none``
    Development without an edge: nothing to tell.
``varnish``
    One ``PURGE`` request per Varnish server in ``EDGE_PURGE_URLS`` with the keys in an
    ``xkey-purge`` header (our VCL hands them to the xkey module).
``url``
    A JSON ``POST`` of ``{"surrogate_keys": [...]}`` to each of ``EDGE_PURGE_URLS``, with
    ``EDGE_PURGE_TOKEN`` as a bearer token: the shape of the purge-by-tag APIs of CDNs
    (a small relay adapts it to a provider's exact body when needed).

A failed purge never fails the write that caused it: the task is retried with backoff,
and the page ages out within ``PAGE_CACHE_SECONDS`` anyway.
"""

from __future__ import annotations

import json
import logging
import urllib.request
from collections.abc import Iterable
from urllib.error import URLError

from django.conf import settings
from django.utils.module_loading import import_string

from core.tasks import enqueue_after_commit

logger = logging.getLogger(__name__)

BACKENDS = {
    "none": "edge.purge.NoPurge",
    "varnish": "edge.purge.VarnishPurge",
    "url": "edge.purge.UrlPurge",
}
# Keys per request: headers stay well under every proxy's limit.
BATCH = 200


class NoPurge:
    def send(self, keys: list[str]) -> None:
        logger.debug("purge (no edge) keys=%s", " ".join(keys))


class HttpPurge:
    timeout = 3.0

    def __init__(self, urls: list[str] | None = None, token: str | None = None):
        self.urls = list(urls if urls is not None else settings.EDGE_PURGE_URLS)
        self.token = token if token is not None else settings.EDGE_PURGE_TOKEN
        for url in self.urls:
            if not url.startswith(("http://", "https://")):
                raise ValueError(f"purge URL must be http(s): {url!r}")

    def send(self, keys: list[str]) -> None:
        failures = []
        for url in self.urls:
            for start in range(0, len(keys), BATCH):
                try:
                    self.send_batch(url, keys[start : start + BATCH])
                except (OSError, URLError) as exc:
                    failures.append(f"{url}: {exc}")
        if failures:
            raise PurgeFailed("; ".join(failures))

    def send_batch(self, url: str, keys: list[str]) -> None:
        raise NotImplementedError

    def open(self, request: urllib.request.Request) -> None:
        # Only the configured purge endpoints are ever called (settings, not user input).
        with urllib.request.urlopen(request, timeout=self.timeout) as response:  # noqa: S310
            response.read()


class VarnishPurge(HttpPurge):
    def send_batch(self, url: str, keys: list[str]) -> None:
        request = urllib.request.Request(url, method="PURGE")  # noqa: S310 - http(s), checked
        request.add_header("xkey-purge", " ".join(keys))
        self.open(request)


class UrlPurge(HttpPurge):
    def send_batch(self, url: str, keys: list[str]) -> None:
        body = json.dumps({"surrogate_keys": keys}).encode()
        request = urllib.request.Request(url, data=body, method="POST")  # noqa: S310
        request.add_header("Content-Type", "application/json")
        if self.token:
            request.add_header("Authorization", f"Bearer {self.token}")
        self.open(request)


class PurgeFailed(Exception):
    pass


def backend():
    name = settings.EDGE_PURGE_BACKEND
    return import_string(BACKENDS.get(name, name))()


def send(keys: Iterable[str]) -> None:
    """Purge ``keys`` now (the task queue calls this; so does :func:`purge` on commit)."""
    keys = sorted(set(keys))
    if keys:
        backend().send(keys)


def purge(keys: Iterable[str]) -> None:
    """Purge ``keys`` once the current transaction commits, through the task queue (the
    outbox keeps the purge while the broker is down; the task retries while the edge is)."""
    keys = sorted(set(keys))
    if keys and settings.EDGE_PURGE_BACKEND != "none":  # no edge: no task to queue
        from .tasks import purge_keys

        enqueue_after_commit(purge_keys, keys)

"""The address of the reader's machine, for throttles, lockouts and comment records.

Behind a reverse proxy REMOTE_ADDR is the proxy's address. Each trusted proxy appends the
address it saw to X-Forwarded-For, and anything to the left of those entries was written by
the client and may be forged. With ``TRUSTED_PROXY_COUNT = n`` (the number of proxies in
front of gunicorn, nginx alone: 1) the client is the n-th address counted from the right,
REMOTE_ADDR being the first: the rightmost one no trusted proxy vouches for as its own.
"""

from ipaddress import ip_address

from django.conf import settings


def _valid(value: str | None) -> str | None:
    if not value:
        return None
    try:
        return str(ip_address(value.strip()))
    except ValueError:
        return None


def client_ip(request) -> str | None:
    remote = _valid(request.META.get("REMOTE_ADDR"))
    trusted = getattr(settings, "TRUSTED_PROXY_COUNT", 0)
    if trusted <= 0:
        return remote
    forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
    chain = [part for part in forwarded if part] + [request.META.get("REMOTE_ADDR", "")]
    # chain[-1] is the proxy next to us; each trusted proxy adds one entry to the right.
    index = max(len(chain) - 1 - trusted, 0)
    return _valid(chain[index]) or remote

"""One spelling for every old address, so a stored path and a request always compare equal.

An old link may come percent-encoded (as WordPress writes Arabic slugs, in lower case), in
capitals (as browsers encode), or in plain Arabic letters (typed or pasted by hand); with or
without its trailing slash, host or query string. All of them reduce to the decoded path,
lower case, without the trailing slash, followed by the sorted query when there is one.
"""

from urllib.parse import parse_qsl, unquote, urlencode, urlsplit

MAX_LENGTH = 500


def _path(raw_path: str) -> str:
    path = unquote(raw_path or "/", errors="replace").strip()
    if not path.startswith("/"):
        path = "/" + path
    return (path.rstrip("/") or "/").lower()


def _query(pairs) -> str:
    # Plain characters, so "?p=12" and an Arabic query value look the same stored and asked.
    return unquote(urlencode(sorted(pairs)))


def normalize_old_path(value: str) -> str:
    """The stored form of an old address (a full URL, a path, with or without a query)."""
    parts = urlsplit((value or "").strip())
    path = _path(parts.path)
    query = _query(parse_qsl(parts.query, keep_blank_values=True))
    return f"{path}?{query}" if query else path


def lookup_keys(path: str, query_pairs) -> list[str]:
    """The stored forms a request may match: its path, then the path with each single
    query parameter (``/?p=12&utm_source=x`` still finds ``/?p=12``), then the whole query.

    ``path`` is the request's path, which Django has already decoded.
    """
    base = _path(path)
    pairs = list(query_pairs)[:10]
    keys = [base]
    if pairs:
        keys += [f"{base}?{_query([pair])}" for pair in pairs]
        if len(pairs) > 1:
            keys.append(f"{base}?{_query(pairs)}")
    return [key for key in keys if len(key) <= MAX_LENGTH]

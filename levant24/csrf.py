"""CSRF tokens in Django's own format, drawn from the system's random source in one call.

Django's ``get_token`` draws each of the 32 characters of a token's mask (and of a new
secret) with its own call to ``SystemRandom``. A cached page served to a reader who has
no CSRF cookie yet needs a secret and a mask: those 64 calls were a fifth of the time
it took to serve the page. The tokens made here have the same alphabet, length and
masking, so ``CsrfViewMiddleware`` checks them exactly as it checks its own.
"""

from __future__ import annotations

import os

from django.middleware.csrf import CSRF_ALLOWED_CHARS, CSRF_SECRET_LENGTH

_CHARS = CSRF_ALLOWED_CHARS
_INDEX = {char: index for index, char in enumerate(_CHARS)}
# Bytes from 248 up are dropped: keeping them would make the first eight letters of the
# alphabet slightly likelier than the others.
_LIMIT = 256 - 256 % len(_CHARS)


# Byte -> letter, and the bytes to drop, for bytes.translate (one pass in C).
_TO_LETTER = bytes(ord(_CHARS[byte % len(_CHARS)]) for byte in range(256))
_DROPPED = bytes(range(_LIMIT, 256))


def random_string(length: int = CSRF_SECRET_LENGTH) -> str:
    """``length`` characters of the CSRF alphabet, uniformly drawn."""
    drawn = b""
    while len(drawn) < length:
        drawn += os.urandom(length + 8).translate(_TO_LETTER, _DROPPED)
    return drawn[:length].decode("ascii")


def mask_secret(secret: str) -> str:
    """A fresh masked token for ``secret`` (what Django's ``_mask_cipher_secret`` makes)."""
    mask = random_string()
    size = len(_CHARS)
    cipher = "".join(
        _CHARS[(_INDEX[s] + _INDEX[m]) % size] for s, m in zip(secret, mask, strict=False)
    )
    return mask + cipher


def get_token(request) -> str:
    """Django's ``get_token``: the reader's secret (a new one when they have none),
    marked to be sent back in the CSRF cookie, masked afresh."""
    secret = request.META.get("CSRF_COOKIE")
    if secret is None:
        secret = random_string()
        request.META["CSRF_COOKIE"] = secret
    request.META["CSRF_COOKIE_NEEDS_UPDATE"] = True
    return mask_secret(secret)

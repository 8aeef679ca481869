"""Addresses of named URL patterns, remembered per process.

Pages link the same sections, authors and menu entries over and over, and reversing a
pattern costs more than the rest of a link. The URLconf does not change while a process
runs, so each (name, arguments) is reversed once.
"""

import functools

from django.urls import reverse


@functools.lru_cache(maxsize=20_000)
def _reverse(name: str, args: tuple) -> str:
    return reverse(name, args=args)


def link(name: str, *args) -> str:
    """``reverse(name, args=args)``, remembered."""
    return _reverse(name, tuple(str(arg) for arg in args))

"""Database sessions, one query lighter to create.

Django's database store asks whether a new random key is taken before inserting it, then
inserts it with ``must_create`` and tries another key if the insert clashes anyway. The
question is a query for nothing: the insert alone already guarantees the key is unique.
A session is created for every sign-in and for every reader's first comment.
"""

from django.contrib.sessions.backends.base import VALID_KEY_CHARS
from django.contrib.sessions.backends.db import SessionStore as DatabaseSessionStore
from django.utils.crypto import get_random_string


class SessionStore(DatabaseSessionStore):
    def _get_new_session_key(self):
        # create() retries with a new key when the insert finds this one taken.
        return get_random_string(32, VALID_KEY_CHARS)

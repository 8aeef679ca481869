"""Database sessions, one query lighter to create and cheaper to read.

Django's database store asks whether a new random key is taken before inserting it, then
inserts it with ``must_create`` and tries another key if the insert clashes anyway. The
question is a query for nothing: the insert alone already guarantees the key is unique.
A session is created for every sign-in and for every reader's first comment.

Every request with a session cookie reads it: with one hand-written statement
(``core.rawsql``), on the database the router gives sessions (the primary).
"""

import functools

from django.contrib.sessions.backends.base import VALID_KEY_CHARS
from django.contrib.sessions.backends.db import SessionStore as DatabaseSessionStore
from django.utils import timezone
from django.utils.crypto import get_random_string

from core import rawsql


@functools.cache
def _statement(model):
    fields = rawsql.fields(model, ("session_key", "session_data", "expire_date"))
    sql = (
        f'SELECT {rawsql.columns("s", fields)} FROM "{model._meta.db_table}" s '  # noqa: S608
        'WHERE s."session_key" = %s AND s."expire_date" > %s'
    )
    return sql, fields


class SessionStore(DatabaseSessionStore):
    def _get_session_from_db(self):
        sql, fields = _statement(self.model)
        rows, db = rawsql.run(self.model, sql, [self.session_key, timezone.now()], fields)
        if not rows:
            self._session_key = None
            return None
        return rawsql.build(self.model, fields, rows[0], db)

    def _get_new_session_key(self):
        # create() retries with a new key when the insert finds this one taken.
        return get_random_string(32, VALID_KEY_CHARS)

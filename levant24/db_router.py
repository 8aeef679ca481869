"""Read replica routing: reads go to ``replica`` when it is configured, writes to ``default``.

Inside a transaction on ``default`` reads stay there too, so code that writes and then
reads (the admin, services) always sees its own writes despite replication lag.
"""

from django.conf import settings
from django.db import connections

REPLICA = "replica"


class ReplicaRouter:
    def db_for_read(self, model, **hints):
        if REPLICA not in settings.DATABASES:
            return "default"
        if connections["default"].in_atomic_block:
            return "default"
        return REPLICA

    def db_for_write(self, model, **hints):
        return "default"

    def allow_relation(self, obj1, obj2, **hints):
        # Both aliases are the same database, one of them a copy of the other.
        return True

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        return db == "default"

"""Read-only model instances from hand-written SELECT statements, for the hottest reads.

An article page is read in a handful of statements. Through the ORM, compiling each
queryset and building each instance cost more CPU than everything else on the page; here a
statement is written once per process (from the models' own table and column names, every
value a parameter) and its rows become instances without the ORM's machinery:

- ``fields(model, names)``: the model's concrete fields named, in the model's order;
- ``columns(alias, fields)``: their quoted columns for a SELECT list;
- ``run(model, sql, params)``: the rows, from the database the router reads ``model`` from
  (the replica when there is one), with the values converted as the ORM converts them;
- ``build(model, fields, values, db)``: an instance holding just those fields, as
  ``.only()`` would give (a missing field is loaded on access), without ``post_init``
  signals: instances built here are for showing, never for saving.
"""

from __future__ import annotations

import datetime
import functools

from django.db import connections, router
from django.db.models.base import ModelState


@functools.cache
def fields(model, names: tuple[str, ...]) -> tuple:
    wanted = {model._meta.get_field(name).attname for name in names}
    return tuple(f for f in model._meta.concrete_fields if f.attname in wanted)


def columns(alias: str, model_fields) -> str:
    return ", ".join(f'"{alias}"."{field.column}"' for field in model_fields)


@functools.cache
def _converters(alias: str, model_fields: tuple) -> list:
    """(position, converter, expression) for each value of a row that needs converting on
    database ``alias`` (SQLite's text dates and integer booleans; PostgreSQL's need none)."""
    connection = connections[alias]
    found = []
    for position, field in enumerate(model_fields):
        if field is None:
            continue  # a column of the statement's own (a label, a count)
        expression = field.get_col(field.model._meta.db_table)
        for converter in (
            *connection.ops.get_db_converters(expression),
            *field.get_db_converters(connection),
        ):
            found.append((position, converter, expression))
    return found


def run(model, sql: str, params, model_fields: tuple) -> tuple[list[list], str]:
    """The rows of ``sql``, each value converted as its field converts it:
    ``model_fields`` says which field each selected column is (None: leave it as read)."""
    db = router.db_for_read(model)
    connection = connections[db]
    # Dates as the ORM writes them (SQLite compares them as text).
    adapt = connection.ops.adapt_datetimefield_value
    if isinstance(params, dict):
        params = {k: adapt(v) if isinstance(v, datetime.datetime) else v for k, v in params.items()}
    else:
        params = [adapt(v) if isinstance(v, datetime.datetime) else v for v in params]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    converters = _converters(db, model_fields)
    if converters:
        converted = []
        for row in rows:
            row = list(row)
            for position, converter, expression in converters:
                row[position] = converter(row[position], expression, connection)
            converted.append(row)
        rows = converted
    return rows, db


def build(model, model_fields, values, db: str):
    instance = model.__new__(model)
    instance.__dict__.update(zip((f.attname for f in model_fields), values, strict=True))
    state = instance._state = ModelState()
    state.adding = False
    state.db = db
    return instance


@functools.cache
def _row_statement(model) -> tuple[str, tuple]:
    every = tuple(model._meta.concrete_fields)
    table = model._meta.db_table
    pk = model._meta.pk.column
    # Names from the model's own definition only; the value is a parameter.
    sql = f'SELECT {columns("t", every)} FROM "{table}" t WHERE t."{pk}" = %s'  # noqa: S608
    return sql, every


def get(model, pk, *, signals: bool = False):
    """The row ``pk`` of ``model`` with every column, or None: the one-row settings models
    that every page reads, the signed-in user of every request. ``signals``: built as the
    ORM builds it (``from_db``, ``post_init``), for an instance that may be saved."""
    sql, every = _row_statement(model)
    rows, db = run(model, sql, [model._meta.pk.to_python(pk)], every)
    if not rows:
        return None
    if signals:
        return model.from_db(db, [field.attname for field in every], rows[0])
    return build(model, every, rows[0], db)

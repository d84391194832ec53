"""A new row and the rows that belong to it, written by one statement on PostgreSQL.

Each INSERT is compiled by Django's ORM (its columns, defaults and conversions, as `save()` and `bulk_create()`
would write them) and becomes a data-modifying WITH query of one statement; the children's foreign key is the
parent's new id (`RETURNING id`). The statement commits on its own outside a transaction: all rows or none. One
round trip instead of one per INSERT plus BEGIN and COMMIT; under ASGI each round trip also costs the request's
thread a wait for the interpreter lock (README, "Performance").
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterator, Sequence
from typing import Any

import psycopg
from django.db import connection
from django.db.models import AutoField, Field, Model
from django.db.models.expressions import RawSQL
from django.db.models.sql import InsertQuery

_NEW_ID = RawSQL("SELECT id FROM new_row", ())


# Compiled INSERTs by shape: (model, RETURNING id or not, which values are the parent's new id) -> SQL. The values
# of a new row change, the SQL of its shape does not: compiling it again through the ORM was a third of a new case's
# Python time. Only shapes the compiler writes one placeholder per value for (one row, or rows that each refer to
# the parent) are kept; others are compiled every time. tests/cases/test_intake_writes.py checks both give the same.
_compiled: dict[tuple[Any, ...], str] = {}
_KEPT_SHAPES = 1000  # reports have a few dozen shapes (numbers of links, platforms, consents...); a bound all the same


def _insert_fields(model: type[Model], objs: Sequence[Model]) -> list[Field[Any, Any]]:
    return [
        field
        for field in model._meta.concrete_fields
        if not field.generated and not (isinstance(field, AutoField) and objs[0].pk is None)
    ]


def _compile(model: type[Model], objs: Sequence[Model], fields: list[Field[Any, Any]], *, returning: bool) -> Any:
    query = InsertQuery(model)
    query.insert_values(fields, list(objs))
    compiler = query.get_compiler(connection=connection)
    if returning:
        compiler.returning_fields = [model._meta.pk]
    [(sql, params)] = compiler.as_sql()
    return sql, params


def _insert_sql(model: type[Model], objs: Sequence[Model], *, returning: bool) -> tuple[str, tuple[Any, ...]]:
    fields = _insert_fields(model, objs)
    values = [[field.pre_save(obj, True) for field in fields] for obj in objs]
    new_ids = tuple(value is _NEW_ID for row in values for value in row)
    keep = (len(objs) == 1 or all(any(value is _NEW_ID for value in row) for row in values)) and not any(
        hasattr(value, "resolve_expression") and value is not _NEW_ID for row in values for value in row
    )
    key = (model, returning, len(objs), new_ids)
    sql = _compiled.get(key) if keep else None
    if sql is None:
        sql, params = _compile(model, objs, fields, returning=returning)
        if keep and not any(hasattr(field, "get_placeholder") for field in fields):
            if len(_compiled) >= _KEPT_SHAPES:
                _compiled.clear()
            _compiled[key] = sql
        return sql, params
    return sql, tuple(
        field.get_db_prep_save(value, connection=connection)
        for row in values
        for field, value in zip(fields, row, strict=True)
        if value is not _NEW_ID
    )


# The joined statement with PostgreSQL's own placeholders ($1, $2...), by the statement with Django's (%s). psycopg
# converts %s placeholders by splitting the query text, and caches the result only for statements under 4 kB and 50
# values: a new case's statement is longer, and was split again for every report (a tenth of its Python time).
_native: dict[str, str | None] = {}
_PLACEHOLDER = re.compile(r"%[s%]|%")


def _native_statement(statement: str) -> str | None:
    """`statement` with $n placeholders, or None when it holds a `%` that is not a placeholder or `%%`."""
    if statement not in _native:
        if len(_native) >= _KEPT_SHAPES:
            _native.clear()
        numbers = itertools.count(1)
        try:
            _native[statement] = _PLACEHOLDER.sub(lambda match: _native_part(match.group(), numbers), statement)
        except ValueError:
            _native[statement] = None
    return _native[statement]


def _native_part(found: str, numbers: Iterator[int]) -> str:
    if found == "%s":
        return f"${next(numbers)}"
    if found == "%%":
        return "%"
    raise ValueError(found)


def _native_cursor() -> Any:
    """A cursor that sends the query as it is, with its values bound by the server (psycopg's RawCursor), wrapped
    as Django wraps its own cursors (errors, query logging in tests and with DEBUG)."""
    connection.ensure_connection()
    raw = psycopg.RawCursor(connection.connection)
    wrap = connection.make_debug_cursor if connection.queries_logged else connection.make_cursor
    return wrap(raw)  # type: ignore[arg-type] # the stubs say a wrapper; Django wraps the driver's cursor


def insert_with_children(parent: Model, children: Sequence[tuple[str | None, Sequence[Model]]]) -> None:
    """INSERT `parent` and each group of children (the name of their foreign key to it, or None for rows that do not
    refer to it; the rows) in one statement; sets the parent's primary key. PostgreSQL only."""
    sql, parameters = _insert_sql(type(parent), [parent], returning=True)
    queries, values = [f"new_row AS ({sql})"], list(parameters)
    for index, (foreign_key, rows) in enumerate(group for group in children if group[1]):
        if foreign_key is not None:
            for row in rows:
                setattr(row, foreign_key, _NEW_ID)
        sql, parameters = _insert_sql(type(rows[0]), rows, returning=False)
        queries.append(f"child_{index} AS ({sql})")
        values += parameters
    # The ORM's own SQL, joined; every value travels as a parameter.
    statement = "WITH " + ", ".join(queries) + " SELECT id FROM new_row"  # noqa: S608
    native = _native_statement(statement)
    with _native_cursor() if native else connection.cursor() as cursor:
        cursor.execute(native or statement, values)
        (parent.pk,) = cursor.fetchone() or (None,)
    parent._state.adding = False
    parent._state.db = connection.alias

"""A new row and the rows that belong to it, written by one statement on PostgreSQL.

Each INSERT is compiled by Django's ORM (its columns, defaults and conversions, as `save()` and `bulk_create()`
would write them) and becomes a data-modifying WITH query of one statement; the children's foreign key is the
parent's new id (`RETURNING id`). The statement commits on its own outside a transaction: all rows or none. One
round trip instead of one per INSERT plus BEGIN and COMMIT; under ASGI each round trip also costs the request's
thread a wait for the interpreter lock (README, "Performance").
"""

from collections.abc import Sequence
from typing import Any

from django.db import connection
from django.db.models import AutoField, Model
from django.db.models.expressions import RawSQL
from django.db.models.sql import InsertQuery

_NEW_ID = RawSQL("SELECT id FROM new_row", ())


def _insert_sql(model: type[Model], objs: Sequence[Model], *, returning: bool) -> tuple[str, tuple[Any, ...]]:
    fields = [
        field
        for field in model._meta.concrete_fields
        if not field.generated and not (isinstance(field, AutoField) and objs[0].pk is None)
    ]
    query = InsertQuery(model)
    query.insert_values(fields, list(objs))
    compiler = query.get_compiler(connection=connection)
    if returning:
        compiler.returning_fields = [model._meta.pk]
    [(sql, params)] = compiler.as_sql()
    return sql, params


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
    with connection.cursor() as cursor:
        cursor.execute(statement, values)
        (parent.pk,) = cursor.fetchone() or (None,)
    parent._state.adding = False
    parent._state.db = connection.alias

"""Rows by key without the ORM's query compiler, for reads on every uncached page.

Building and compiling a queryset costs 0.2–0.4 ms (more with `select_related`); the same
row through `Model.objects.raw` on a statement written once per model costs ~0.1 ms and
still applies the database's value converters. Related objects are attached by the
callers, mostly from values already held in memory (the channel list).
"""

from functools import cache
from typing import TypeVar

from django.db import connection
from django.db.models import Field, Model

M = TypeVar("M", bound=Model)


@cache
def _select_sql(
    model: type[Model], column: str, vendor: str, order_by: str, only: tuple[str, ...]
) -> str:
    quote = connection.ops.quote_name
    fields = [model._meta.get_field(name) for name in only] if only else None
    if fields is not None and model._meta.pk not in fields:
        fields.insert(0, model._meta.pk)  # raw() needs the primary key
    columns = ", ".join(quote(field.column) for field in (fields or model._meta.concrete_fields))
    order = f" ORDER BY {order_by}" if order_by else ""
    return f"SELECT {columns} FROM {quote(model._meta.db_table)} WHERE {quote(column)} = %s{order}"


def rows_where(
    model: type[Model],
    column: str,
    value: object,
    *,
    order_by: str = "",
    only: tuple[str, ...] = (),
) -> list:
    """Every row of `model` whose `column` (a database column name) equals `value`, as
    model instances (with only the `only` fields loaded, when given; others are deferred);
    `order_by` is raw SQL over column names."""
    sql = _select_sql(model, column, connection.vendor, order_by, only)
    return list(model.objects.raw(sql, [value]))


def row_by_pk(model: type[M], pk: object) -> M | None:
    """One full row by primary key, or None."""
    rows = rows_where(model, model._meta.pk.column, pk)
    return rows[0] if rows else None


def converted_rows(sql: str, params: list, fields: list[Field | None]) -> list[tuple]:
    """Run `sql` and convert each column as the ORM would for the model field in the same
    position of `fields` (None: as the driver returns it): datetimes from SQLite's text,
    JSON from text, and so on."""
    columns = []
    for field in fields:
        if field is None:
            columns.append(())
            continue
        column = field.get_col(field.model._meta.db_table)
        columns.append(
            (
                column,
                [*connection.ops.get_db_converters(column), *column.get_db_converters(connection)],
            )
        )
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        raw = cursor.fetchall()
    rows = []
    for values in raw:
        row = list(values)
        for position, found in enumerate(columns):
            if found:
                column, converters = found
                for converter in converters:
                    row[position] = converter(row[position], column, connection)
        rows.append(tuple(row))
    return rows

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
    converters = _converters(tuple(fields), connection.vendor)
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        raw = cursor.fetchall()
    if not converters:
        return raw
    rows = []
    for values in raw:
        row = list(values)
        for position, column, convert in converters:
            row[position] = convert(row[position], column, connection)
        rows.append(tuple(row))
    return rows


@cache
def _converters(fields: tuple[Field | None, ...], vendor: str) -> list[tuple]:
    """(position, column, converter) for every conversion `fields` need, in order."""
    found = []
    for position, field in enumerate(fields):
        if field is None:
            continue
        column = field.get_col(field.model._meta.db_table)
        for convert in [
            *connection.ops.get_db_converters(column),
            *column.get_db_converters(connection),
        ]:
            found.append((position, column, convert))
    return found


def row_with_parent(model: type[M], pk: object, parent_field: str) -> M | None:
    """One full row by primary key with the full row its foreign key `parent_field` points
    to (what `select_related` gives), in one query."""
    foreign_key = model._meta.get_field(parent_field)
    parent = foreign_key.related_model
    sql, fields = _with_parent_sql(model, parent_field, connection.vendor)
    rows = converted_rows(sql, [pk], fields)
    if not rows:
        return None
    width = len(model._meta.concrete_fields)
    alias = connection.alias
    row = model.from_db(alias, [f.attname for f in model._meta.concrete_fields], rows[0][:width])
    setattr(
        row,
        parent_field,
        parent.from_db(alias, [f.attname for f in parent._meta.concrete_fields], rows[0][width:]),
    )
    return row


@cache
def _with_parent_sql(model: type[Model], parent_field: str, vendor: str) -> tuple[str, list]:
    quote = connection.ops.quote_name
    foreign_key = model._meta.get_field(parent_field)
    parent = foreign_key.related_model
    columns = [f"c.{quote(f.column)}" for f in model._meta.concrete_fields]
    columns += [f"p.{quote(f.column)}" for f in parent._meta.concrete_fields]
    sql = (
        f"SELECT {', '.join(columns)} FROM {quote(model._meta.db_table)} c"
        f" JOIN {quote(parent._meta.db_table)} p"
        f" ON p.{quote(parent._meta.pk.column)} = c.{quote(foreign_key.column)}"
        f" WHERE c.{quote(model._meta.pk.column)} = %s"
    )
    return sql, [*model._meta.concrete_fields, *parent._meta.concrete_fields]

"""Fast bulk inserts: executemany without building model instances (demo data, batch imports).

bulk_create spends most of its time compiling SQL and preparing each value through the
field; generated rows are already clean, so only dates and datetimes need adapting.
"""

from collections.abc import Iterable, Sequence

from django.db import connection, models
from django.db.models import Max


def insert_rows(
    model: type[models.Model], fields: Sequence[str], rows: Iterable[Sequence], *, ids: bool = False
) -> list[int]:
    """Insert `rows` (values in `fields` order) into `model`'s table in one executemany.

    With ids=True, returns the new primary keys in row order; the caller must be the only
    writer to this table meanwhile (true for the demo builder, which needs an empty site).
    """
    meta = model._meta
    adapters = []
    for name in fields:
        field = meta.get_field(name)
        if isinstance(field, models.JSONField):
            adapters.append(lambda value, field=field: field.get_db_prep_save(value, connection))
        elif isinstance(field, models.DateTimeField):
            adapters.append(connection.ops.adapt_datetimefield_value)
        elif isinstance(field, models.DateField):
            adapters.append(connection.ops.adapt_datefield_value)
        else:
            adapters.append(None)
    adapted = [
        tuple(
            value if adapt is None or value is None else adapt(value)
            for adapt, value in zip(adapters, row, strict=True)
        )
        for row in rows
    ]
    if not adapted:
        return []
    quote = connection.ops.quote_name
    columns = ", ".join(quote(meta.get_field(name).column) for name in fields)
    placeholders = ", ".join(["%s"] * len(fields))
    sql = f"INSERT INTO {quote(meta.db_table)} ({columns}) VALUES ({placeholders})"
    before = (model.objects.aggregate(top=Max("pk"))["top"] or 0) if ids else 0
    with connection.cursor() as cursor:
        cursor.executemany(sql, adapted)
    if not ids:
        return []
    new_ids = list(model.objects.filter(pk__gt=before).order_by("pk").values_list("pk", flat=True))
    if len(new_ids) != len(adapted):
        raise RuntimeError(f"{meta.db_table}: another writer inserted rows during the build")
    return new_ids

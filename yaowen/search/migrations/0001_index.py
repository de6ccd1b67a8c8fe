"""Create the full-text index over published articles' segmented words."""

from django.db import migrations

from yaowen.search.schema import statements


def create(apps, schema_editor) -> None:
    for sql in statements(schema_editor.connection.vendor, "create"):
        schema_editor.execute(sql)


def drop(apps, schema_editor) -> None:
    for sql in statements(schema_editor.connection.vendor, "drop"):
        schema_editor.execute(sql)


class Migration(migrations.Migration):
    dependencies = [("analysis", "0001_initial")]

    operations = [migrations.RunPython(create, drop)]

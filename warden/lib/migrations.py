"""Helpers for migrations that must not rebuild a table.

``drop_covered_indexes`` turns off ``db_index`` on foreign keys whose own index is covered by
a composite index that starts with the same column. Every extra index costs each insert,
and each update that is not HOT (one that changes an indexed column, such as a delivery's
state), an entry: on the queue's hot tables that is measurable. Django would alter the
field, which on SQLite rebuilds the table (and drops its triggers); this drops just the
index, found by introspection, on both databases.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.db import migrations


def single_column_indexes(connection: Any, table: str, column: str) -> list[str]:
    """The names of the plain (not unique) indexes on ``table`` of ``column`` alone."""
    with connection.cursor() as cursor:
        constraints = connection.introspection.get_constraints(cursor, table)
    return sorted(
        name
        for name, info in constraints.items()
        if info["index"]
        and not info["unique"]
        and not info["primary_key"]
        and info["columns"] == [column]
    )


def drop_covered_indexes(app_label: str, fields: dict[str, Sequence[str]]) -> migrations.RunPython:
    """In the database, DROP INDEX of each field's single-column indexes (on PostgreSQL a
    character key also has a ``_like`` one); ``fields`` maps model names to field names.
    Reversed, the field's indexes are created again. The migration's state operations
    (``SeparateDatabaseAndState``) set ``db_index=False`` on the same fields."""

    def forwards(apps: Any, schema_editor: Any) -> None:
        for model_name, names in fields.items():
            model = apps.get_model(app_label, model_name)
            for name in names:
                column = model._meta.get_field(name).column
                table = model._meta.db_table
                for index in single_column_indexes(schema_editor.connection, table, column):
                    schema_editor.execute(f"DROP INDEX {schema_editor.quote_name(index)}")

    def backwards(apps: Any, schema_editor: Any) -> None:
        for model_name, names in fields.items():
            model = apps.get_model(app_label, model_name)
            for name in names:
                field = model._meta.get_field(name)
                field.db_index = True
                for statement in schema_editor._field_indexes_sql(model, field):
                    schema_editor.execute(statement)

    return migrations.RunPython(forwards, backwards)

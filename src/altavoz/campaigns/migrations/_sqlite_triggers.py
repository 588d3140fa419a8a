"""SQLite rebuilds a table to add a NOT NULL column (Django's "remake table"), and the
rebuilt table has none of the old one's triggers: a migration that adds such a column to
the signature table after 0011 puts the counting triggers back (IF NOT EXISTS: a no-op
where they survived). PostgreSQL adds columns in place and keeps its trigger."""

import importlib

COUNTING = importlib.import_module("altavoz.campaigns.migrations.0011_signature_count")


def counting_triggers_again(apps, schema_editor) -> None:
    if schema_editor.connection.vendor != "sqlite":
        return
    with schema_editor.connection.cursor() as cursor:
        for statement in COUNTING.SQLITE:
            cursor.execute(statement.replace("CREATE TRIGGER ", "CREATE TRIGGER IF NOT EXISTS ", 1))

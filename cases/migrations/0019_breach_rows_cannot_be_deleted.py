"""The breach register keeps every row: on PostgreSQL the database itself refuses to delete one.

The ORM already refuses (cases.models.Breach); this stops a raw DELETE or a cascade too. It is a row trigger on
DELETE, so TRUNCATE (what a test run or `manage.py flush` uses on PostgreSQL) still empties a test database. SQLite,
the development default, has no such distinction (`flush` deletes row by row), so it gets no trigger there. Triggers
are vendor-specific SQL, so this runs as Python; it changes no table's columns.
"""

from django.db import migrations

TABLES = ("cases_breach", "cases_breachmeasure")

POSTGRES_FUNCTION = """
CREATE OR REPLACE FUNCTION hotline_refuse_delete() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'rows of % cannot be deleted (breach register)', TG_TABLE_NAME;
END;
$$ LANGUAGE plpgsql;
"""


def create_triggers(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(POSTGRES_FUNCTION, params=None)  # the % is PL/pgSQL's, not a placeholder
        for table in TABLES:
            schema_editor.execute(
                f"CREATE TRIGGER {table}_no_delete BEFORE DELETE ON {table} "
                "FOR EACH ROW EXECUTE FUNCTION hotline_refuse_delete()"
            )


def drop_triggers(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    for table in TABLES:
        if vendor == "postgresql":
            schema_editor.execute(f"DROP TRIGGER IF EXISTS {table}_no_delete ON {table}")
    if vendor == "postgresql":
        schema_editor.execute("DROP FUNCTION IF EXISTS hotline_refuse_delete()")


class Migration(migrations.Migration):
    dependencies = [("cases", "0018_remove_case_consent_booleans")]

    operations = [migrations.RunPython(create_triggers, drop_triggers)]

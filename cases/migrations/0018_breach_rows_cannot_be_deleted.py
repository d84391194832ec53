"""The breach register keeps every row: the database itself refuses to delete one (PostgreSQL and SQLite).

The ORM already refuses (cases.models.Breach); this stops a raw DELETE or a cascade too. Triggers are created with
vendor-specific SQL, so this runs as Python; it changes no table's columns.
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
        schema_editor.execute(POSTGRES_FUNCTION)
        for table in TABLES:
            schema_editor.execute(
                f"CREATE TRIGGER {table}_no_delete BEFORE DELETE ON {table} "
                "FOR EACH ROW EXECUTE FUNCTION hotline_refuse_delete()"
            )
    elif vendor == "sqlite":
        for table in TABLES:
            schema_editor.execute(
                f"CREATE TRIGGER {table}_no_delete BEFORE DELETE ON {table} "
                f"BEGIN SELECT RAISE(ABORT, 'rows of {table} cannot be deleted (breach register)'); END"
            )


def drop_triggers(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    for table in TABLES:
        if vendor == "postgresql":
            schema_editor.execute(f"DROP TRIGGER IF EXISTS {table}_no_delete ON {table}")
        elif vendor == "sqlite":
            schema_editor.execute(f"DROP TRIGGER IF EXISTS {table}_no_delete")
    if vendor == "postgresql":
        schema_editor.execute("DROP FUNCTION IF EXISTS hotline_refuse_delete()")


class Migration(migrations.Migration):
    dependencies = [("cases", "0017_remove_case_consent_booleans")]

    operations = [migrations.RunPython(create_triggers, drop_triggers)]

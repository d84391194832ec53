from django.db import migrations

from cases.roles import sync_roles_in_migration


class Migration(migrations.Migration):
    dependencies = [("cases", "0019_breach_rows_cannot_be_deleted")]
    operations = [migrations.RunPython(sync_roles_in_migration, migrations.RunPython.noop)]

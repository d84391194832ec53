from django.db import migrations

from cases.roles import sync_roles_in_migration


class Migration(migrations.Migration):
    dependencies = [("cases", "0006_units_audit_legal_hold")]
    operations = [migrations.RunPython(sync_roles_in_migration, migrations.RunPython.noop)]

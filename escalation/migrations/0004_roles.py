from django.db import migrations

from cases.roles import sync_roles_in_migration


class Migration(migrations.Migration):
    dependencies = [
        ("escalation", "0003_escalations"),
        ("cases", "0003_roles"),
    ]
    operations = [migrations.RunPython(sync_roles_in_migration, migrations.RunPython.noop)]

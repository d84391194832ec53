from django.contrib.auth.management import create_permissions
from django.db import migrations

from cases.roles import sync_roles


def sync_escalation_roles(apps, schema_editor):
    # Permissions are normally created after all migrations; the role groups need the escalation ones now.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    sync_roles(apps.get_model("auth", "Group"), apps.get_model("auth", "Permission"))


class Migration(migrations.Migration):
    dependencies = [
        ("escalation", "0003_escalations"),
        ("cases", "0003_roles"),
    ]
    operations = [migrations.RunPython(sync_escalation_roles, migrations.RunPython.noop)]

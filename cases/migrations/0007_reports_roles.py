from django.contrib.auth.management import create_permissions
from django.db import migrations

from cases.roles import sync_roles


def sync_reports_roles(apps, schema_editor):
    # Permissions are normally created after all migrations; supervisors need set_legal_hold and view_reports now.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    sync_roles(apps.get_model("auth", "Group"), apps.get_model("auth", "Permission"))


class Migration(migrations.Migration):
    dependencies = [("cases", "0006_units_audit_legal_hold")]
    operations = [migrations.RunPython(sync_reports_roles, migrations.RunPython.noop)]

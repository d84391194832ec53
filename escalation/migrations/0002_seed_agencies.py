from django.db import migrations

from escalation.catalog import seed_agencies


def seed(apps, schema_editor):
    seed_agencies(apps.get_model("escalation", "Agency"))


class Migration(migrations.Migration):
    dependencies = [("escalation", "0001_initial")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]

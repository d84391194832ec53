from django.db import migrations

from cases.catalog import seed_catalog


def seed(apps, schema_editor):
    seed_catalog(apps.get_model("cases", "Category"), apps.get_model("cases", "Platform"))


class Migration(migrations.Migration):
    dependencies = [("cases", "0001_initial")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]

"""The directory's rows: the children's-affairs office, the communes' People's Committees (for the units already
loaded), and which bodies are notified by phone only.

Data only, in a migration of its own: on PostgreSQL, rows written in the same migration as an index on their table
leave trigger events pending and the index cannot be created ("pending trigger events").
"""

from django.db import migrations

from escalation.catalog import seed_agencies, seed_commune_committees


def seed(apps, schema_editor):
    Agency = apps.get_model("escalation", "Agency")
    seed_agencies(Agency)
    seed_commune_committees(Agency, apps.get_model("cases", "AdministrativeUnit"))
    # The national lines and the People's Committees are notified by phone, not through the liaison portal.
    Agency.objects.filter(code__in=["tong-dai-111", "cong-an-113"]).update(receives_escalations=False)
    Agency.objects.filter(kind="local_government").update(receives_escalations=False)


class Migration(migrations.Migration):
    dependencies = [("escalation", "0007_agencies_reached_by_phone")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("cases", "0017_consent_records_from_case_booleans")]

    operations = [
        migrations.RemoveField(
            model_name='case',
            name='child_consent',
        ),
        migrations.RemoveField(
            model_name='case',
            name='guardian_consent',
        ),
    ]

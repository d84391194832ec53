"""The two consent booleans a case had become Consent records (data only; the booleans go in 0018).

The old boxes meant "may be shared with the police or authorities": each becomes two records, share with the police
and share with the information department, given when the case was received. A case recorded by phone had its boxes
ticked by the counsellor who took the call, so those records say "phone"; the others came from the web form or the
app. A web-form guardian record does not count for a child's escalation (see escalation/consent.py): anyone can tick
that box, so a counsellor must confirm it with the guardian.
"""

from django.db import migrations
from django.db.models import Q

SCOPES = ("share_police", "share_information")


def booleans_to_records(apps, schema_editor):
    Case = apps.get_model("cases", "Case")
    Consent = apps.get_model("cases", "Consent")
    rows = []
    cases = Case.objects.filter(Q(child_consent=True) | Q(guardian_consent=True), purged_at__isnull=True).values_list("id", "age_band", "channel", "created_at", "child_consent", "guardian_consent")
    for case_id, age_band, channel, created_at, child, guardian in cases.iterator():
        how = "phone" if channel == "phone" else "web_form"
        for given, who in ((child, "young_person"), (guardian, "guardian")):
            if given:
                rows.extend(
                    Consent(
                        case_id=case_id, given_by=who, age_band=age_band, scope=scope, channel=how, granted_at=created_at
                    )
                    for scope in SCOPES
                )
    Consent.objects.bulk_create(rows, batch_size=500)


def records_to_booleans(apps, schema_editor):
    Case = apps.get_model("cases", "Case")
    Consent = apps.get_model("cases", "Consent")
    active = Consent.objects.filter(withdrawn_at__isnull=True, scope="share_police")
    Case.objects.filter(id__in=active.filter(given_by="young_person").values("case_id")).update(child_consent=True)
    Case.objects.filter(id__in=active.filter(given_by="guardian").values("case_id")).update(guardian_consent=True)


class Migration(migrations.Migration):
    dependencies = [("cases", "0016_consent_data_requests_breach_register")]

    operations = [migrations.RunPython(booleans_to_records, records_to_booleans)]

"""The data migration that turns the old consent booleans into Consent records (0016), run for real."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

from tests.conftest import seed_reference_data

BEFORE = ("cases", "0016_consent_data_requests_breach_register")
AFTER = ("cases", "0017_consent_records_from_case_booleans")


def latest():
    """The app's newest migration, whatever it is: migrating back to anything older would leave later tables out."""
    loader = MigrationExecutor(connection).loader
    loader.build_graph()
    (leaf,) = loader.graph.leaf_nodes("cases")
    return leaf


def migrate(target):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate([target])
    return executor.loader.project_state([target]).apps


@pytest.mark.django_db(transaction=True)
def test_the_booleans_become_records_of_whose_they_were():
    seed_reference_data()
    try:
        apps = migrate(BEFORE)
        Case = apps.get_model("cases", "Case")
        category = apps.get_model("cases", "Category").objects.get(code="CBH")
        now = timezone.now()

        def case(reference, **fields):
            return Case.objects.create(
                reference=reference, access_code_hash="x", category=category, created_at=now, **fields
            )

        web = case("AAAA-2222", child_consent=True, guardian_consent=True, age_band="13_15")
        phone = case("AAAA-3333", guardian_consent=True, channel="phone")
        case("AAAA-4444")
        apps = migrate(AFTER)
        Consent = apps.get_model("cases", "Consent")
        rows = set(Consent.objects.values_list("case_id", "given_by", "scope", "channel", "age_band"))
        assert rows == {
            (web.pk, "young_person", "share_police", "web_form", "13_15"),
            (web.pk, "young_person", "share_information", "web_form", "13_15"),
            (web.pk, "guardian", "share_police", "web_form", "13_15"),
            (web.pk, "guardian", "share_information", "web_form", "13_15"),
            (phone.pk, "guardian", "share_police", "phone", "unknown"),
            (phone.pk, "guardian", "share_information", "phone", "unknown"),
        }
        assert set(Consent.objects.values_list("granted_at", flat=True)) == {now}
    finally:
        migrate(latest())

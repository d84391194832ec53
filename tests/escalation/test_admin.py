"""Agencies and liaisons are edited in the admin; escalations are only read there."""

import pytest
from django.contrib.auth.models import User

from escalation.models import Agency, EscalationState
from tests.escalation.factories import make_escalation
from tests.factories import verified_login

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client):
    verified_login(client, User.objects.create_superuser("root", password="a-long-test-password"))
    return client


def test_agencies_with_their_dates_are_edited_in_the_admin(admin_client):
    assert admin_client.get("/admin/escalation/agency/").status_code == 200
    agency = Agency.objects.get(code="so-tttt-bac-ninh")
    page = admin_client.get(f"/admin/escalation/agency/{agency.pk}/change/").content.decode()
    assert 'name="valid_until"' in page and 'name="superseded_by"' in page
    assert admin_client.get("/admin/escalation/liaison/").status_code == 200


def test_an_escalation_is_read_only_in_the_admin_and_shows_its_packet(admin_client, operator, supervisor):
    escalation = make_escalation(EscalationState.SENT, operator=operator, supervisor=supervisor)
    assert admin_client.get("/admin/escalation/escalation/").status_code == 200
    page = admin_client.get(f"/admin/escalation/escalation/{escalation.pk}/change/").content.decode()
    assert escalation.packet_sha256 in page and escalation.case.reference in page
    assert 'name="agency_reference"' not in page  # no editable fields
    assert admin_client.get("/admin/escalation/escalation/add/").status_code == 403
    response = admin_client.post(f"/admin/escalation/escalation/{escalation.pk}/change/", {"agency_reference": "x"})
    assert response.status_code == 403

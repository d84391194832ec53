"""Role groups hold the escalation permissions; the demo data holds escalations to both agencies."""

from io import StringIO

import pytest
from django.contrib.auth.models import Group, Permission, User
from django.core.management import call_command
from django.utils import timezone

from cases import roles
from escalation.models import Escalation, EscalationState
from escalation.packet import fingerprint
from tests.escalation.factories import INFO_DEPT, POLICE
from tests.factories import verified_login

pytestmark = pytest.mark.django_db


def test_every_role_permission_exists_after_the_migrations():
    for names in roles.ROLE_PERMISSIONS.values():
        for name in names:
            app_label, codename = name.split(".")
            assert Permission.objects.filter(content_type__app_label=app_label, codename=codename).exists(), name


def permissions_of(role):
    return {f"{p.content_type.app_label}.{p.codename}" for p in Group.objects.get(name=role).permissions.all()}


def test_the_role_groups_hold_the_escalation_permissions():
    assert "escalation.prepare_escalation" in permissions_of(roles.OPERATOR)
    assert "escalation.approve_escalation" not in permissions_of(roles.OPERATOR)
    assert {"escalation.prepare_escalation", "escalation.approve_escalation"} <= permissions_of(roles.SUPERVISOR)
    # A liaison acts for an agency and sees nothing of the hotline's cases.
    assert permissions_of(roles.LIAISON) == {"escalation.act_as_liaison"}


def test_the_demo_holds_escalations_to_both_agencies_in_several_states(settings, client):
    settings.DEBUG = True
    call_command("load_demo", stdout=StringIO())
    assert set(Escalation.objects.values_list("agency__code", "state")) == {
        (POLICE, EscalationState.SENT),
        (POLICE, EscalationState.IN_PROGRESS),
        (INFO_DEPT, EscalationState.INFO_REQUESTED),
        (INFO_DEPT, EscalationState.COMPLETED),
    }
    awaiting = Escalation.objects.get(state=EscalationState.SENT)
    assert awaiting.priority == 1 and awaiting.consent_basis == "override"
    question = Escalation.objects.get(state=EscalationState.INFO_REQUESTED)
    assert all(link.takedown_overdue for link in question.links.all())
    # Clocks set back for the demo keep the packet and its fingerprint consistent.
    for escalation in Escalation.objects.all():
        assert fingerprint(escalation.packet) == escalation.packet_sha256
        assert escalation.packet["sent_at"] == timezone.localtime(escalation.sent_at).isoformat()
    verified_login(client, User.objects.get(username="police"))
    assert len(client.get("/liaison/").context["escalations"]) == 2
    verified_login(client, User.objects.get(username="infodept"))
    assert len(client.get("/liaison/").context["escalations"]) == 1

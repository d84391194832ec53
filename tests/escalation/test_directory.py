"""The agency directory: the children's-affairs office and one People's Committee per commune or ward."""

import datetime

import pytest
from django.core.management import call_command

from escalation.forms import EscalationForm, ReferralForm
from escalation.models import Agency, AgencyKind
from tests.factories import make_case

pytestmark = pytest.mark.django_db


def test_the_childrens_affairs_office_is_the_department_of_health_since_march_2025():
    office = Agency.objects.get(kind=AgencyKind.CHILD_PROTECTION, code="so-y-te-bac-ninh")
    assert office.valid_from == datetime.date(2025, 3, 1) and office.valid_until is None
    assert Agency.objects.current().filter(pk=office.pk).exists()


def test_every_commune_and_ward_gets_its_peoples_committee_once(capsys):
    call_command("load_units")
    call_command("add_commune_committees")
    assert "99 added" in capsys.readouterr().out
    committees = Agency.objects.filter(kind=AgencyKind.LOCAL_GOVERNMENT)
    assert committees.count() == 99 and Agency.objects.current().filter(kind=AgencyKind.LOCAL_GOVERNMENT).count() == 99
    bac_giang = committees.get(unit__code="07210")
    assert bac_giang.name_vi == "Ủy ban nhân dân Phường Bắc Giang" and bac_giang.short_name == "UBND Phường Bắc Giang"
    assert bac_giang.valid_from == datetime.date(2025, 7, 1)
    assert (bac_giang.email, bac_giang.address, bac_giang.hours, bac_giang.website) == ("", "", "", "")
    # The operator fills in the contacts; running again keeps them and adds nothing.
    Agency.objects.filter(pk=bac_giang.pk).update(email="ubnd@example.org")
    call_command("add_commune_committees")
    assert "0 added" in capsys.readouterr().out
    assert committees.count() == 99 and committees.get(pk=bac_giang.pk).email == "ubnd@example.org"


def test_escalations_choose_from_the_directory():
    call_command("load_units")
    call_command("add_commune_committees")
    case, _code = make_case()
    choices = set(EscalationForm(case=case).fields["agency"].queryset.values_list("code", flat=True))
    assert {"so-y-te-bac-ninh", "ca-bac-ninh-pa05"} <= choices
    # Bodies notified by phone only are offered for child-protection notifications, not for escalations.
    assert not {"ubnd-07210", "tong-dai-111", "cong-an-113"} & choices
    referral_choices = set(ReferralForm().fields["agency"].queryset.values_list("code", flat=True))
    assert {"ubnd-07210", "tong-dai-111", "cong-an-113", "so-y-te-bac-ninh"} <= referral_choices

"""An operator logs in, sees a new report arrive without reloading, triages it and claims it (real Daphne)."""

import re

from django.contrib.auth.models import Group, User
from django.test import override_settings
from django.utils import translation
from playwright.sync_api import expect

from cases.models import Case, CaseState, EventKind
from tests.e2e.staff import sign_in

PASSWORD = "a-long-operator-password"


def make_operator():
    # The Daphne process checks passwords with the production hashers, not the tests' fast one.
    with override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.PBKDF2PasswordHasher"]):
        user = User.objects.create_user("lan", password=PASSWORD, first_name="Lan")
    user.groups.add(Group.objects.get(name="operator"))
    return user


def vi(message):
    with translation.override("vi"):
        return str(translation.gettext(message))


def test_an_operator_sees_a_new_report_live_then_triages_and_claims_it(daphne_site, desk, new_phone):
    operator = make_operator()
    errors = []
    desk.on("pageerror", lambda error: errors.append(error))

    desk.goto(f"{daphne_site}/cases/")
    expect(desk).to_have_url(re.compile(r"/accounts/login/"))
    sign_in(desk, "lan", PASSWORD)
    expect(desk).to_have_url(re.compile(r"/cases/$"))
    expect(desk.locator("#live-status")).to_have_attribute("data-state", "live")
    expect(desk.locator("#queue-rows")).to_contain_text(vi("No cases match these filters."))

    # A young person reports, from a phone, that they are in danger now.
    reporter = new_phone().new_page()
    reporter.goto(f"{daphne_site}/")
    reporter.locator("label[for=id_category_0]").click()
    reporter.locator("label[for=id_in_danger]").click()
    reporter.fill("#id_description", "Có người dọa tung ảnh của em nếu em không gửi tiền.")
    with reporter.expect_navigation():
        reporter.locator("form.report-form button[type=submit]").click()
    reference = reporter.locator("#receipt-reference").inner_text().strip()

    # The operator's queue shows it without a reload, with the priority-1 alert.
    row = desk.locator(f'tr[data-reference="{reference}"]')
    expect(row).to_be_visible()
    expect(row).to_contain_text("P1")
    expect(desk.locator("#alert-p1")).to_be_visible()
    expect(desk.locator("#alert-p1")).to_contain_text(reference)

    # Triage, then claim, from the case page.
    row.locator("a.ref").click()
    expect(desk).to_have_url(re.compile(rf"/cases/{reference}/$"))
    desk.locator("details.action summary", has_text=vi("Triage")).click()
    desk.select_option("#id_priority", "1")
    desk.locator("button", has_text=vi("Save triage")).click()
    expect(desk.locator("h1 .state")).to_have_text(vi("Triaged"))
    desk.locator("button[data-transition=claim]").click()
    expect(desk.locator("h1 .state")).to_have_text(vi("In progress"))
    expect(desk.locator("#timeline")).to_contain_text(vi("Triaged"))

    case = Case.objects.get(reference=reference)
    assert case.state == CaseState.IN_PROGRESS and case.assignee == operator and case.priority == 1
    transitions = list(case.events.filter(kind=EventKind.TRANSITION).values_list("transition", "actor"))
    assert transitions == [("triage", operator.pk), ("claim", operator.pk)]
    assert not errors, errors

"""A counsellor prepares an escalation, a supervisor approves it, the police liaison sees it arrive live,
acknowledges it and completes it; the case timeline shows each step (real Daphne, real Chromium)."""

import re

from django.contrib.auth.models import Group, User
from django.test import override_settings
from django.utils import translation
from playwright.sync_api import expect

from cases import services as case_services
from cases.models import Case, CaseState, EventKind
from escalation.models import Agency, Escalation, EscalationState, Liaison
from tests.e2e.staff import sign_in
from tests.factories import make_case

PASSWORD = "a-long-escalation-password"


def make_account(username, role, name, agency_code=None):
    # The Daphne process checks passwords with the production hashers, not the tests' fast one.
    with override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.PBKDF2PasswordHasher"]):
        user = User.objects.create_user(username, password=PASSWORD, first_name=name)
    user.groups.add(Group.objects.get(name=role))
    if agency_code:
        Liaison.objects.create(user=user, agency=Agency.objects.get(code=agency_code))
    return user


def vi(message):
    with translation.override("vi"):
        return str(translation.gettext(message))


def log_in(page, site, username):
    sign_in(page, username, PASSWORD, at=f"{site}/accounts/login/")


def new_desk(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="vi-VN")
    context.set_default_timeout(10_000)
    return context


def test_an_escalation_goes_to_the_police_and_its_outcome_comes_back_to_the_case(daphne_site, desk, browser):
    operator = make_account("lan", "operator", "Lan")
    supervisor = make_account("hung", "supervisor", "Hùng")
    police = make_account("minh", "liaison", "Minh", agency_code="ca-bac-ninh-pa05")
    case, _code = make_case(in_danger=True, links=["https://www.facebook.com/profile.php?id=100000000000001"])
    case_services.claim_case(case=case, user=operator)
    pa05 = Agency.objects.get(code="ca-bac-ninh-pa05")
    errors = []
    contexts = [new_desk(browser), new_desk(browser)]
    boss, liaison = contexts[0].new_page(), contexts[1].new_page()
    for page in (desk, boss, liaison):
        page.on("pageerror", lambda error: errors.append(error))

    try:
        # The police liaison logs in and lands on the portal, which is empty for now.
        log_in(liaison, daphne_site, "minh")
        expect(liaison).to_have_url(re.compile(r"/liaison/$"))
        expect(liaison.locator("#live-status")).to_have_attribute("data-state", "live")
        expect(liaison.locator("#liaison-rows")).to_contain_text(vi("No escalations here."))

        # The counsellor prepares the escalation from the case page and asks for approval.
        log_in(desk, daphne_site, "lan")
        desk.goto(f"{daphne_site}/cases/{case.reference}/")
        desk.locator("#escalation-new summary").click()
        desk.select_option("#id_esc-new-agency", str(pa05.pk))
        desk.select_option("#id_esc-new-priority", "1")
        desk.check("input[name='esc-new-requested_actions'][value='takedown']")
        desk.check("input[name='esc-new-requested_actions'][value='investigate']")
        desk.fill("#id_esc-new-reason", "Đối tượng đe dọa tung ảnh riêng tư của em.")
        desk.fill("#id_esc-new-summary", "Một tài khoản Facebook đe dọa và đòi tiền một học sinh THCS.")
        desk.locator("button[data-escalation-action=prepare]").click()
        escalation = Escalation.objects.get(case=case)
        panel = desk.locator(f"#escalation-{escalation.pk}")
        expect(panel.locator(".escalation-state")).to_have_text(vi("Draft"))
        panel.locator("button[data-escalation-action=submit]").click()
        expect(desk.locator(f"#escalation-{escalation.pk} .escalation-state")).to_have_text(
            vi("Waiting for a supervisor's approval")
        )

        # The supervisor approves; the case is escalated.
        log_in(boss, daphne_site, "hung")
        boss.goto(f"{daphne_site}/cases/{case.reference}/")
        boss.locator(f"#escalation-{escalation.pk} button[data-escalation-action=approve]").click()
        expect(boss.locator(f"#escalation-{escalation.pk} .escalation-state")).to_have_text(
            vi("Sent, awaiting acknowledgement")
        )
        expect(boss.locator("h1 .state")).to_have_text(vi("Escalated"))

        # It arrives in the police portal without a reload; the liaison acknowledges, works and completes it.
        row = liaison.locator(f'tr[data-escalation="{escalation.pk}"]')
        expect(row).to_be_visible()
        expect(row).to_contain_text("P1")
        expect(row).to_contain_text(case.reference)
        row.locator("a.ref").click()
        expect(liaison).to_have_url(re.compile(rf"/liaison/{escalation.pk}/$"))
        liaison.fill("#id_agency_reference", "112/PA05")
        liaison.locator("button[data-liaison-action=acknowledge]").click()
        expect(liaison.locator("h1 .escalation-state")).to_have_text(vi("Acknowledged"))
        liaison.locator("button[data-liaison-action=start_work]").click()
        expect(liaison.locator("h1 .escalation-state")).to_have_text(vi("In progress at the agency"))
        link = escalation.links.get()
        liaison.select_option(f"#id_link{link.pk}-outcome", "taken_down")
        liaison.locator(f"#link-{link.pk} button[data-liaison-action=link-outcome]").click()
        expect(liaison.locator(f"#link-{link.pk} .link-outcome")).to_have_text(vi("Taken down"))
        liaison.locator("summary", has_text=vi("Complete")).first.click()
        liaison.fill("#id_outcome", "Facebook đã gỡ tài khoản; PA05 đã mở hồ sơ điều tra.")
        liaison.locator("button[data-liaison-action=complete]").click()
        expect(liaison.locator("h1 .escalation-state")).to_have_text(vi("Completed"))

        # Back on the case page: the case is with its counsellor again and the timeline shows each step.
        desk.reload()
        expect(desk.locator("h1 .state")).to_have_text(vi("In progress"))
        timeline = desk.locator("#timeline")
        for step in (
            "escalation prepared (draft)",
            "submitted for a supervisor's approval",
            "approved and sent",
            "acknowledged by the agency",
            "the agency started work",
            "outcome for a link",
            "completed by the agency",
        ):
            expect(timeline).to_contain_text(vi(step))
        expect(timeline).to_contain_text("112/PA05")
        expect(desk.locator(f"#escalation-{escalation.pk}")).to_contain_text("PA05 đã mở hồ sơ điều tra")
    finally:
        for context in contexts:
            context.close()

    escalation.refresh_from_db()
    assert escalation.state == EscalationState.COMPLETED and escalation.agency_reference == "112/PA05"
    assert (escalation.created_by, escalation.approved_by, escalation.acknowledged_by) == (operator, supervisor, police)
    case = Case.objects.get(pk=case.pk)
    assert case.state == CaseState.IN_PROGRESS
    steps = list(case.events.filter(kind=EventKind.ESCALATION).values_list("data__step", "actor"))
    assert steps == [
        ("prepare", operator.pk),
        ("submit", operator.pk),
        ("approve", supervisor.pk),
        ("acknowledge", police.pk),
        ("start_work", police.pk),
        ("link_outcome", police.pk),
        ("complete", police.pk),
    ]
    transitions = list(case.events.filter(kind=EventKind.TRANSITION).values_list("transition", flat=True))
    assert transitions == ["claim", "escalate", "return_from_escalation"]
    assert not errors, errors

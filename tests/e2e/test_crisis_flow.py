"""A child at risk on a phone: a self-harm report without "in danger" ticked is P1 and the receipt shows the crisis
panel first; a counsellor records the notification to 111 on the case page and sees the 12-hour clock."""

from playwright.sync_api import expect

from cases.models import Case, Priority
from escalation.models import Referral
from tests.conftest import make_user
from tests.e2e.staff import sign_in
from tests.e2e.test_report_flow import assert_accessible, assert_fits_phone, screenshot, send, vi

PASSWORD = "a-long-test-password"  # make_user's; the live server runs with the tests' password hashers


def test_a_self_harm_report_shows_the_crisis_panel_and_the_counsellor_notifies_111(site, phone, desk, tmp_path):
    page = phone
    errors = []
    page.on("pageerror", lambda error: errors.append(error))

    page.goto(f"{site}/")
    page.locator("input[name=category][value=MHR]").check()
    expect(page.locator("input[name=in_danger]")).not_to_be_checked()
    expect(page.locator("input[name=safety_answer]:checked")).to_have_count(0)  # never pre-selected
    page.fill("#id_description", "Dạo này em thấy mệt mỏi lắm, không ai hiểu em.")
    response = send(page)
    assert response.status == 200 and page.url.endswith("/receipt/")

    panel = page.locator("#crisis")
    expect(panel).to_be_visible()
    expect(panel.locator("h2")).to_have_text(vi("If you are in danger or thinking of hurting yourself, call now"))
    for number in ("111", "113", "115"):
        expect(panel.locator(f"a[href='tel:{number}']")).to_be_visible()
    # First: above the case reference, on the first screen of the phone.
    panel_box = panel.bounding_box()
    assert panel_box["y"] < page.locator("#receipt-reference").bounding_box()["y"]
    assert panel_box["y"] < 740
    assert vi("You do not need to do anything now. Come back here with your code to see our answer.") not in (
        page.content()
    )
    assert_fits_phone(page, "the receipt with the crisis panel")
    assert_accessible(page, "the receipt with the crisis panel")
    screenshot(page, tmp_path, "e2e-crisis-receipt")
    reference = page.locator("#receipt-reference").inner_text().strip()
    case = Case.objects.get(reference=reference)
    assert case.priority == Priority.P1 and not case.in_danger

    # The counsellor's desk: the queue row is flagged, the case page records the notification.
    make_user("lan", "operator", first_name="Lan")
    sign_in(desk, "lan", PASSWORD, at=f"{site}/accounts/login/")
    desk.goto(f"{site}/cases/")
    row = desk.locator(f"tr[data-reference='{reference}']")
    expect(row.locator(".badge--risk")).to_be_visible()

    desk.goto(f"{site}/cases/{reference}/")
    expect(desk.locator("#risk-flag")).to_be_visible()
    referrals = desk.locator("#referrals")
    referrals.locator("select[name=referral-agency]").select_option(label="Tổng đài 111 · 111")
    expect(referrals.locator("input[name=referral-method][value=phone]")).to_be_checked()
    referrals.locator("input[name=referral-officer_name]").fill("Nguyễn Thị Hoa")
    referrals.locator("textarea[name=referral-agreed]").fill("111 gọi lại cho em trong 30 phút.")
    referrals.locator("button[data-referral-action=record]").click()

    clock = desk.locator("#intervention-clock")
    expect(clock).to_be_visible()
    expect(clock.locator(".badge--clock")).to_have_text(vi("%(hours)s-hour clock") % {"hours": 12})
    expect(desk.locator("#referrals .referral")).to_have_count(1)
    expect(desk.locator("#referrals .referral__approval")).to_have_text(vi("not yet approved by a supervisor"))
    referral = Referral.objects.get(case=case)
    assert referral.agency.code == "tong-dai-111" and referral.approved_at is None
    case.refresh_from_db()
    assert case.intervention_due_at is not None
    desk.goto(f"{site}/cases/")
    expect(desk.locator(f"tr[data-reference='{reference}'] .badge--clock")).to_be_visible()
    assert not errors, errors

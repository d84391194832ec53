"""The status page of a finished case on a phone and on a desktop: what happened, per link, in plain words; after
writing again, the case is open again (issue 12, points 1 and 3). Saves the screenshots of docs/screenshots/."""

import shutil

import pytest

from cases.models import Outcome
from cases.services import close_case, resolve_case
from tests.e2e.test_report_flow import assert_accessible, vi
from tests.escalation.conftest import make_liaison
from tests.escalation.factories import POLICE, walk
from tests.escalation.test_reporter_outcome import escalated_case

PHONE = {"viewport": {"width": 360, "height": 740}, "device_scale_factor": 2, "is_mobile": True, "has_touch": True}
DESKTOP = {"viewport": {"width": 1366, "height": 768}}


@pytest.mark.parametrize("screen", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_it_shows_the_outcome_and_reopens_a_closed_case_when_the_child_writes(
    browser, site, operator, supervisor, screen, request, tmp_path
):
    police = make_liaison("pa05-minh", POLICE)
    case, code, escalation = escalated_case(operator, supervisor, police)
    walk(escalation, ["complete"], operator=operator, supervisor=supervisor, liaison=police)
    case.refresh_from_db()
    resolve_case(case=case, user=operator, outcome=Outcome.CONTENT_REMOVED, summary="Tóm tắt kết quả")
    case.refresh_from_db()
    close_case(case=case, user=operator)

    context = browser.new_context(locale="vi-VN", **screen)
    context.set_default_timeout(10_000)
    page = context.new_page()
    page.goto(f"{site}/status/")
    page.fill("#id_reference", case.reference)
    page.fill("#id_access_code", code)
    with page.expect_navigation():
        page.locator("#status-form button[type=submit]").click()

    outcome = page.locator(".case-outcome")
    assert outcome.locator("h2").inner_text() == vi("What happened")
    assert vi("The harmful content was removed.") in outcome.inner_text()
    assert vi("removed") in outcome.inner_text() and vi("the platform refused to remove it") in outcome.inner_text()
    assert "Tóm tắt kết quả" not in page.content() and "123/PA05" not in page.content()
    assert page.locator("#status-heading").inner_text() == vi("Closed")
    assert_accessible(page, "the status page of a closed case")
    name = f"status-{request.node.callspec.id}"
    page.screenshot(path=tmp_path / f"{name}.png", full_page=True)
    shutil.copyfile(tmp_path / f"{name}.png", f"/tmp/{name}.png")  # for docs/screenshots/ (README)

    page.fill("#chat-form textarea", "người đó lại lập tài khoản mới và nhắn cho em tiếp")
    with page.expect_navigation():
        page.locator("#chat-form button[type=submit]").click()
    assert vi("Thank you. Your case is open again: a counsellor will read your message and answer here.") in (
        page.content()
    )
    assert page.locator("#status-heading").inner_text() == vi("A counsellor is working on it")
    context.close()

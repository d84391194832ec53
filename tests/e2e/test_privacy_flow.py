"""The young person's data on a phone: the privacy notice before the first report, consent given with the report,
withdrawn on the status page, data seen and downloaded, a deletion asked for. axe finds nothing serious."""

from cases.models import Case, Category, Consent, DataRequest
from tests.e2e.test_report_flow import assert_accessible, assert_fits_phone, screenshot, send, vi


def test_a_young_person_reads_the_notice_consents_withdraws_and_asks_for_their_data(site, phone, tmp_path):
    page = phone
    errors = []
    page.on("pageerror", lambda error: errors.append(error))

    # Before the first report: the notice's summary is on the form, and each personal field links to the notice.
    page.goto(f"{site}/")
    summary = page.locator("#privacy-summary")
    assert summary.is_visible()
    assert summary.locator("h2").inner_text() == vi("Before you write: your data")
    assert page.locator(".field__privacy a[href='/quyen-rieng-tu/#kept']").count() >= 8
    for url, where in (("/quyen-rieng-tu/", "the privacy notice"), ("/quyen-rieng-tu/cha-me/", "the parents' page")):
        notice = page.context.new_page()
        notice.goto(f"{site}{url}")
        assert notice.locator("html").get_attribute("lang") == "vi"
        assert_accessible(notice, where)
        assert_fits_phone(notice, where)
        notice.close()
    page.goto(f"{site}/quyen-rieng-tu/")
    assert "365" in page.locator("#how-long").inner_text()  # the retention setting, not a number in the text
    screenshot(page, tmp_path, "e2e-privacy-notice")

    page.goto(f"{site}/")
    category = Category.objects.get(code="CBH")
    page.locator("label.choice", has_text=category.child_label_vi).click()
    page.locator("#id_description").fill("Có người đăng ảnh của em lên nhóm lớp.")
    page.locator("#id_age_band").select_option("13_15")
    page.locator("#id_consent_share_police").check()
    page.locator("#id_consent_keep_evidence").check()
    response = send(page)
    assert response.url == f"{site}/receipt/", f"{response.status}: {page.locator('main').inner_text()}"
    reference = page.locator("#receipt-reference").inner_text().strip()
    case = Case.objects.get(reference=reference)
    assert set(case.consents.values_list("scope", "given_by")) == {
        ("share_police", "young_person"),
        ("keep_evidence", "young_person"),
    }

    # The status page: each consent with a button to withdraw it.
    page.goto(f"{site}/status/{reference}/")
    section = page.locator("#my-privacy")
    assert section.locator(".consent").count() == 2
    assert_accessible(page, "the status page with consents")
    assert_fits_phone(page, "the status page with consents")
    police = Consent.objects.get(case=case, scope="share_police")
    with page.expect_navigation():
        page.locator(f"form[action='/status/{reference}/consent/{police.pk}/withdraw/'] button").click()
    police.refresh_from_db()
    assert police.withdrawn_at is not None
    assert page.locator("#my-privacy .consent--withdrawn").count() == 1

    # See my data: a readable page and a download.
    with page.expect_navigation():
        page.get_by_role("button", name=vi("See all my data")).click()
    assert page.url == f"{site}/status/{reference}/my-data/"
    assert "Có người đăng ảnh của em lên nhóm lớp." in page.locator("main").inner_text()
    assert_accessible(page, "my data")
    assert_fits_phone(page, "my data")
    with page.expect_download() as download:
        page.locator(f"a[href='/status/{reference}/my-data.json']").click()
    assert download.value.suggested_filename == f"{reference}.json"

    # Ask for a deletion: told when we answer.
    page.goto(f"{site}/status/{reference}/")
    page.locator("label.choice", has=page.locator("input[name=kind][value=delete]")).click()
    with page.expect_navigation():
        page.get_by_role("button", name=vi("Send my request")).click()
    request = DataRequest.objects.get(case=case, kind="delete")
    assert request.state == "open"
    assert page.locator("#my-privacy .data-requests li").count() == 2  # the look at the data, and this one
    assert_accessible(page, "the status page with a request")
    screenshot(page, tmp_path, "e2e-status-privacy")
    assert not errors, errors

"""The public report flow on a phone, in Vietnamese: form, errors, receipt, and the receipt link on another device."""

import re
import shutil

from axe_playwright_python.sync_playwright import Axe
from django.utils import translation
from playwright.sync_api import expect

from cases.models import Case, Category
from hotline.status_text import reporter_status

PHONE_WIDTH = 360
REFERENCE = re.compile(r"^[2-9A-Z]{4}-[2-9A-Z]{4}$")
CODE = re.compile(r"^[0-9A-Z]{4}(-[0-9A-Z]{4}){3}$")  # 16 symbols, shown in groups of four
BLOCKING_IMPACTS = {"serious", "critical"}


def vi(message):
    """The Vietnamese text of one of our messages; fails if it has no Vietnamese translation yet."""
    with translation.override("vi"):
        text = str(translation.gettext(message))
    assert text != message, f"no Vietnamese translation for {message!r} (locale/vi/LC_MESSAGES/django.mo)"
    return text


def assert_accessible(page, where):
    """axe-core finds nothing serious or critical on the page as it is now."""
    violations = [v for v in Axe().run(page).response["violations"] if v["impact"] in BLOCKING_IMPACTS]
    report = "\n".join(
        f"{v['id']} ({v['impact']}): {v['help']} <{v['helpUrl']}>\n"
        + "\n".join(
            f"    {', '.join(map(str, n['target']))}: {n['html']}\n      {n['failureSummary']}" for n in v["nodes"]
        )
        for v in violations
    )
    assert not violations, f"axe: serious/critical violations on {where}:\n{report}"


def assert_fits_phone(page, where):
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE_WIDTH, f"{where} scrolls sideways on a {PHONE_WIDTH}px phone: {width}px wide"


def screenshot(page, tmp_path, name):
    path = tmp_path / f"{name}.png"
    page.screenshot(path=path, full_page=True)
    shutil.copyfile(path, f"/tmp/{name}.png")  # for a human to look at after the run


def send(page):
    """Presses "Send my report"; returns the response to the page's navigation (after redirects)."""
    with page.expect_navigation() as navigation:
        page.locator("form.report-form button[type=submit]").click()
    return navigation.value


def test_it_takes_a_report_on_a_phone_and_opens_the_case_from_the_receipt_link(site, phone, new_phone, tmp_path):
    page = phone
    errors = []
    page.on("pageerror", lambda error: errors.append(error))

    page.goto(f"{site}/")
    assert page.locator("html").get_attribute("lang") == "vi"
    assert page.locator("h1").inner_text() == vi("Something bad happened online? Tell us.")
    assert_accessible(page, "the report form")
    assert_fits_phone(page, "the report form")
    screenshot(page, tmp_path, "e2e-form")

    # Sent empty: each problem is explained next to its field, and listed in a summary that takes the focus.
    response = send(page)
    assert response.status == 400, f"{response.status}: {page.locator('#error-summary').inner_text()}"
    summary = page.locator("#error-summary")
    assert summary.is_visible()
    assert summary.locator("h2").inner_text() == vi("Please check what you wrote")
    assert page.evaluate("document.activeElement.id") == "error-summary"
    category_error = vi("Please choose what happened, even if it is only close.")
    description_error = vi("Please give us a link or tell us in a few words what happened.")
    assert summary.locator("li").count() == 2
    assert summary.locator("a[href='#id_category-group']").inner_text().endswith(category_error)
    assert summary.locator("a[href='#id_description']").inner_text().endswith(description_error)
    assert page.locator("#id_category-group .field__errors").inner_text() == category_error
    assert page.locator(".field__errors + textarea#id_description").count() == 1  # right above the box
    assert page.locator(".field:has(> #id_description) .field__errors").inner_text() == description_error
    # A screen reader reads the error with the field, not only somewhere above it.
    expect(page.locator("#id_category-group")).to_have_accessible_description(re.compile(re.escape(category_error)))
    expect(page.locator("#id_description")).to_have_accessible_description(re.compile(re.escape(description_error)))
    assert_accessible(page, "the report form with errors")
    assert_fits_phone(page, "the report form with errors")

    category = Category.objects.get(code="CBH")
    page.locator("label.choice", has_text=category.child_label_vi).click()
    assert page.locator("input[name=category][value=CBH]").is_checked()
    page.locator("#id_description").press_sequentially("Có người lập tài khoản giả để bêu riếu em.")
    page.locator("#id_links").fill("facebook.com/tai.khoan.gia")
    page.locator("#id_age_band").select_option("13_15")
    response = send(page)
    assert response.url == f"{site}/receipt/", f"{response.status}: {page.locator('main').inner_text()}"
    reference = page.locator("#receipt-reference").inner_text().strip()
    code = page.locator("#receipt-code").inner_text().strip()
    assert REFERENCE.match(reference), reference
    assert CODE.match(code), code
    assert len(code.replace("-", "")) == 16
    link = page.locator("#receipt-link").get_attribute("href")
    assert link == f"{site}/status/#r={reference}&c={code.replace('-', '')}"
    case = Case.objects.get(reference=reference)
    assert case.category == category
    assert [reported.url for reported in case.links.all()] == ["https://facebook.com/tai.khoan.gia"]
    assert case.age_band == "13_15"
    assert_accessible(page, "the receipt")
    assert_fits_phone(page, "the receipt")
    screenshot(page, tmp_path, "e2e-receipt")

    # Another device: no session, only the link. The page reads the fragment and opens the case.
    other = new_phone().new_page()
    other.on("pageerror", lambda error: errors.append(error))
    other.goto(link)
    other.wait_for_url(f"{site}/status/{reference}/")
    assert "c=" not in other.url and code.replace("-", "") not in other.url
    assert other.locator(".case-status__ref strong").inner_text() == reference
    with translation.override("vi"):
        expected_status = str(reporter_status(case)["label"])
    assert other.locator("#status-heading").inner_text() == expected_status
    assert_accessible(other, "the case status page")
    assert_fits_phone(other, "the case status page")
    assert not errors, errors


def test_it_takes_a_report_without_javascript(site, new_phone):
    page = new_phone(java_script_enabled=False).new_page()
    page.goto(f"{site}/")
    page.locator("label.choice", has=page.locator("input[value=CBH]")).click()
    page.locator("#id_description").fill("Em bị nhắn tin đe dọa.")
    response = send(page)
    assert response.url == f"{site}/receipt/", f"{response.status}: {page.locator('main').inner_text()}"
    reference = page.locator("#receipt-reference").inner_text().strip()
    assert REFERENCE.match(reference), reference
    assert Case.objects.filter(reference=reference).exists()

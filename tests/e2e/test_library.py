"""The self-help library in a real browser on a 360-px phone: two taps from the home page, axe, Lighthouse-style
basics (title, language, viewport, description, nothing from another host), and search without JavaScript
(axe needs JavaScript, so it runs on the pages opened with JavaScript on)."""

from urllib.parse import urlsplit

from playwright.sync_api import expect

from tests.e2e.test_report_flow import assert_accessible, assert_fits_phone, vi


def assert_page_basics(page, site, requested, where):
    """What Lighthouse's SEO and best-practice audits look at first, for pages we serve."""
    assert page.title().strip(), f"{where}: no title"
    assert page.get_attribute("html", "lang") in ("vi", "en"), f"{where}: no language"
    assert "width=device-width" in page.get_attribute("meta[name=viewport]", "content")
    assert page.locator("h1").count() == 1, f"{where}: one main heading"
    foreign = {url for url in requested if urlsplit(url).netloc not in ("", urlsplit(site).netloc)}
    assert not foreign, f"{where} loads from other hosts: {foreign}"


def test_a_young_person_finds_an_answer_in_two_taps(site, phone):
    requested = []
    phone.on("request", lambda request: requested.append(request.url))
    phone.goto(site + "/")
    phone.get_by_role("link", name=vi("No counsellor online? Read what to do right now, step by step")).click()
    expect(phone.locator("h1")).to_have_text(vi("What is happening to you?"))
    assert_accessible(phone, "the library home")
    assert_fits_phone(phone, "the library home")
    assert_page_basics(phone, site, requested, "the library home")

    phone.get_by_role("link", name="Có người dọa tung ảnh của mình: làm gì ngay bây giờ?").click()
    expect(phone.locator("h1")).to_have_text("Có người dọa tung ảnh của mình: làm gì ngay bây giờ?")
    expect(phone.get_by_text("Đừng trả tiền, đừng gửi thêm ảnh.")).to_be_visible()
    expect(phone.get_by_role("heading", name=vi("Talk to us"))).to_be_visible()
    expect(phone.locator("#quick-exit")).to_be_visible()
    expect(phone.locator('a[href="tel:111"]')).to_be_visible()
    assert phone.get_attribute("meta[name=description]", "content")
    assert_accessible(phone, "an article")
    assert_fits_phone(phone, "an article")
    assert_page_basics(phone, site, requested, "an article")

    phone.goto(site + "/tro-giup/tim-kiem/?q=lua+dao")
    expect(phone.locator(".library-card").first).to_be_visible()
    assert_accessible(phone, "search results")
    assert_fits_phone(phone, "search results")
    assert_page_basics(phone, site, requested, "search results")


def test_search_works_without_javascript_and_without_diacritics(site, new_phone):
    page = new_phone(java_script_enabled=False).new_page()
    page.goto(site + "/tro-giup/")
    page.get_by_label(vi("Search the articles")).fill("bat coc online")
    page.get_by_role("button", name=vi("Search")).click()
    expect(page.locator("h1")).to_have_text(vi("Search the articles"))
    link = page.get_by_role("link", name='"Bắt cóc online": cuộc gọi giả danh công an, bắt bạn đi thuê phòng')
    expect(link).to_be_visible()
    link.click()
    expect(page.locator("h1")).to_contain_text("Bắt cóc online")

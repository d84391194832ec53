"""The public report form at /."""

import hashlib
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from cases.models import Case, CaseState, Channel, EventKind, Priority
from tests.cases.report_data import make_units
from tests.factories import PNG_BYTES, big_file, form_post, pdf_upload, png_upload

pytestmark = pytest.mark.django_db


def test_it_shows_the_form_in_vietnamese_with_the_safety_line(client):
    response = client.get("/")
    assert response.status_code == 200
    html = response.content.decode()
    assert '<html lang="vi">' in html
    assert 'href="tel:113"' in html and 'href="tel:111"' in html
    assert 'id="quick-exit"' in html
    # Silence is not consent: the consent boxes exist and none is ticked; anonymity is the default.
    inputs = re.findall(r"<input[^>]*>", html)
    consent = [tag for tag in inputs if 'name="consent_' in tag]
    assert len(consent) == 3 and not any("checked" in tag for tag in consent)
    # No box lets anyone record a parent's consent on the anonymous form.
    assert 'name="guardian_consent"' not in html
    checked_contact = [tag for tag in inputs if 'name="contact_preference"' in tag and "checked" in tag]
    assert len(checked_contact) == 1 and 'value="none"' in checked_contact[0]
    assert not any("checked" in tag for tag in inputs if 'name="category"' in tag)


def test_it_creates_a_case_and_shows_the_receipt_once(client):
    response = client.post("/", form_post(evidence=[png_upload(), pdf_upload()]))
    assert response.status_code == 302 and response["Location"] == "/receipt/"
    case = Case.objects.get()
    assert case.state == CaseState.NEW and case.channel == Channel.WEB
    assert [link.url for link in case.links.all()] == [
        "https://www.facebook.com/example",
        "https://zalo.me/12345",
    ]
    assert list(case.platforms.values_list("code", flat=True)) == ["facebook"]
    assert case.events.get().kind == EventKind.CREATED
    evidence = list(case.evidence.order_by("id"))
    assert [e.content_type for e in evidence] == ["image/png", "application/pdf"]
    assert evidence[0].sha256 == hashlib.sha256(PNG_BYTES).hexdigest()
    assert evidence[0].file.read() == PNG_BYTES  # the original bytes, unchanged
    assert "screenshot" not in evidence[0].file.name  # stored under a random name

    receipt = client.get("/receipt/")
    html = receipt.content.decode()
    assert case.reference in html
    assert receipt["Cache-Control"] == "no-store"
    # The code shown is the one that opens the case, and the link carries both in its fragment.
    code = re.search(r'id="receipt-code">([A-Z0-9-]+)<', html).group(1).replace("-", "")
    assert len(code) == 16
    assert f"/status/#r={case.reference}&amp;c={code}" in html
    # "Go to my case" opens the case itself (this browser may see it), not the look-up form.
    assert f'href="/status/{case.reference}/"' in html
    assert client.get(f"/status/{case.reference}/").status_code == 200
    # Shown once: a reload does not show the code again.
    again = client.get("/receipt/")
    assert code not in again.content.decode() and case.reference not in again.content.decode()


def test_danger_now_makes_it_priority_one(client):
    client.post("/", form_post(in_danger="on"))
    case = Case.objects.get()
    assert case.in_danger and case.priority == Priority.P1
    assert (case.first_response_due_at - case.created_at).total_seconds() == 15 * 60


def test_a_link_alone_or_a_description_alone_is_enough(client):
    assert client.post("/", form_post(description="")).status_code == 302
    assert client.post("/", form_post(links="")).status_code == 302
    assert Case.objects.count() == 2


def test_it_requires_a_category_and_a_link_or_description_and_keeps_what_was_typed(client):
    make_units()
    response = client.post(
        "/",
        form_post(category="", links="", description="   ", commune_unit="09193", contact_email="em@example.vn"),
    )
    assert response.status_code == 400
    form = response.context["form"]
    assert set(form.errors) == {"category", "description"}
    html = response.content.decode()
    assert "error-summary" in html
    assert '<option value="09193" selected>' in html and 'value="em@example.vn"' in html
    assert Case.objects.count() == 0


def test_errors_are_in_vietnamese(client):
    response = client.post("/", form_post(category="", links="", description=""))
    html = response.content.decode()
    assert "Please choose what happened" not in html
    assert "Bạn hãy chọn điều đã xảy ra" in html
    assert Case.objects.count() == 0


def test_bad_links_are_named(client):
    response = client.post("/", form_post(links="https://ok.example\nnot a link at all"))
    assert response.status_code == 400
    assert "not a link at all" in response.content.decode()


@pytest.mark.parametrize(
    ("phone", "ok"),
    [("0912 345 678", True), ("+84912345678", True), ("12345", False), ("+1 202 555 0143", False)],
)
def test_phone_must_be_vietnamese(client, phone, ok):
    response = client.post("/", form_post(contact_preference="phone", contact_phone=phone))
    assert (response.status_code == 302) is ok
    if ok:
        assert str(Case.objects.get().contact_phone) == "+84912345678"
    else:
        assert "contact_phone" in response.context["form"].errors


def test_chosen_contact_needs_its_details(client):
    response = client.post("/", form_post(contact_preference="email", contact_email=""))
    assert "contact_email" in response.context["form"].errors
    response = client.post("/", form_post(contact_preference="phone", contact_phone=""))
    assert "contact_phone" in response.context["form"].errors


def test_it_refuses_wrong_type_oversized_and_too_many_files(client, settings):
    settings.EVIDENCE_MAX_BYTES = 2000
    exe = SimpleUploadedFile("photo.png", b"MZ\x90\x00" + b"\0" * 50, content_type="image/png")
    response = client.post("/", form_post(evidence=[exe]))
    assert response.status_code == 400 and "evidence" in response.context["form"].errors
    response = client.post("/", form_post(evidence=[big_file(2001)]))
    assert response.status_code == 400 and "evidence" in response.context["form"].errors
    settings.EVIDENCE_MAX_FILES = 2
    response = client.post("/", form_post(evidence=[png_upload(), png_upload(), png_upload()]))
    assert response.status_code == 400
    assert Case.objects.count() == 0


def test_an_oversized_request_gets_413_not_500(client, settings):
    settings.REQUEST_MAX_BYTES = 10_000
    response = client.post("/", form_post(evidence=[big_file(20_000)]))
    assert response.status_code == 413
    assert Case.objects.count() == 0


def test_it_throttles_a_flood_of_reports_without_losing_the_text(client, settings):
    settings.THROTTLE_REPORT_SUBMIT = (3, 3600)
    for _ in range(3):
        assert client.post("/", form_post()).status_code == 302
    response = client.post("/", form_post(description="Lần thứ tư"))
    assert response.status_code == 429
    assert "Lần thứ tư" in response.content.decode()
    # Counted and checked once the report is valid: a report with a mistake is told what it is first.
    assert client.post("/", form_post(age_band="ninety")).status_code == 400
    assert Case.objects.count() == 3


def test_an_expired_csrf_token_keeps_the_report(db):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    response = client.post("/", form_post(description="Em viết rất lâu"))
    assert response.status_code == 403
    assert "Em viết rất lâu" in response.content.decode()
    assert Case.objects.count() == 0


def test_language_switch_to_english(client):
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/"}, follow=True)
    assert '<html lang="en">' in response.content.decode()


def test_pages_are_not_cached_and_carry_privacy_headers(client):
    response = client.get("/")
    assert response["Cache-Control"] == "no-store"
    assert "frame-ancestors 'none'" in response["Content-Security-Policy"]
    assert "unsafe-inline" not in response["Content-Security-Policy"]
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Content-Type-Options"] == "nosniff"


def test_a_bot_that_fills_the_hidden_field_makes_no_case(client):
    response = client.post("/", form_post(leave_empty="http://spam.example"))
    assert response.status_code == 400
    assert Case.objects.count() == 0
    assert client.post("/", form_post(leave_empty="")).status_code == 302

"""Issue 12, forms that forgive: one case per form however often "Send" is pressed, no silent cut of long text,
files that must be chosen again said in the error summary, no bidirectional tricks in what staff read."""

import re

import pytest

from cases import services
from cases.models import Case, CaseEvent, EventKind, Message
from cases.plumbing import MAX_DESCRIPTION
from tests.factories import form_post, make_case, png_upload, verified_login

pytestmark = pytest.mark.django_db

RLO = "\u202e"


def form_token(client):
    return re.search(r'name="form_token" value="([^"]+)"', client.get("/").content.decode()).group(1)


def test_three_quick_sends_of_one_form_make_one_case_and_all_lead_to_its_receipt(client):
    token = form_token(client)
    responses = [client.post("/", form_post(form_token=token)) for _ in range(3)]
    assert [r.status_code for r in responses] == [302, 302, 302]
    assert {r["Location"] for r in responses} == {"/receipt/"}
    assert Case.objects.count() == 1
    assert Case.objects.get().reference in client.get("/receipt/").content.decode()


def receipt_codes(html):
    reference = re.search(r'id="receipt-reference">([^<]+)<', html)
    code = re.search(r'id="receipt-code">([^<]+)<', html)
    return (reference.group(1), code.group(1)) if reference and code else None


def test_a_tap_again_before_the_first_answer_came_back_still_ends_on_the_receipt():
    # Without JavaScript a second tap cancels the first request in the browser: the case is made, but its answer
    # (and the session cookie in it) never arrives. The second tap's answer must lead to the same receipt.
    from django.test import Client

    page = Client()
    token = form_token(page)
    lost = Client()  # the first sending: its answer is never read
    assert lost.post("/", form_post(form_token=token)).status_code == 302
    again = Client()  # the browser as it is after the second tap: no session cookie
    response = again.post("/", form_post(form_token=token))
    assert response.status_code == 302 and response["Location"] == "/receipt/"
    codes = receipt_codes(again.get("/receipt/").content.decode())
    case = Case.objects.get()
    assert codes is not None and codes[0] == case.reference
    assert again.get(f"/status/{case.reference}/").status_code == 200  # this browser may follow its case
    assert receipt_codes(lost.get("/receipt/").content.decode()) is None  # shown once, whichever browser saw it


def test_an_old_page_sent_again_later_takes_no_session_over():
    from django.core.cache import cache
    from django.test import Client

    page = Client()
    token = form_token(page)
    assert Client().post("/", form_post(form_token=token)).status_code == 302
    # What the cache keeps: the claim for a day, the session's key for two minutes only (never in the claim).
    assert cache.get(f"report-form-token:{token}") == "claimed"
    assert len(cache.get(f"report-form-session:{token}")) == 32
    cache.delete(f"report-form-session:{token}")  # as two minutes later
    other = Client()
    assert other.post("/", form_post(form_token=token)).status_code == 302
    assert receipt_codes(other.get("/receipt/").content.decode()) is None
    assert Case.objects.count() == 1


def test_quick_sends_of_one_form_count_once_against_the_limit(client, settings):
    settings.THROTTLE_REPORT_SUBMIT = (1, 3600)
    token = form_token(client)
    assert [client.post("/", form_post(form_token=token)).status_code for _ in range(3)] == [302, 302, 302]
    # One report counted: the next form from this connection is the one over the limit, and keeps what was typed.
    other = form_token(client)
    refused = client.post("/", form_post(form_token=other, description="Em vẫn cần giúp"))
    assert refused.status_code == 429 and "Em vẫn cần giúp" in refused.content.decode()
    assert Case.objects.count() == 1
    settings.THROTTLE_REPORT_SUBMIT = (100, 3600)
    assert client.post("/", form_post(form_token=other)).status_code == 302  # the refused form's token was freed
    assert Case.objects.count() == 2


def test_every_rendering_of_the_form_has_its_own_token_and_two_forms_make_two_cases(client):
    first, second = form_token(client), form_token(client)
    assert first != second
    client.post("/", form_post(form_token=first))
    client.post("/", form_post(form_token=second))
    assert Case.objects.count() == 2


def test_a_form_sent_back_with_errors_does_not_use_up_its_token(client):
    token = form_token(client)
    assert client.post("/", form_post(form_token=token, category="")).status_code == 400
    assert client.post("/", form_post(form_token=token)).status_code == 302
    assert Case.objects.count() == 1


def test_text_over_the_limit_is_refused_clearly_and_kept_whole(client):
    text = "Chuyện dài. " * 500  # 6,000 characters
    assert len(text) > MAX_DESCRIPTION
    response = client.post("/", form_post(description=text))
    html = response.content.decode()
    assert response.status_code == 400 and Case.objects.count() == 0
    assert "5000" in html.replace(".", "").replace(",", "")  # the limit is named
    assert text.strip() in html  # nothing typed is lost
    textarea = re.search(r"<textarea[^>]*name=\"description\"[^>]*>", html).group(0)
    assert " maxlength=" not in textarea  # a browser would cut pasted text there without a word
    assert 'data-maxlength="5000"' in textarea


def test_the_error_summary_says_files_must_be_chosen_again(client):
    response = client.post("/", form_post(category="", evidence=[png_upload()]))
    summary = re.search(r'<div class="error-summary".*?</div>', response.content.decode(), re.S).group(0)
    assert "chọn lại" in summary


def test_bidirectional_controls_never_reach_staff(client, operator):
    case, _code = make_case(description=f"Nó gửi file {RLO}gnp.exe cho em", uploads=[png_upload(f"ảnh{RLO}gnp.exe")])
    services.add_reporter_information(case=case, text=f"thêm{RLO} nữa\u2066\u200f")
    case.refresh_from_db()
    assert RLO not in case.description and case.description == "Nó gửi file gnp.exe cho em"
    assert case.evidence.get().original_name == "ảnhgnp.exe"
    assert Message.objects.get(case=case).text == "thêm nữa"
    verified_login(client, operator)
    html = client.get(f"/cases/{case.reference}/").content.decode()
    assert not re.search("[\u200e\u200f\u202a-\u202e\u2066-\u2069]", html)


def test_an_evidence_download_keeps_a_safe_extension_from_the_detected_type(client, operator):
    case, _code = make_case(uploads=[png_upload("hoa-don.pdf.exe")])
    evidence = case.evidence.get()
    verified_login(client, operator)
    response = client.get(f"/cases/{case.reference}/evidence/{evidence.pk}/?how=download")
    assert re.search(r'filename="[A-Za-z0-9-]+\.png"', response["Content-Disposition"])


def test_a_preview_is_logged_once_per_session_and_every_download_is_logged(client, operator):
    case, _code = make_case(uploads=[png_upload()])
    evidence = case.evidence.get()
    verified_login(client, operator)
    url = f"/cases/{case.reference}/evidence/{evidence.pk}/"
    for _ in range(5):
        client.get(url + "?how=preview")
    client.get(url + "?how=download")
    client.get(url + "?how=download")
    hows = list(CaseEvent.objects.filter(kind=EventKind.EVIDENCE_VIEWED).values_list("data__how", flat=True))
    assert sorted(hows) == ["download", "download", "preview"]

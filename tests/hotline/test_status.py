"""Coming back to a case with its reference and access code."""

import pytest
from django.test import Client

from cases.models import Case, CaseState, EventKind, Sender
from cases.services import claim_case, post_staff_message, wait_for_reporter
from tests.factories import form_post, make_case, png_upload

pytestmark = pytest.mark.django_db


def open_case(client, reference, code):
    return client.post("/status/", {"reference": reference, "access_code": code})


def test_reference_and_code_open_the_case(client, operator):
    case, code = make_case()
    claim_case(case=case, user=operator)
    post_staff_message(case=case, user=operator, text="Chào em, chị là tư vấn viên.")
    response = open_case(client, case.reference.lower(), code)
    assert response.status_code == 302 and response["Location"] == f"/status/{case.reference}/"
    page = client.get(response["Location"])
    html = page.content.decode()
    assert page.status_code == 200
    assert case.reference in html and "Chào em, chị là tư vấn viên." in html
    assert page.context["status"]["code"] == CaseState.IN_PROGRESS


def test_a_wrong_code_looks_exactly_like_an_unknown_reference(client):
    case, code = make_case()
    wrong_code = open_case(client, case.reference, "0000-0000-0000-0000")
    unknown_ref = open_case(client, "ZZZZ-ZZZZ", code)
    assert wrong_code.status_code == unknown_ref.status_code == 400
    assert wrong_code.context["form"].non_field_errors() == unknown_ref.context["form"].non_field_errors()


def test_the_case_page_needs_proven_access(client):
    case, _code = make_case()
    response = client.get(f"/status/{case.reference}/")
    assert response.status_code == 302 and response["Location"] == f"/status/?reference={case.reference}"
    other, other_code = make_case()
    open_case(client, other.reference, other_code)
    # Access to one case gives nothing of another.
    assert client.get(f"/status/{case.reference}/").status_code == 302


def test_repeated_failures_are_throttled(client, settings):
    settings.THROTTLE_STATUS_LOOKUP = (3, 900)
    case, code = make_case()
    client.get("/status/")  # a browser: it carries its CSRF cookie from here on
    for _ in range(3):
        assert open_case(client, case.reference, "WRONG").status_code == 400
    # Even the right code is refused while the client is throttled.
    response = open_case(client, case.reference, code)
    assert response.status_code == 429
    # Another client is not affected.
    other = Client(REMOTE_ADDR="10.9.9.9")
    assert open_case(other, case.reference, code).status_code == 302


def test_the_reporter_adds_information_and_evidence(client, operator):
    case, code = make_case()
    claim_case(case=case, user=operator)
    wait_for_reporter(case=case, user=operator)
    open_case(client, case.reference, code)
    response = client.post(
        f"/status/{case.reference}/",
        {"text": "Hôm nay nó lại nhắn", "client_id": "abc-1", "evidence": [png_upload()]},
    )
    assert response.status_code == 302
    case.refresh_from_db()
    message = case.messages.get()
    assert (message.sender, message.text, message.seq) == (Sender.REPORTER, "Hôm nay nó lại nhắn", 1)
    assert case.evidence.count() == 1
    assert case.state == CaseState.IN_PROGRESS  # the reporter answered: back to the counsellor
    kinds = list(case.events.values_list("kind", flat=True))
    assert EventKind.INFO_ADDED in kinds and EventKind.EVIDENCE_ADDED in kinds
    # A resend (double tap on a slow connection) is stored once.
    client.post(f"/status/{case.reference}/", {"text": "Hôm nay nó lại nhắn", "client_id": "abc-1"})
    assert case.messages.count() == 1


def test_an_empty_addition_is_refused_with_a_message(client):
    case, code = make_case()
    open_case(client, case.reference, code)
    response = client.post(f"/status/{case.reference}/", {"text": "  "})
    assert response.status_code == 400
    assert response.context["form"].non_field_errors()


def test_leaving_forgets_the_case_on_this_device(client):
    case, code = make_case()
    open_case(client, case.reference, code)
    assert client.get(f"/status/{case.reference}/").status_code == 200
    client.post("/status/leave/")
    assert client.get(f"/status/{case.reference}/").status_code == 302


def test_the_receipt_session_gives_access_to_the_new_case(client):
    client.post("/", form_post())
    case = Case.objects.get()
    assert client.get(f"/status/{case.reference}/").status_code == 200


def test_a_session_that_starts_to_carry_a_case_gets_a_new_id(client, db):
    from tests.factories import make_case

    client.get("/status/")
    session = client.session
    session["something"] = "before"
    session.save()
    planted = session.session_key
    case, code = make_case()
    response = client.post("/status/", {"reference": case.reference, "access_code": code})
    assert response.status_code == 302
    assert client.cookies["sessionid"].value != planted


def test_a_new_visitors_report_writes_their_session_once(client, db):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from tests.factories import form_post

    with CaptureQueriesContext(connection) as queries:
        response = client.post("/", form_post())
    assert response.status_code == 302
    writes = [q["sql"] for q in queries.captured_queries if "django_session" in q["sql"] and "SELECT" not in q["sql"]]
    assert len(writes) == 1 and writes[0].startswith("INSERT")


def pupil(address="203.0.113.7"):
    """A browser behind a school's shared address: it has loaded the look-up page, so it carries its cookie."""
    browser = Client(REMOTE_ADDR=address)
    browser.get("/status/")
    return browser


def test_it_does_not_lock_a_school_out_for_one_pupils_mistakes(client, settings):
    settings.THROTTLE_STATUS_LOOKUP = (3, 900)
    case, code = make_case()
    mistaken = pupil()
    for _ in range(3):
        assert open_case(mistaken, "ABCD-EFGH", "WRONG").status_code == 400
    assert open_case(mistaken, "ABCD-EFGH", "WRONG").status_code == 429
    # Another pupil behind the same address opens their case with the right code.
    assert open_case(pupil(), case.reference, code).status_code == 302


def test_it_lets_a_right_code_through_after_failures_on_other_references(client, settings):
    settings.THROTTLE_STATUS_LOOKUP = (3, 900)
    settings.THROTTLE_STATUS_REFERENCE = (3, 900)
    case, code = make_case()
    other, _other_code = make_case()
    for _ in range(2):
        for browser in (pupil(), pupil()):
            open_case(browser, other.reference, "WRONG")
    # The other reference is now under attack, but this one is not.
    assert open_case(pupil(), other.reference, _other_code).status_code == 429
    assert open_case(pupil(), case.reference, code).status_code == 302


def test_it_refuses_even_the_right_code_while_its_reference_is_under_attack(client, settings):
    settings.THROTTLE_STATUS_REFERENCE = (3, 900)
    case, code = make_case()
    for number in range(3):
        open_case(pupil(f"198.51.100.{number}"), case.reference, "WRONG")
    assert open_case(pupil("192.0.2.1"), case.reference, code).status_code == 429


def test_it_stops_a_script_that_drops_its_cookie_at_the_address_backstop(client, settings):
    settings.THROTTLE_STATUS_ADDRESS = (4, 900)
    case, code = make_case()
    for _ in range(4):
        assert open_case(pupil(), "ABCD-EFGH", "WRONG").status_code == 400
    assert open_case(pupil(), case.reference, code).status_code == 429
    assert open_case(pupil("192.0.2.9"), case.reference, code).status_code == 302


def test_it_forgets_the_case_on_quick_exit_and_leaves_for_the_exit_url(client, settings):
    settings.QUICK_EXIT_URL = "https://www.google.com.vn/"
    case, code = make_case()
    open_case(client, case.reference, code)
    response = client.get("/exit/")
    assert response.status_code == 302 and response["Location"] == "https://www.google.com.vn/"
    assert response["Clear-Site-Data"] == '"cache", "storage"'
    assert client.get(f"/status/{case.reference}/").status_code == 302


def test_it_forgets_an_unseen_receipt_on_quick_exit(client):
    assert client.post("/", form_post()).status_code == 302
    client.get("/exit/")
    assert "hotline/receipt_gone.html" in [template.name for template in client.get("/receipt/").templates]


def test_the_report_form_and_the_case_page_are_never_cached(client):
    case, code = make_case()
    open_case(client, case.reference, code)
    for url in ("/", "/status/", f"/status/{case.reference}/", "/receipt/"):
        assert client.get(url)["Cache-Control"] == "no-store", url

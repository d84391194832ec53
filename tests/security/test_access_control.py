"""Access control across the whole URL map.

Every route is walked; each staff and liaison URL must refuse anonymous users and every wrong role, for GET
and POST. A new route that this test does not know fails it, so nobody adds a page without deciding who may see it.
"""

import pytest
from django.urls import URLPattern, URLResolver, get_resolver

from cases.models import Consent, Evidence
from escalation.models import EscalationState
from tests.conftest import make_user
from tests.escalation.conftest import make_liaison
from tests.escalation.factories import INFO_DEPT, POLICE, make_escalation
from tests.factories import make_case, png_upload

pytestmark = pytest.mark.django_db

PUBLIC = {
    "report",
    "receipt",
    "favicon",
    "status",
    "status_leave",
    "quick_exit",
    "case_status",
    "api_create_report",
    "api_report_status",
    "api_openapi",
    "login",
    "logout",
    "set_language",
    "push_service_worker",  # the push service worker's script: code, nothing else
    "library_home",
    "library_search",
    "library_article",
    "library_image",  # a picture of a library article: public like the article
    "privacy_notice",
    "privacy_parents",
    # The reporter's own data and consents: the case's code proved in this session (tested below).
    "status_withdraw_consent",
    "status_data_request",
    "status_my_data",
    "status_my_data_json",
}
# route name → the roles that may use it; everyone else must be refused.
STAFF_ROUTES = {
    "queue": {"operator", "supervisor", "admin"},
    "workspace": {"operator", "supervisor", "admin"},
    "action": {"operator", "supervisor", "admin"},
    "evidence_file": {"operator", "supervisor", "admin"},  # cases: and escalation: share the name, see below
    "evidence_reveal": {"operator", "supervisor", "admin"},
    "phone_intake": {"operator", "supervisor", "admin"},
    "sla": {"supervisor", "admin"},
    "dashboard": {"supervisor", "admin"},
    "annual": {"supervisor", "admin"},
    "annual_xlsx": {"supervisor", "admin"},
    "annual_docx": {"supervisor", "admin"},
    "annual_text": {"supervisor", "admin"},
    "cases_csv": {"supervisor", "admin"},
    "audit": {"supervisor", "admin"},
    "legal_hold": {"supervisor", "admin"},
    "duty": {"supervisor", "admin"},
    "remove_shift": {"supervisor", "admin"},
    "page": {"operator", "supervisor", "admin"},
    "push_subscribe": {"operator", "supervisor", "admin"},
    "prepare": {"operator", "supervisor", "admin"},
    "case_action": {"operator", "supervisor", "admin"},
    "record_referral": {"operator", "supervisor", "admin"},
    "approve_referral": {"supervisor", "admin"},
    "portal": {"police", "infodept"},  # each sees only their own agency (tested below)
    "detail": {"police"},
    "portal_action": {"police"},
    "link_outcome": {"police"},
    "library_manage": {"supervisor", "admin"},
    "library_new": {"supervisor", "admin"},
    "library_edit": {"supervisor", "admin"},
    "library_history": {"supervisor", "admin"},
    "record_consent": {"operator", "supervisor", "admin"},
    "record_data_request": {"operator", "supervisor", "admin"},
    "withdraw_consent": {"operator", "supervisor", "admin"},
    "data_requests": {"supervisor", "admin"},
    "answer_data_request": {"supervisor", "admin"},
    "breaches": {"supervisor", "admin"},
    "breach": {"supervisor", "admin"},
}
ROLE_FREE = {"staff_home"}  # a redirect to each role's start page; it shows nothing by itself


def routes(patterns=None, prefix=""):
    for entry in patterns if patterns is not None else get_resolver().url_patterns:
        if isinstance(entry, URLResolver):
            if str(entry.pattern).startswith("admin/"):
                continue  # Django's admin: staff accounts with is_staff only (tested by Django)
            yield from routes(entry.url_patterns, prefix + str(entry.pattern))
        elif isinstance(entry, URLPattern):
            yield prefix + str(entry.pattern), entry.name


@pytest.fixture
def world(operator, supervisor):
    """One case with evidence, escalated to the police; users of every role (and of the other agency)."""
    case, _code = make_case(uploads=[png_upload()])
    police = make_liaison("pa05-walk", POLICE)
    infodept = make_liaison("vhttdl-walk", INFO_DEPT)
    escalation = make_escalation(EscalationState.ACKNOWLEDGED, operator=operator, supervisor=supervisor, liaison=police)
    admin = make_user("admin-walk", "admin")
    return {
        "case": escalation.case,
        "evidence": Evidence.objects.filter(case=escalation.case).first() or case.evidence.first(),
        "escalation": escalation,
        "users": {
            "anonymous": None,
            "nobody": make_user("nobody-walk"),
            "operator": operator,
            "supervisor": supervisor,
            "admin": admin,
            "police": police,
            "infodept": infodept,
        },
    }


def fill(route, world):
    escalation = world["escalation"]
    link = escalation.links.first()
    values = {
        "<str:reference>": world["case"].reference,
        "<int:evidence_id>": str(world["evidence"].pk),
        "<int:pk>": str(escalation.pk),
        "<int:link_id>": str(link.pk if link else 1),
        "<str:action>": "claim",
        "<int:shift_id>": "1",
        "<int:page_id>": "1",
        "<int:consent_id>": "1",
        "<int:request_id>": "1",
        "<int:breach_id>": "1",
    }
    for placeholder, value in values.items():
        route = route.replace(placeholder, value)
    assert "<" not in route, f"no sample value for {route}"
    return "/" + route


def test_every_route_is_classified():
    names = {name for _route, name in routes()}
    unknown = names - PUBLIC - set(STAFF_ROUTES) - ROLE_FREE
    assert not unknown, f"routes nobody decided access for: {sorted(unknown)}"


@pytest.mark.parametrize("method", ["get", "post"])
def test_staff_and_liaison_urls_refuse_anonymous_users_and_wrong_roles(client, world, method):
    checked = 0
    for route, name in routes():
        if name in PUBLIC or name in ROLE_FREE:
            continue
        url = fill(route, world)
        allowed = STAFF_ROUTES[name]
        if name == "evidence_file" and route.startswith("liaison/"):
            allowed = {"police"}
        for role, user in world["users"].items():
            if role in allowed:
                continue
            client.logout()
            if user is not None:
                client.force_login(user)
            response = getattr(client, method)(url)
            if user is None:
                refused = response.status_code in (302, 403, 404, 405) and (
                    response.status_code != 302 or response["Location"].startswith("/accounts/login/")
                )
            else:
                refused = response.status_code in (403, 404, 405)
            assert refused, f"{role} {method.upper()} {url} ({name}) got {response.status_code}"
            checked += 1
    assert checked > 80


def test_another_agency_gets_404_for_an_escalation(client, world):
    client.force_login(world["users"]["infodept"])
    escalation = world["escalation"]
    for url in (f"/liaison/{escalation.pk}/", f"/liaison/{escalation.pk}/evidence/{world['evidence'].pk}/"):
        assert client.get(url).status_code == 404


def test_a_reporters_access_to_one_case_gives_nothing_of_another(client):
    mine, my_code = make_case(uploads=[png_upload()])
    other, _ = make_case(uploads=[png_upload()])
    client.post("/status/", {"reference": mine.reference, "access_code": my_code})
    assert client.get(f"/status/{mine.reference}/").status_code == 200
    assert client.get(f"/status/{other.reference}/").status_code == 302
    assert client.post(f"/status/{other.reference}/", {"text": "xin chào"}).status_code == 302
    assert not other.messages.exists()
    assert client.get(f"/api/v1/reports/{other.reference}", HTTP_X_ACCESS_CODE=my_code).status_code == 404
    evidence = other.evidence.get()
    assert client.get(f"/cases/{other.reference}/evidence/{evidence.pk}/").status_code == 302  # to staff login
    assert client.get("/cases/").status_code == 302
    # The privacy side of the status page: nothing of another case either.
    consent = Consent.objects.create(case=other, given_by="young_person", scope="share_police", channel="web_form")
    for url in (f"/status/{other.reference}/my-data/", f"/status/{other.reference}/my-data.json"):
        assert client.get(url).status_code == 302
    assert client.post(f"/status/{other.reference}/consent/{consent.pk}/withdraw/").status_code == 302
    assert client.post(f"/status/{other.reference}/requests/", {"kind": "delete"}).status_code == 302
    # Nor another case's consent through one's own case.
    assert client.post(f"/status/{mine.reference}/consent/{consent.pk}/withdraw/").status_code == 404
    consent.refresh_from_db()
    assert consent.withdrawn_at is None and not other.data_requests.exists()

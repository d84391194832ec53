"""Access control across the whole URL map.

Every route is walked; each staff and liaison URL must refuse anonymous users and every wrong role, for GET
and POST, and every role's session that has not passed the second factor. A new route that this test does not know
fails it, so nobody adds a page without deciding who may see it.
"""

import pytest
from django.urls import URLPattern, URLResolver, get_resolver
from django_otp.plugins.otp_totp.models import TOTPDevice

from cases.models import Consent, Evidence
from escalation.models import EscalationState
from tests.conftest import make_user
from tests.escalation.conftest import make_liaison
from tests.escalation.factories import INFO_DEPT, POLICE, make_escalation
from tests.factories import make_case, png_upload, verified_login

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
    # The reporter's own: each needs the access code (API) or the access proven in this session (status pages).
    "api_chat_ticket",
    "api_report_messages",
    "status_check_in",
    "status_notice_channel",
    "status_push_subscribe",
    "status_push_unsubscribe",
    "status_safety_note",
    "status_service_worker",  # the reporter's push service worker: code, nothing else
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
    "admin_login",  # a redirect to the staff sign-in
    "js-i18n-catalog",  # the passkey script's translations: code, nothing else
    "passkeys_jsi18n",  # the same, with our Vietnamese
}
# The second sign-in step: any account that passed the password (with no role too), never an anonymous visitor.
SIGN_IN_STEPS = {
    "verify",
    "enrol",
    "enrolled",
    "credential-registration-begin",
    "credential-registration-complete",
    "credential-authentication-begin",
    "credential-authentication-complete",
    "passkeys_verification_complete",
    "passkeys_registration_complete",
}
# One's own devices and sessions: any signed-in account that passed the second factor.
ACCOUNT_PAGES = {"security", "sessions", "recovery_codes", "new_recovery_codes"}
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
    unknown = names - PUBLIC - set(STAFF_ROUTES) - ROLE_FREE - SIGN_IN_STEPS - ACCOUNT_PAGES
    assert not unknown, f"routes nobody decided access for: {sorted(unknown)}"


@pytest.mark.parametrize("method", ["get", "post"])
def test_staff_and_liaison_urls_refuse_anonymous_users_and_wrong_roles(client, world, method):
    checked = 0
    for route, name in routes():
        if name in PUBLIC or name in ROLE_FREE:
            continue
        url = fill(route, world)
        allowed = STAFF_ROUTES.get(name, set(world["users"]) - {"anonymous"})
        if name == "evidence_file" and route.startswith("liaison/"):
            allowed = {"police"}
        for role, user in world["users"].items():
            if role in allowed:
                continue
            client.logout()
            if user is not None:
                verified_login(client, user)
            response = getattr(client, method)(url)
            if user is None:
                refused = response.status_code in (302, 401, 403, 404, 405) and (
                    response.status_code != 302 or response["Location"].startswith("/accounts/login/")
                )
            else:
                refused = response.status_code in (403, 404, 405)
            assert refused, f"{role} {method.upper()} {url} ({name}) got {response.status_code}"
            checked += 1
    assert checked > 80


@pytest.mark.parametrize("method", ["get", "post"])
def test_every_staff_liaison_and_account_url_refuses_a_session_without_the_second_factor(client, world, method):
    """The password alone opens nothing: each role's own pages send an unverified session to the second step
    (enrolment for an account without a device, verification for one with a device)."""
    for role in ("operator", "police", "admin"):
        TOTPDevice.objects.create(user=world["users"][role], name="phone", confirmed=True)
    checked = 0
    for route, name in routes():
        if name in PUBLIC or name in ROLE_FREE or name in SIGN_IN_STEPS:
            continue
        url = fill(route, world)
        allowed = STAFF_ROUTES.get(name, set(world["users"]) - {"anonymous"})
        for role in sorted(allowed & set(world["users"])):
            user = world["users"][role]
            client.logout()
            client.force_login(user)  # the password step only
            response = getattr(client, method)(url)
            enrolled = TOTPDevice.objects.filter(user=user, confirmed=True).exists()
            step = "/accounts/verify/" if enrolled else "/accounts/enrol/"
            assert response.status_code == 302 and response["Location"].startswith(step), (
                f"unverified {role} {method.upper()} {url} ({name}) got {response.status_code}"
            )
            checked += 1
    assert checked > 60


def test_another_agency_gets_404_for_an_escalation(client, world):
    verified_login(client, world["users"]["infodept"])
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

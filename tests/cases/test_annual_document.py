"""The annual report as a document: the default period, the narrative sections (drafts, one final version), the
DOCX read back with python-docx, and the mid-November reminder."""

import datetime
import io

import pytest
from django.contrib.auth.models import User
from django.core import mail
from django.core.management import call_command
from docx import Document

from cases import statistics
from cases.annual_report import finalise_annual_text, remind_supervisors, save_annual_text
from cases.models import AdministrativeUnit, AnnualReportText, AuditEntry
from cases.services import NotAllowed
from cases.statistics import Period
from escalation.models import Agency, AgencyKind
from tests.cases.report_data import known_year, make_units
from tests.conftest import make_user
from tests.factories import verified_login

pytestmark = pytest.mark.django_db

YEAR = Period.year(2026)
QUERY = "start=2026-01-01&end=2026-12-31"
SECTIONS = [
    "I. Cách thức tổ chức thực hiện",
    "II. Kết quả thực hiện các nhiệm vụ của Kế hoạch 435/KH-UBND",
    "III. Đánh giá",
    "IV. Khó khăn, hạn chế",
    "V. Phương hướng năm tới",
    "VI. Đề xuất, kiến nghị",
]


@pytest.fixture
def year(operator, supervisor):
    return known_year(operator=operator, supervisor=supervisor, units=make_units())


def test_the_reporting_year_ends_on_30_november():
    period = Period.reporting_year(datetime.date(2026, 11, 15))
    assert (period.first_day, period.last_day) == (datetime.date(2025, 12, 1), datetime.date(2026, 11, 30))
    assert period.year_before() == Period(datetime.date(2024, 12, 1), datetime.date(2025, 11, 30))


def test_the_docx_has_the_heading_the_sections_and_the_dashboards_figures(client, supervisor, year):
    save_annual_text(period=YEAR, user=supervisor, organisation="Tổng đài trực 7:30–22:00 mỗi ngày.")
    verified_login(client, supervisor)
    response = client.get(f"/reports/annual.docx?{QUERY}")
    assert response.status_code == 200 and response["Content-Disposition"].endswith('.docx"')
    document = Document(io.BytesIO(response.content))
    heading = document.tables[0].rows[0].cells
    assert heading[0].paragraphs[0].text == "BAN CHẤP HÀNH ĐOÀN TỈNH BẮC NINH"
    assert heading[0].paragraphs[2].text.startswith("Số:") and "-BC/TĐTN-" in heading[0].paragraphs[2].text
    assert heading[1].paragraphs[0].text == "ĐOÀN TNCS HỒ CHÍ MINH"
    texts = [paragraph.text for paragraph in document.paragraphs]
    assert "BÁO CÁO" in texts and "Kính gửi: Ủy ban nhân dân tỉnh Bắc Ninh" in texts
    sections = [p.text for p in document.paragraphs if p.style.name == "Heading 1"]
    assert sections == SECTIONS
    assert "Tổng đài trực 7:30–22:00 mỗi ngày." in texts
    # The cases figure, this year and last year, is the dashboard's.
    dashboard = client.get(f"/reports/?{QUERY}").context["figures"]
    overview = {row.cells[0].text: (row.cells[1].text, row.cells[2].text) for row in document.tables[1].rows}
    last_year = statistics.summary(Period.year(2025)).cases
    assert overview["Hồ sơ"] == (str(dashboard.summary.cases), str(last_year)) and last_year == 1
    assert dashboard.summary.cases == statistics.summary(YEAR).cases == 4
    # Sub-categories such as sextortion are listed under their category.
    categories = [row.cells[0].text for row in document.tables[2].rows]
    assert "  – Bị đe dọa tung ảnh/clip nhạy cảm (tống tiền tình dục)" in categories
    signature = document.tables[-1].rows[0].cells
    assert signature[1].paragraphs[0].text == "TM. BAN THƯỜNG VỤ"
    assert "Đồng chí Chủ tịch UBND tỉnh (để báo cáo);" in signature[0].text
    assert AuditEntry.objects.filter(action="export_docx", actor=supervisor).count() == 1
    # The printable page carries the same narrative.
    page = client.get(f"/reports/annual/?{QUERY}").content.decode()
    assert "Cách thức tổ chức thực hiện" in page and "Tổng đài trực 7:30–22:00 mỗi ngày." in page


def test_drafts_are_kept_and_one_final_version_is_frozen_with_its_figures(client, supervisor, year):
    verified_login(client, supervisor)
    page = client.get(f"/reports/annual/text/?{QUERY}")
    assert page.status_code == 200
    client.post(f"/reports/annual/text/?{QUERY}", {"assessment": "Bản nháp 1", "save": "1"})
    client.post(f"/reports/annual/text/?{QUERY}", {"assessment": "Bản nháp 2", "finalise": "1"})
    versions = AnnualReportText.objects.filter(first_day=YEAR.first_day, last_day=YEAR.last_day)
    assert versions.count() == 2
    final = versions.get(final=True)
    assert final.assessment == "Bản nháp 2" and len(final.sha256) == 64
    assert final.figures["summary"]["cases"] == 4
    assert AuditEntry.objects.get(action="annual_report_final").params["sha256"] == final.sha256
    # Final means final: a later save is refused with a message, nothing typed is stored.
    response = client.post(f"/reports/annual/text/?{QUERY}", {"assessment": "Sửa", "save": "1"}, follow=True)
    assert "không thể thay đổi" in response.content.decode() and versions.count() == 2
    with pytest.raises(NotAllowed):
        finalise_annual_text(period=YEAR, user=supervisor)
    document = Document(io.BytesIO(client.get(f"/reports/annual.docx?{QUERY}").content))
    assert any(final.sha256 in paragraph.text for paragraph in document.paragraphs)


def test_the_reminder_goes_to_each_supervisor_until_the_report_is_final(supervisor, capsys):
    supervisor.email = "chief@example.org"
    supervisor.save()
    make_user("deputy", "supervisor", email="deputy@example.org")
    make_user("counsellor", "operator", email="op@example.org")
    call_command("remind_annual_report")
    assert "2 supervisors reminded" in capsys.readouterr().out
    assert sorted(message.to[0] for message in mail.outbox) == ["chief@example.org", "deputy@example.org"]
    assert all(len(message.to) == 1 and "5" in message.subject for message in mail.outbox)
    period = Period.reporting_year()
    save_annual_text(period=period, user=supervisor, assessment="Xong")
    finalise_annual_text(period=period, user=supervisor)
    assert remind_supervisors() == 0


def test_the_demo_has_the_whole_province_and_an_annual_report_that_reads_as_a_document(
    settings, client, django_capture_on_commit_callbacks
):
    settings.DEBUG = True
    with django_capture_on_commit_callbacks(execute=True):
        call_command("load_demo", stdout=io.StringIO())
    assert AdministrativeUnit.objects.current().count() == 99
    assert Agency.objects.current().filter(kind=AgencyKind.LOCAL_GOVERNMENT).count() == 99
    verified_login(client, User.objects.get(username="supervisor"))
    document = Document(io.BytesIO(client.get("/reports/annual.docx").content))
    texts = [paragraph.text for paragraph in document.paragraphs]
    assert "(Giám sát viên sẽ viết phần này.)" not in texts
    assert "Nguyễn Văn A (demo)" in document.tables[-1].rows[0].cells[1].text

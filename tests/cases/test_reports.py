"""The pages at /reports/: the dashboard, the annual report, the XLSX and CSV exports, the legal-hold form."""

import csv
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from openpyxl import load_workbook

from cases import rollup, services
from cases.exports import spreadsheet_safe
from cases.models import AdministrativeUnit, AuditEntry, Case, Category, EventKind
from tests.cases.report_data import known_year, make_units
from tests.conftest import make_user
from tests.factories import make_case, verified_login

pytestmark = pytest.mark.django_db

YEAR = "start=2026-01-01&end=2026-12-31"
PAGES = ["/reports/", "/reports/annual/", "/reports/annual.xlsx", "/reports/cases.csv", "/reports/audit/"]


@pytest.fixture
def year(operator, supervisor):
    return known_year(operator=operator, supervisor=supervisor, units=make_units())


def csv_rows(response):
    content = b"".join(response.streaming_content).decode()
    return list(csv.DictReader(io.StringIO(content)))


@pytest.mark.parametrize("url", PAGES)
def test_only_supervisors_and_admins_get_in(client, operator, outsider, url):
    assert client.get(url).status_code == 302  # to the login page
    liaison = make_user("liaison1", "liaison")
    for user in (operator, outsider, liaison):
        verified_login(client, user)
        assert client.get(url).status_code == 403
    assert not AuditEntry.objects.exclude(action="units_loaded").exists()
    for role in ("supervisor", "admin"):
        verified_login(client, make_user(f"{role}-x", role))
        assert client.get(url).status_code == 200


def test_the_nav_shows_reports_to_supervisors_only(client, operator, supervisor):
    verified_login(client, operator)
    assert 'href="/reports/"' not in client.get("/cases/").content.decode()
    verified_login(client, supervisor)
    assert 'href="/reports/"' in client.get("/cases/").content.decode()


def test_the_dashboard_draws_the_figures_with_a_table_behind_each_chart(client, supervisor, year):
    verified_login(client, supervisor)
    response = client.get(f"/reports/?{YEAR}")
    assert response.status_code == 200
    figures = response.context["figures"]
    assert figures.summary.cases == 4 and figures.summary.received == 5
    html = response.content.decode()
    # Cases over time, six breakdowns, communes and former districts: each an SVG chart with its data table.
    assert html.count('<figure class="chart') == 1 + 6 + 2
    assert html.count('<div class="visually-hidden"><table class="report-table">') == 1 + 6 + 2
    assert "Phường Kinh Bắc" in html
    assert "http://" not in html and "https://" not in html  # drawn by the app itself: nothing from elsewhere


def test_the_period_defaults_to_this_year_and_a_bad_period_says_so(client, supervisor, year):
    verified_login(client, supervisor)
    default = client.get("/reports/").context["figures"].period
    assert default.first_day.month == 1 and default.last_day.month == 12
    march = client.get("/reports/?start=2026-03-01&end=2026-03-31").context["figures"]
    assert march.summary.received == 3 and march.over_time.unit == "day"
    response = client.get("/reports/?start=2026-12-31&end=2026-01-01")
    assert response.status_code == 200 and response.context["form"].errors
    assert response.context["figures"].period == default


def test_the_dashboard_costs_the_same_queries_for_one_case_or_many(client, operator, supervisor):
    verified_login(client, supervisor)
    units = list(AdministrativeUnit.objects.all()) or list(make_units().values())
    make_case(commune_unit=units[-1])

    def count():
        rollup.refresh_dirty()  # the worker's catch-up after each commit (tests commit nothing)
        with CaptureQueriesContext(connection) as context:
            assert client.get("/reports/").status_code == 200
        return len(context.captured_queries)

    one = count()
    for i in range(12):
        case, _ = make_case(
            category_code=["OSE", "SCM", "CBH", "INF"][i % 4],
            commune_unit=units[i % len(units)] if units[i % len(units)].kind != "district" else None,
            age_band=["10_12", "13_15", "16_17"][i % 3],
            in_danger=i % 5 == 0,
        )
        if i % 2:
            services.claim_case(case=case, user=operator)
            services.post_staff_message(case=case, user=operator, text="Chào em")
    assert Case.objects.count() == 13
    assert count() == one


def test_the_annual_report_is_vietnamese_lists_every_unit_and_is_audited(client, supervisor, year):
    verified_login(client, supervisor)
    response = client.get(f"/reports/annual/?{YEAR}")
    assert response.status_code == 200
    html = response.content.decode()
    assert '<html lang="vi">' in html
    for unit in ("Phường Kinh Bắc", "Phường Từ Sơn", "Xã Yên Phong", "Thành phố Bắc Ninh"):
        assert unit in html
    entry = AuditEntry.objects.get(action="view_annual_report")
    assert entry.actor == supervisor
    assert entry.params == {"start": "2026-01-01", "end": "2026-12-31", "lang": "vi"}
    english = client.get(f"/reports/annual/?{YEAR}&lang=en")
    assert '<html lang="en">' in english.content.decode() and "REPORT" in english.content.decode()


def test_the_annual_report_is_the_same_in_english_whatever_the_reader_chose(client, supervisor, year):
    verified_login(client, supervisor)
    client.post("/i18n/setlang/", {"language": "en", "next": "/reports/"})
    assert '<html lang="vi">' in client.get(f"/reports/annual/?{YEAR}").content.decode()


def test_the_xlsx_has_the_figures_as_numbers_and_never_a_formula(client, supervisor, year):
    Category.objects.filter(code="CBH").update(name_vi='=HYPERLINK("http://evil.example","bấm")')
    verified_login(client, supervisor)
    response = client.get(f"/reports/annual.xlsx?{YEAR}")
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert 'filename="hotline-annual-report-2026-01-01_2026-12-31.xlsx"' in response["Content-Disposition"]
    workbook = load_workbook(io.BytesIO(response.content))
    cells = [cell for sheet in workbook.worksheets for row in sheet.iter_rows() for cell in row]
    assert not [cell.coordinate for cell in cells if cell.data_type == "f"]
    injected = [cell for cell in cells if isinstance(cell.value, str) and cell.value.startswith("=HYPERLINK")]
    assert injected and all(cell.data_type == "s" for cell in injected)
    summary = workbook.worksheets[0]
    values = {row[0]: row[1] for row in summary.iter_rows(min_row=5, values_only=True) if row[0]}
    assert list(values.values())[:3] == [5, 1, 4]  # received, rejected, cases
    entry = AuditEntry.objects.get(action="export_xlsx")
    assert entry.actor == supervisor and entry.target.endswith(".xlsx")


def test_the_csv_is_anonymised(client, supervisor, year):
    verified_login(client, supervisor)
    response = client.get(f"/reports/cases.csv?{YEAR}")
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    rows = csv_rows(response)
    assert len(rows) == 5
    by_category = sorted((row["category"], row["subcategory"], row["commune_unit"], row["state"]) for row in rows)
    assert by_category == [
        ("CBH", "", "09187", "closed"),
        ("CBH", "", "09187", "new"),
        ("INF", "", "09187", "rejected"),
        ("OSE", "OSE-SEXTORTION", "09367", "new"),
        ("SCM", "", "", "new"),
    ]
    a = next(row for row in rows if row["state"] == "closed")
    assert a["created_month"] == "2026-01" and a["first_response_minutes"] == "30" and a["outcome"] == "advice_given"
    content = "".join(str(row) for row in rows)
    for case in year.values():
        assert case.reference not in content
    assert "912345678" not in content and "example.vn" not in content and "facebook" not in content.lower()
    entry = AuditEntry.objects.get(action="export_csv")
    assert entry.actor == supervisor and entry.params["start"] == "2026-01-01"


def test_row_ids_are_random_for_every_export(client, supervisor, year):
    verified_login(client, supervisor)
    first = {row["row_id"] for row in csv_rows(client.get(f"/reports/cases.csv?{YEAR}"))}
    second = {row["row_id"] for row in csv_rows(client.get(f"/reports/cases.csv?{YEAR}"))}
    assert len(first) == len(second) == 5 and not first & second


def test_the_csv_neutralises_formulas(client, supervisor, year):
    Category.objects.filter(code="SCM").update(code="=1+2")
    AdministrativeUnit.objects.filter(code="09367").update(code="@SUM(A1)")
    verified_login(client, supervisor)
    content = b"".join(client.get(f"/reports/cases.csv?{YEAR}").streaming_content).decode()
    assert "'=1+2" in content and "'@SUM(A1)" in content
    assert ",=1+2" not in content and ",@SUM" not in content


@pytest.mark.parametrize("value", ["=cmd|' /C calc'!A0", "+1", "-2+3", "@SUM(1)", "\tx", "\rx", "＝1"])
def test_spreadsheet_safe_prefixes_every_formula_start(value):
    assert spreadsheet_safe(value) == "'" + value


def test_spreadsheet_safe_leaves_plain_values_alone():
    assert spreadsheet_safe("CBH") == "CBH" and spreadsheet_safe(-5) == -5 and spreadsheet_safe("") == ""


@pytest.mark.asyncio
@pytest.mark.django_db(transaction=True)
async def test_under_asgi_the_csv_streams_in_chunks(async_client, reference_data):
    from asgiref.sync import sync_to_async

    @sync_to_async
    def setup():
        user = make_user("sup-async", "supervisor")
        for _ in range(3):
            make_case()
        return user

    user = await setup()
    await sync_to_async(verified_login)(async_client, user)
    response = await async_client.get("/reports/cases.csv")
    assert response.status_code == 200 and response.is_async
    content = b"".join([chunk async for chunk in response.streaming_content]).decode()
    assert len(list(csv.DictReader(io.StringIO(content)))) == 3


def test_a_supervisor_places_and_releases_a_legal_hold_from_the_case_page(client, supervisor):
    case, _ = make_case()
    verified_login(client, supervisor)
    page = client.get(f"/cases/{case.reference}/").content.decode()
    assert f'action="/reports/legal-hold/{case.reference}/"' in page
    response = client.post(f"/reports/legal-hold/{case.reference}/", {"action": "set", "reason": "CV 12/PA05"})
    assert response.status_code == 302 and response["Location"] == f"/cases/{case.reference}/"
    case.refresh_from_db()
    assert case.legal_hold and case.legal_hold_reason == "CV 12/PA05"
    assert "CV 12/PA05" in client.get(f"/cases/{case.reference}/").content.decode()
    client.post(f"/reports/legal-hold/{case.reference}/", {"action": "release", "reason": ""})
    case.refresh_from_db()
    assert not case.legal_hold
    assert case.events.filter(kind=EventKind.LEGAL_HOLD).count() == 2


def test_a_legal_hold_needs_a_reason_and_the_permission(client, operator, supervisor):
    case, _ = make_case()
    verified_login(client, supervisor)
    client.post(f"/reports/legal-hold/{case.reference}/", {"action": "set", "reason": "  "})
    case.refresh_from_db()
    assert not case.legal_hold
    verified_login(client, operator)
    assert client.post(f"/reports/legal-hold/{case.reference}/", {"action": "set", "reason": "x"}).status_code == 403
    assert f"/reports/legal-hold/{case.reference}/" not in client.get(f"/cases/{case.reference}/").content.decode()
    case.refresh_from_db()
    assert not case.legal_hold

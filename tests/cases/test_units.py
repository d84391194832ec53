"""Administrative units: the CSV loader, the command, the current list, the report form and the API."""

import datetime
import io
import json

import pytest
from django.contrib.auth.models import Group, Permission
from django.core.management import CommandError, call_command

from cases import roles
from cases.models import AdministrativeUnit, AuditEntry, Case, UnitKind
from cases.units import UnitFileError, load_units
from hotline.forms import ReportForm
from tests.cases.report_data import UNITS_CSV, make_units
from tests.factories import form_post

pytestmark = pytest.mark.django_db

HEADER = "code,name,kind,parent_code,valid_from,valid_until\n"


def load(text):
    return load_units(io.StringIO(text))


def test_it_loads_units_with_their_former_district():
    result = load(UNITS_CSV)
    assert (result.created, result.updated, result.unchanged) == (6, 0, 0)
    kinh_bac = AdministrativeUnit.objects.get(code="09187")
    assert kinh_bac.name == "Phường Kinh Bắc" and kinh_bac.kind == UnitKind.WARD
    assert kinh_bac.parent.code == "256" and kinh_bac.valid_from == datetime.date(2025, 7, 1)
    assert kinh_bac.valid_until is None
    assert AdministrativeUnit.objects.get(code="256").valid_until == datetime.date(2025, 6, 30)


def test_loading_again_changes_nothing_and_a_corrected_file_updates():
    load(UNITS_CSV)
    assert load(UNITS_CSV).unchanged == 6
    corrected = UNITS_CSV.replace("Xã Yên Phong,commune", "Xã Yên Phong mới,commune")
    result = load(corrected)
    assert (result.created, result.updated, result.unchanged) == (0, 1, 5)
    assert AdministrativeUnit.objects.get(code="09193").name == "Xã Yên Phong mới"
    assert AdministrativeUnit.objects.count() == 6


def test_each_load_is_on_the_audit_log():
    load(UNITS_CSV)
    entry = AuditEntry.objects.get()
    assert entry.action == "units_loaded" and entry.params == {"created": 6, "updated": 0, "unchanged": 0}


@pytest.mark.parametrize(
    ("rows", "message"),
    [
        ("09187,Phường Kinh Bắc,village,,2025-07-01,\n", "line 2: kind must be one of"),
        ("09187,Phường Kinh Bắc,ward,,01/07/2025,\n", "line 2: valid_from must be a date"),
        ("09187,Phường Kinh Bắc,ward,999,2025-07-01,\n", "line 2: parent 999 is not a known district"),
        ("09187,A,ward,,2025-07-01,\n09187,B,ward,,2025-07-01,\n", "line 3: the code 09187 appears twice"),
        ("09187,,ward,,2025-07-01,\n", "line 2: code and name are required"),
        ("256,TP,district,258,1997-01-01,\n", "line 2: a district has no parent"),
        ("09187,A,ward,,2025-07-01,2025-01-01\n", "line 2: valid_until is before valid_from"),
    ],
)
def test_a_bad_file_is_refused_whole_with_the_line(rows, message):
    with pytest.raises(UnitFileError, match=message):
        load(HEADER + rows)
    assert AdministrativeUnit.objects.count() == 0


def test_a_file_without_the_header_is_refused():
    with pytest.raises(UnitFileError, match="missing: kind"):
        load("code,name\n1,A\n")


def test_the_command_loads_a_file_and_reports_errors(tmp_path, capsys):
    path = tmp_path / "units.csv"
    path.write_text("\ufeff" + UNITS_CSV, encoding="utf-8")  # Excel's BOM is fine
    call_command("load_units", str(path))
    assert "6 created" in capsys.readouterr().out
    path.write_text(HEADER + "1,A,hamlet,,2025-07-01,\n", encoding="utf-8")
    with pytest.raises(CommandError, match="line 2: kind"):
        call_command("load_units", str(path))
    with pytest.raises(CommandError, match="cannot read"):
        call_command("load_units", str(tmp_path / "missing.csv"))


def test_it_loads_the_shipped_list_without_an_argument():
    call_command("load_units")
    current = AdministrativeUnit.objects.current(on=datetime.date(2025, 7, 1))
    assert current.count() == 99 and all(unit.parent_id for unit in current)
    assert current.filter(kind=UnitKind.WARD).count() == 33 and current.filter(kind=UnitKind.COMMUNE).count() == 66
    assert not AdministrativeUnit.objects.current(on=datetime.date(2025, 6, 30)).exists()
    districts = AdministrativeUnit.objects.filter(kind=UnitKind.DISTRICT)
    assert all(district.valid_until == datetime.date(2025, 6, 30) for district in districts)
    # Every former district of the old Bắc Ninh (8) and of the old Bắc Giang (10).
    assert set(districts.values_list("name", flat=True)) == {
        "Thành phố Bắc Ninh",
        "Thành phố Từ Sơn",
        "Thị xã Quế Võ",
        "Thị xã Thuận Thành",
        "Huyện Yên Phong",
        "Huyện Tiên Du",
        "Huyện Gia Bình",
        "Huyện Lương Tài",
        "Thành phố Bắc Giang",
        "Thị xã Việt Yên",
        "Thị xã Chũ",
        "Huyện Hiệp Hòa",
        "Huyện Lạng Giang",
        "Huyện Lục Nam",
        "Huyện Lục Ngạn",
        "Huyện Sơn Động",
        "Huyện Tân Yên",
        "Huyện Yên Thế",
    }
    # The provincial centre: Phường Bắc Giang, from the former Bắc Giang city only.
    bac_giang = AdministrativeUnit.objects.get(code="07210")
    assert bac_giang.kind == UnitKind.WARD and list(bac_giang.formed_from.values_list("code", flat=True)) == ["213"]
    # Phường Đa Mai was formed from communes of two former districts.
    da_mai = AdministrativeUnit.objects.get(name="Phường Đa Mai")
    assert da_mai.parent.code == "213"
    assert set(da_mai.formed_from.values_list("code", flat=True)) == {"213", "216"}
    assert call_command("load_units") is None and AdministrativeUnit.objects.count() == 117


def test_formed_from_must_name_known_districts_and_is_updated_on_reload():
    load(UNITS_CSV)
    with_links = UNITS_CSV.replace("code,name,kind,parent_code,valid_from,valid_until\n", "")
    header = "# a comment before the header\ncode,name,kind,parent_code,valid_from,valid_until,formed_from\n"
    kinh_bac_row = "09187,Phường Kinh Bắc,ward,256,2025-07-01,"
    text = header + with_links.replace(kinh_bac_row, kinh_bac_row + ",256 258")
    result = load(text)
    assert (result.created, result.updated, result.unchanged) == (0, 1, 5)
    kinh_bac = AdministrativeUnit.objects.get(code="09187")
    assert set(kinh_bac.formed_from.values_list("code", flat=True)) == {"256", "258"}
    with pytest.raises(UnitFileError, match="line 6: formed_from 999 is not a known district"):
        load(text.replace("256 258", "256 999"))


def test_current_units_are_the_communes_and_wards_in_force():
    make_units()
    load(HEADER + "09999,Xã Cũ,commune,,2025-07-01,2025-12-31\n09998,Xã Mới,commune,,2027-01-01,\n")
    assert set(AdministrativeUnit.objects.current(on=datetime.date(2026, 6, 1)).values_list("code", flat=True)) == {
        "09187",
        "09367",
        "09193",
    }
    assert "09999" in AdministrativeUnit.objects.current(on=datetime.date(2025, 8, 1)).values_list("code", flat=True)


def test_the_report_form_offers_the_current_units_by_name(client):
    make_units()
    form = ReportForm()
    assert [unit.code for unit in form.fields["commune_unit"].queryset] == ["09187", "09367", "09193"]
    html = client.get("/").content.decode()
    assert 'name="commune_unit"' in html and '<option value="09187">Phường Kinh Bắc</option>' in html


def test_a_report_is_saved_with_its_unit(client):
    make_units()
    response = client.post("/", form_post(commune_unit="09367"))
    assert response.status_code == 302
    case = Case.objects.get()
    assert case.commune_unit.code == "09367" and case.commune == "Phường Từ Sơn"


def test_the_unit_is_optional_and_a_former_district_cannot_be_chosen(client):
    make_units()
    assert client.post("/", form_post(commune_unit="")).status_code == 302
    assert Case.objects.get().commune_unit is None
    response = client.post("/", form_post(commune_unit="256"))
    assert response.status_code == 400 and "commune_unit" in response.context["form"].errors


def test_the_api_takes_a_unit_code(client):
    make_units()
    body = {"category": "SCM", "description": "Em bị lừa.", "commune_unit": "09193"}
    response = client.post("/api/v1/reports", data=json.dumps(body), content_type="application/json")
    assert response.status_code == 201
    assert Case.objects.get(reference=response.json()["reference"]).commune_unit.code == "09193"
    body["commune_unit"] = "Xã Yên Phong"
    response = client.post("/api/v1/reports", data=json.dumps(body), content_type="application/json")
    assert response.status_code == 400 and set(response.json()["errors"]) == {"commune_unit"}


def test_supervisors_and_admins_hold_the_report_and_legal_hold_permissions():
    names = ["set_legal_hold", "view_reports"]
    for role in (roles.SUPERVISOR, roles.ADMIN):
        assert Group.objects.get(name=role).permissions.filter(codename__in=names).count() == 2
    assert not Group.objects.get(name=roles.OPERATOR).permissions.filter(codename__in=names).exists()
    for name in roles.ROLE_PERMISSIONS[roles.SUPERVISOR]:
        app_label, codename = name.split(".")
        assert Permission.objects.filter(content_type__app_label=app_label, codename=codename).exists(), name

"""The hotline's own settings: one row edited in the admin, audited, cached, shown on every public page and on the
annual report."""

import pytest
from django.contrib.auth.models import User
from django.core.cache import cache

from cases.hotline_settings import update_hotline_settings
from cases.models import HOTLINE_SETTINGS_CACHE_KEY, AuditEntry, HotlineSettings
from tests.factories import make_case, verified_login

pytestmark = pytest.mark.django_db

PUBLIC_PAGES = ["/", "/status/", "/receipt/"]


@pytest.fixture
def admin_user(db):
    return User.objects.create_superuser("root", password="a-long-test-password")


def test_it_has_one_row_with_the_safety_numbers_by_default():
    row = HotlineSettings.current()
    assert HotlineSettings.objects.count() == 1 and row.pk == HotlineSettings.ROW_ID
    assert [number for number, _label in row.safety_number_list()] == ["113", "111"]
    assert row.missing() == ["phone", "hours_vi", "signer_name"]


def test_a_change_is_audited_and_clears_the_cache(admin_user, django_capture_on_commit_callbacks):
    HotlineSettings.current()
    assert cache.get(HOTLINE_SETTINGS_CACHE_KEY) is not None
    with django_capture_on_commit_callbacks(execute=True):
        changed = update_hotline_settings(user=admin_user, phone="0222 3 888 111", zalo="0222388811")
    assert changed == ["phone", "zalo"] and cache.get(HOTLINE_SETTINGS_CACHE_KEY) is None
    entry = AuditEntry.objects.get(action="settings_changed")
    assert entry.actor == admin_user and entry.target == "phone, zalo"
    assert entry.params["changes"]["phone"] == {"from": "", "to": "0222 3 888 111"}
    assert HotlineSettings.current().phone == "0222 3 888 111"
    # Saving the same values again changes nothing and writes nothing.
    assert update_hotline_settings(user=admin_user, phone="0222 3 888 111") == []
    assert AuditEntry.objects.filter(action="settings_changed").count() == 1
    with pytest.raises(ValueError, match="not a hotline setting"):
        update_hotline_settings(user=admin_user, secret_key="x")


def test_the_admin_edits_the_single_row_through_the_audited_service(client, admin_user):
    verified_login(client, admin_user)
    page = client.get("/admin/cases/hotlinesettings/", follow=True)
    assert page.status_code == 200 and 'name="phone"' in page.content.decode()
    row = HotlineSettings.current()
    data = {name: getattr(row, name) for name in ["zalo", "hours_en", "safety_numbers", "report_number_pattern"]}
    data |= {name: getattr(row, name) for name in ["quiet_hours_start", "quiet_hours_end", "check_in_days"]}
    data |= {"signer_title": row.signer_title, "signer_position": row.signer_position, "recipients": row.recipients}
    data |= {"phone": "0222 3 888 111", "hours_vi": "7:30–22:00 hằng ngày", "signer_name": "Nguyễn Văn A"}
    response = client.post(f"/admin/cases/hotlinesettings/{row.pk}/change/", data)
    assert response.status_code == 302
    entry = AuditEntry.objects.get(action="settings_changed")
    assert set(entry.params["changes"]) == {"phone", "hours_vi", "signer_name"}
    assert client.get("/admin/cases/hotlinesettings/add/").status_code == 403
    assert client.post(f"/admin/cases/hotlinesettings/{row.pk}/delete/").status_code == 403


def test_the_settings_flow_to_every_public_page(client, admin_user, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        update_hotline_settings(
            user=admin_user,
            phone="0222 3 888 111",
            zalo="Tổng đài Tuổi trẻ Bắc Ninh",
            hours_vi="7:30–22:00 hằng ngày",
            hours_en="7:30 am to 10 pm every day",
            safety_numbers="113 | Công an | Police\n111 | Tổng đài 111 | Child hotline 111\n115 | Cấp cứu | Ambulance",
        )
    case, code = make_case()
    pages = [*PUBLIC_PAGES, f"/status/{case.reference}/"]
    client.post("/status/", {"reference": case.reference, "access_code": code})
    for url in pages:
        html = client.get(url).content.decode()
        assert 'href="tel:115"' in html and "Cấp cứu" in html, url
        assert 'href="tel:02223888111"' in html and "7:30–22:00 hằng ngày" in html, url
        assert "Zalo: Tổng đài Tuổi trẻ Bắc Ninh" in html, url
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    english = client.get("/").content.decode()
    assert "Ambulance" in english and "7:30 am to 10 pm every day" in english


def test_the_annual_report_has_the_number_signer_and_recipients(client, supervisor, admin_user):
    update_hotline_settings(
        user=admin_user,
        report_number_pattern="{number}-BC/TĐTN-TTN",
        signer_name="Nguyễn Văn A",
        recipients="Đồng chí Chủ tịch UBND tỉnh (để báo cáo);\nCông an tỉnh;\nLưu: VP.",
    )
    verified_login(client, supervisor)
    html = client.get("/reports/annual/?start=2026-01-01&end=2026-12-31").content.decode()
    assert "-BC/TĐTN-TTN" in html and "Nguyễn Văn A" in html and "TM. BAN THƯỜNG VỤ" in html
    assert "- Đồng chí Chủ tịch UBND tỉnh (để báo cáo);" in html and "- Công an tỉnh;" in html

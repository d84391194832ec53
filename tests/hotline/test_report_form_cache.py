"""The empty report page is rendered once per language and catalogue version, and never goes stale."""

import json
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from cases.catalog import catalogue_version
from cases.models import AdministrativeUnit, Case, Category, Platform
from hotline import page_cache
from tests.cases.report_data import make_units

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _empty_form_cache():
    page_cache.forget()
    yield
    page_cache.forget()


def _form_part(response):
    html = response.content.decode()
    start = html.index('<form class="report-form"')
    return html[start : html.index("</form>", start)]


def test_it_renders_the_same_form_from_the_cache_as_without_it(client, monkeypatch):
    make_units()
    cached_first, cached_again = _form_part(client.get("/")), _form_part(client.get("/"))
    monkeypatch.setattr(page_cache, "catalogue_version", lambda: None)  # as when the cache is down
    live = _form_part(client.get("/"))
    strip_token = re.compile(r'name="(csrfmiddlewaretoken|form_token)" value="[^"]+"')  # both change per page
    assert strip_token.sub("", cached_first) == strip_token.sub("", cached_again) == strip_token.sub("", live)
    assert 'name="category"' in live and 'name="platforms"' in live and 'name="commune_unit"' in live


def test_it_reads_no_catalogue_rows_once_the_form_is_built(client):
    client.get("/")
    with CaptureQueriesContext(connection) as queries:
        response = client.get("/")
    assert response.status_code == 200
    tables = " ".join(query["sql"] for query in queries.captured_queries)
    assert not {"cases_category", "cases_platform", "cases_administrativeunit"} & set(re.findall(r"cases_\w+", tables))


def test_each_language_has_its_own_form(client):
    assert "Bị bắt nạt" in _form_part(client.get("/"))
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    english = _form_part(client.get("/"))
    assert "Bị bắt nạt" not in english and "bullied" in english.lower()


@pytest.mark.django_db(transaction=True)
def test_an_edit_of_the_catalogue_shows_on_the_next_visit(client, reference_data):
    client.get("/")
    category = Category.objects.get(code="CBH")
    category.child_label_vi = "Bị bắt nạt, bị chửi trên mạng (nhãn mới)"
    category.save()
    assert "nhãn mới" in _form_part(client.get("/"))

    Platform.objects.create(code="zing", name="Zing MP3 (mới)", sort_order=999)
    assert "Zing MP3 (mới)" in _form_part(client.get("/"))

    AdministrativeUnit.objects.create(code="99999", name="Phường Thử Nghiệm", kind="ward", valid_from="2025-07-01")
    assert "Phường Thử Nghiệm" in _form_part(client.get("/"))

    Platform.objects.filter(code="zing").delete()
    assert "Zing MP3 (mới)" not in _form_part(client.get("/"))


def test_a_change_not_yet_committed_does_not_make_a_new_version(django_capture_on_commit_callbacks):
    before = catalogue_version()
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        Platform.objects.create(code="pending", name="Pending", sort_order=998)
    assert catalogue_version() == before and callbacks
    for callback in callbacks:
        callback()
    assert catalogue_version() != before


def test_each_visitor_gets_their_own_csrf_token_and_can_send_the_form():
    from django.test import Client

    from tests.factories import form_post

    tokens, form_tokens = [], []
    for _visitor in range(2):
        visitor = Client(enforce_csrf_checks=True)
        page = visitor.get("/").content.decode()
        assert "page-value-" not in page
        [token] = set(re.findall(r'name="csrfmiddlewaretoken" value="([^"]+)"', page))
        [form_token] = re.findall(r'name="form_token" value="([^"]+)"', page)
        tokens.append(token)
        form_tokens.append(form_token)
        response = visitor.post("/", {**form_post(), "csrfmiddlewaretoken": token, "form_token": form_token})
        assert response.status_code == 302 and response["Location"] == "/receipt/"
        assert "receipt-reference" in visitor.get("/receipt/").content.decode()
    assert tokens[0] != tokens[1] and form_tokens[0] != form_tokens[1]
    assert Case.objects.count() == 2  # the second visitor's report is not taken for a repeat of the first


@pytest.mark.django_db(transaction=True)
def test_a_change_of_the_hotline_settings_shows_on_the_next_visit(client, reference_data):
    from cases.hotline_settings import update_hotline_settings

    client.get("/")
    update_hotline_settings(user=None, safety_numbers="113 | Công an | Police\n112 | Cứu nạn | Rescue")
    assert 'href="tel:112"' in client.get("/").content.decode()


def test_another_address_of_the_form_page_is_rendered_as_usual(client):
    client.get("/")
    response = client.get("/?ref=poster")
    assert response.status_code == 200 and 'value="/?ref=poster"' in response.content.decode()


def test_a_visitor_with_errors_gets_their_own_values_not_the_cached_form(client):
    client.get("/")
    response = client.post("/", {"description": "Em bị lừa mất tiền nạp game"})
    assert response.status_code == 400
    assert "Em bị lừa mất tiền nạp game" in _form_part(response)


def test_the_form_still_renders_when_the_cache_is_down(client, settings):
    settings.CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": "redis://127.0.0.1:1/0"}
    }
    response = client.get("/")
    assert response.status_code == 200 and 'name="category"' in response.content.decode()
    assert page_cache._pages == {}  # nothing cached without a catalogue version


def _api_report(client, **changes):
    body = {"category": "CBH", "description": "Có người chế ảnh em.", "platforms": ["facebook"], **changes}
    return client.post("/api/v1/reports", data=json.dumps(body), content_type="application/json")


def test_a_report_s_choices_are_checked_without_reading_the_catalogue(client, django_capture_on_commit_callbacks):
    unit = next(unit for unit in make_units().values() if unit in AdministrativeUnit.objects.current())
    assert _api_report(client).status_code == 201  # builds this process's copy of what may be chosen
    with CaptureQueriesContext(connection) as captured:
        answer = _api_report(client, platforms=["zalo", "facebook"], commune_unit=unit.code)
    assert answer.status_code == 201, answer.content
    read = [query["sql"] for query in captured if query["sql"].startswith("SELECT")]
    catalogue = ("cases_category", "cases_platform", "administrativeunit")
    assert not [sql for sql in read if any(table in sql for table in catalogue)]
    case = Case.objects.get(reference=answer.json()["reference"])
    assert sorted(case.platforms.values_list("code", flat=True)) == ["facebook", "zalo"]
    assert case.commune_unit == unit
    # Unknown codes get the same answers as before.
    assert "category" in _api_report(client, category="NOPE").json()["errors"]
    assert "platforms" in _api_report(client, platforms=["myspace"]).json()["errors"]
    # A platform switched off in the admin can no longer be chosen, in every process (a new catalogue version).
    zalo = Platform.objects.get(code="zalo")
    zalo.active = False
    with django_capture_on_commit_callbacks(execute=True):
        zalo.save()
    assert "platforms" in _api_report(client, platforms=["zalo"]).json()["errors"]
    assert _api_report(client, platforms=["facebook"]).status_code == 201

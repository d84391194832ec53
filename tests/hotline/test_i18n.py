"""The Vietnamese catalogue is complete, compiled, and what a visitor sees first."""

import re
from collections import Counter

import polib
import pytest
from django.conf import settings
from pytest_django.asserts import assertContains, assertNotContains

VI_PO = settings.BASE_DIR / "locale" / "vi" / "LC_MESSAGES" / "django.po"
VI_MO = VI_PO.with_suffix(".mo")

# %(name)s, %(max)d and bare %s / %d; {{ name }} in case a blocktranslate variable slips through unconverted.
PLACEHOLDER = re.compile(r"%\(\w+\)[sdif]|%[sdif]|\{\{\s*[\w.]+\s*\}\}")


def catalogue(entries):
    return {(e.msgctxt, e.msgid, e.msgid_plural): (e.msgstr, tuple(sorted(e.msgstr_plural.items()))) for e in entries}


def test_every_vietnamese_entry_is_translated_and_none_is_fuzzy():
    po = polib.pofile(str(VI_PO))
    active = [e for e in po if not e.obsolete]
    assert len(active) > 100  # the catalogue really was extracted
    assert [e.msgid for e in active if not e.translated()] == []
    assert [e.msgid for e in po.fuzzy_entries()] == []
    assert po.metadata["Language"] == "vi"
    assert po.metadata["Plural-Forms"] == "nplurals=1; plural=0;"


def test_committed_vietnamese_mo_is_compiled_from_the_current_po(tmp_path):
    fresh_mo = tmp_path / "django.mo"
    polib.pofile(str(VI_PO)).save_as_mofile(str(fresh_mo))
    fresh, committed = polib.mofile(str(fresh_mo)), polib.mofile(str(VI_MO))
    assert catalogue(committed) == catalogue(fresh), "run `manage.py compiletranslations` and commit the .mo"
    assert committed.metadata["Plural-Forms"] == fresh.metadata["Plural-Forms"]


def test_translations_keep_the_placeholders_of_the_source():
    mismatches = []
    for entry in polib.pofile(str(VI_PO)).translated_entries():
        translations = [entry.msgstr] if not entry.msgid_plural else list(entry.msgstr_plural.values())
        for translation in translations:
            if Counter(PLACEHOLDER.findall(entry.msgid)) != Counter(PLACEHOLDER.findall(translation)):
                mismatches.append((entry.msgid, translation))
    assert mismatches == []


@pytest.mark.django_db
def test_the_public_page_is_vietnamese_without_cookie_or_accept_language(client):
    response = client.get("/")
    assertContains(response, "Thoát nhanh")
    assertContains(response, '<html lang="vi">')
    assertNotContains(response, "Quick exit")


@pytest.mark.django_db
def test_it_switches_to_english_when_chosen(client):
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    assert response.status_code == 302
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en"

    response = client.get("/")
    assertContains(response, "Quick exit")
    assertNotContains(response, "Thoát nhanh")


@pytest.mark.django_db
def test_a_phone_set_to_english_still_gets_vietnamese_until_the_switch_is_used(client):
    # Many phones in Vietnam run in English; the hotline must not switch language behind a child's back.
    response = client.get("/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    assertContains(response, "Thoát nhanh")
    assertContains(response, '<html lang="vi">')


@pytest.mark.django_db
def test_the_api_follows_accept_language(client):
    response = client.post("/api/v1/reports", data="{", content_type="application/json", HTTP_ACCEPT_LANGUAGE="en")
    assert response.json()["errors"]["__all__"] == ["The request body is not valid JSON."]
    response = client.post("/api/v1/reports", data="{", content_type="application/json")
    assert response.json()["errors"]["__all__"] != ["The request body is not valid JSON."]

"""The receipt is rendered once per language, category, crisis or not and library version; each visitor's reference,
code and links are put in per request (hotline.page_cache), and the page is the same as one rendered in full."""

import re

import pytest
from django.test import Client

from cases.models import Case, Category
from hotline import page_cache
from tests.factories import form_post
from tests.hotline.test_library import make_article

pytestmark = pytest.mark.django_db

CSRF = re.compile(r'name="csrfmiddlewaretoken" value="[^"]+"')


@pytest.fixture(autouse=True)
def _no_rendered_pages():
    page_cache.forget()
    yield
    page_cache.forget()


def receipt_of(client=None, **form):
    client = client or Client()
    assert client.post("/", form_post(**form)).status_code == 302
    response = client.get("/receipt/")
    assert response.status_code == 200
    return response.content.decode()


def codes(html):
    return re.search(r'id="receipt-reference">([^<]+)<', html).group(1), re.search(
        r'id="receipt-code">([^<]+)<', html
    ).group(1)


def test_two_visitors_each_see_their_own_reference_code_and_links():
    first, second = receipt_of(), receipt_of()
    assert page_cache._pages  # the second receipt came from the rendered page
    for html in (first, second):
        reference, code = codes(html)
        assert Case.objects.filter(reference=reference).exists()
        assert f'href="/status/{reference}/"' in html
        assert f"/status/#r={reference}&amp;c={code.replace('-', '')}" in html
        assert "page-value-" not in html
    assert codes(first) != codes(second)


def test_the_rendered_receipt_is_the_page_rendered_in_full(monkeypatch):
    client = Client()
    cached = receipt_of(client)
    monkeypatch.setattr(page_cache, "catalogue_version", lambda: None)  # as when the shared cache is down
    full = receipt_of(client)
    reference_code = re.compile(r"[A-Z0-9]{4}-[A-Z0-9]{4,5}(-[A-Z0-9]{4}){0,3}|#r=[^\"]+|/status/[A-Z0-9-]+/")
    assert "page-value-" not in full
    assert reference_code.sub("", CSRF.sub("", cached)) == reference_code.sub("", CSRF.sub("", full))


def test_the_code_opens_the_case():
    reference, code = codes(receipt_of())
    response = Client().post("/status/", {"reference": reference, "access_code": code})
    assert response.status_code == 302 and response["Location"] == f"/status/{reference}/"


def test_each_category_shows_its_own_articles_and_a_crisis_report_its_panel():
    make_article(slug="bai-lua-dao", title_vi="Bài về lừa đảo", category=Category.objects.get(code="SCM"))
    receipt_of(category="SCM")  # rendered once for SCM
    scam, bullying = receipt_of(category="SCM"), receipt_of(category="CBH")
    assert 'href="/tro-giup/bai/bai-lua-dao/"' in scam and 'href="/tro-giup/bai/bai-lua-dao/"' not in bullying
    assert 'id="crisis"' not in scam
    crisis = receipt_of(category="CBH", in_danger="on")
    assert 'id="crisis"' in crisis and crisis.index('id="crisis"') < crisis.index('id="receipt-reference"')
    assert 'id="crisis"' not in receipt_of(category="CBH")


def test_a_published_article_shows_on_the_next_receipt(django_capture_on_commit_callbacks):
    receipt_of(category="SCM")
    with django_capture_on_commit_callbacks(execute=True):
        make_article(slug="bai-moi", title_vi="Bài mới về lừa đảo", category=Category.objects.get(code="SCM"))
    assert 'href="/tro-giup/bai/bai-moi/"' in receipt_of(category="SCM")


def test_english_visitors_get_the_english_receipt():
    client = Client()
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    receipt_of()
    english = receipt_of(client)
    assert '<html lang="en">' in english and "We have received your report" in english


def test_values_are_escaped_once_and_filled_in_one_pass(rf):
    from django.contrib.messages.storage.fallback import FallbackStorage
    from django.contrib.sessions.backends.signed_cookies import SessionStore

    request = rf.get("/receipt/")
    request.session = SessionStore()
    request._messages = FallbackStorage(request)
    values = {"reference": '<b>&"', "code": page_cache.placeholder("reference"), "link": "x", "case_url": "/"}
    values["csrf_token"] = "t"
    context = {"crisis": None, "library_articles": []}
    html = page_cache.page(request, "hotline/receipt.html", lambda: context, values=values)
    assert "&lt;b&gt;&amp;&quot;" in html and "<b>&" not in html
    # A value that looks like a placeholder stays as it was (escaped), it is not filled in again.
    assert page_cache.placeholder("reference") in html

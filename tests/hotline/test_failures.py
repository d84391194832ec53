"""When the database or Redis fails, people get a calm answer, never a stack trace, and nothing typed is lost."""

import pytest
from django.db import OperationalError
from django.test import Client
from django.urls import path

from cases.models import Case
from hotline.urls import urlpatterns as hotline_urls
from tests.factories import form_post

pytestmark = pytest.mark.django_db


def database_down(request):
    raise OperationalError("could not connect to server: Connection refused")


urlpatterns = [path("db-down/", database_down), *hotline_urls]


def test_a_database_outage_gets_a_friendly_vietnamese_page(settings):
    settings.ROOT_URLCONF = "tests.hotline.test_failures"
    response = Client(raise_request_exception=False).get("/db-down/")
    html = response.content.decode()
    assert response.status_code == 503 and response["Retry-After"] == "30"
    assert "Hệ thống đang tạm gián đoạn" in html and 'href="tel:113"' in html
    assert "OperationalError" not in html and "Traceback" not in html


def test_the_404_and_500_pages_are_in_vietnamese(settings, client):
    settings.DEBUG = False
    response = client.get("/no-such-page/")
    assert response.status_code == 404 and "Chúng tôi không tìm thấy trang này" in response.content.decode()


def test_reports_still_go_through_when_the_cache_is_down(settings, client):
    # The throttles live in the cache (Redis in production). With it unreachable, a child can still report.
    settings.CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": "redis://127.0.0.1:1/0"}
    }
    response = client.post("/", form_post(description="Redis hỏng nhưng em vẫn báo được"))
    assert response.status_code == 302
    assert Case.objects.filter(description="Redis hỏng nhưng em vẫn báo được").exists()

"""The breach register: supervisors and admins record, complete, and can never delete."""

import datetime

import pytest
from django.contrib import admin
from django.db import DatabaseError, IntegrityError, connection, transaction
from django.test import Client, RequestFactory
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from cases import breaches
from cases.models import AuditAction, AuditEntry, Breach, BreachMeasure, RecordIsImmutable
from tests.conftest import make_user
from tests.factories import make_case

pytestmark = pytest.mark.django_db


def client_for(user):
    client = Client()
    client.force_login(user)
    return client


def local(moment):
    return timezone.localtime(moment).strftime("%Y-%m-%dT%H:%M")


def test_a_supervisor_records_a_breach_and_sees_the_72_hour_clock(supervisor):
    case, _code = make_case()
    found = timezone.now() - datetime.timedelta(hours=2)
    response = client_for(supervisor).post(
        "/cases/privacy/breaches/",
        {
            "what": "Một máy tính của tổng đài bị mất, trên đó có bản xuất danh sách vụ việc.",
            "found_at": local(found),
            "references": f"{case.reference.lower()}\n",
            "people_affected": "3",
            "measures": "Đổi mật khẩu mọi tài khoản.",
        },
    )
    assert response.status_code == 302
    breach = Breach.objects.get()
    assert list(breach.cases.all()) == [case]
    assert breach.notification_due_at == breach.found_at + datetime.timedelta(hours=72)
    assert breach.measures.get().text == "Đổi mật khẩu mọi tài khoản."
    page = client_for(supervisor).get(response["Location"]).content.decode()
    assert timezone.localtime(breach.notification_due_at).strftime("%H:%M %d/%m/%Y") in page
    assert AuditEntry.objects.filter(action=AuditAction.BREACH_RECORDED, actor=supervisor).exists()


def test_an_unknown_reference_or_a_future_time_is_refused_and_nothing_typed_is_lost(supervisor):
    data = {"what": "Rò rỉ dữ liệu", "found_at": local(timezone.now()), "references": "ZZZZ-9999"}
    response = client_for(supervisor).post("/cases/privacy/breaches/", data)
    assert response.status_code == 400 and "ZZZZ-9999" in response.content.decode()
    data.update(references="", found_at=local(timezone.now() + datetime.timedelta(days=1)))
    assert client_for(supervisor).post("/cases/privacy/breaches/", data).status_code == 400
    assert not Breach.objects.exists()


def test_an_overdue_notice_is_flagged_and_the_notice_is_recorded_once(supervisor):
    found = timezone.now() - datetime.timedelta(hours=80)
    breach = breaches.record_breach(user=supervisor, what="Thư gửi nhầm người.", found_at=found)
    assert breach.notification_overdue
    assert "overdue" in client_for(supervisor).get("/cases/privacy/breaches/").content.decode()
    breaches.record_notification(breach=breach, user=supervisor, notified_at=timezone.now(), reference="01/TB")
    breach.refresh_from_db()
    assert not breach.notification_overdue and breach.notification_reference == "01/TB"
    with pytest.raises(breaches.BreachNotPossible):
        breaches.record_notification(breach=breach, user=supervisor, notified_at=timezone.now())
    late = AuditEntry.objects.get(action=AuditAction.BREACH_UPDATED, params__step="notified")
    assert late.params["late"] is True


def test_measures_are_appended_never_changed(supervisor):
    breach = breaches.record_breach(user=supervisor, what="Rò rỉ.", found_at=timezone.now())
    client_for(supervisor).post(
        f"/cases/privacy/breaches/{breach.pk}/", {"action": "measure", "text": "Khóa tài khoản."}
    )
    measure = BreachMeasure.objects.get()
    measure.text = "khác"
    with pytest.raises(RecordIsImmutable):
        measure.save()


def test_nothing_on_the_register_can_be_deleted(supervisor):
    breach = breaches.record_breach(user=supervisor, what="Rò rỉ.", found_at=timezone.now(), measures="Đã xử lý.")
    with pytest.raises(RecordIsImmutable):
        breach.delete()
    with pytest.raises(RecordIsImmutable):
        Breach.objects.all().delete()
    with pytest.raises(RecordIsImmutable):
        BreachMeasure.objects.all().delete()
    # On PostgreSQL not even with SQL: the database refuses (a trigger; SQLite, for development, has none).
    if connection.vendor == "postgresql":
        for table in ("cases_breach", "cases_breachmeasure"):
            with pytest.raises((IntegrityError, DatabaseError)), transaction.atomic(), connection.cursor() as cursor:
                cursor.execute(f"DELETE FROM {table}")  # noqa: S608 - a fixed table name
    assert Breach.objects.count() == 1 and BreachMeasure.objects.count() == 1
    # And the admin offers no delete.
    model_admin = admin.site._registry[Breach]
    request = RequestFactory().get("/admin/")
    request.user = make_user("root", is_superuser=True, is_staff=True)
    assert not model_admin.has_delete_permission(request, breach)


def test_only_supervisors_and_admins_see_the_register(operator, supervisor):
    assert client_for(operator).get("/cases/privacy/breaches/").status_code == 403
    assert client_for(supervisor).get("/cases/privacy/breaches/").status_code == 200
    admin_user = make_user("admin-b", "admin")
    assert client_for(admin_user).get("/cases/privacy/breaches/").status_code == 200


def test_the_register_costs_the_same_queries_for_one_or_many_breaches(supervisor):
    client = client_for(supervisor)

    def record(count):
        for number in range(count):
            case, _code = make_case()
            breaches.record_breach(
                user=supervisor, what=f"Rò rỉ {number}", found_at=timezone.now(), cases=[case], measures="Đã xử lý."
            )

    record(1)
    with CaptureQueriesContext(connection) as one:
        assert client.get("/cases/privacy/breaches/").status_code == 200
    record(3)
    with CaptureQueriesContext(connection) as many:
        client.get("/cases/privacy/breaches/")
    assert len(many) == len(one)

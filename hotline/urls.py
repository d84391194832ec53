from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from cases.forms import StaffLoginForm
from hotline import api, views

urlpatterns = [
    path("", views.report, name="report"),
    path("receipt/", views.receipt, name="receipt"),
    path("favicon.ico", views.favicon, name="favicon"),
    path("status/", views.status_lookup, name="status"),
    path("status/leave/", views.leave, name="status_leave"),
    path("exit/", views.quick_exit, name="quick_exit"),
    path("status/<str:reference>/", views.case_status, name="case_status"),
    path("api/v1/reports", api.create_report, name="api_create_report"),
    path("api/v1/reports/<str:reference>", api.report_status, name="api_report_status"),
    path("api/v1/openapi.json", api.openapi, name="api_openapi"),
    path("cases/", include("cases.urls")),
    path("reports/", include("cases.reports_urls")),
    path("", include("escalation.urls")),  # /liaison/, /staff/, /cases/<reference>/escalations/
    path(
        "accounts/login/",
        auth_views.LoginView.as_view(authentication_form=StaffLoginForm, redirect_authenticated_user=True),
        name="login",
    ),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
]

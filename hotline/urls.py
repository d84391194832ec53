from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path, re_path

from cases.forms import StaffLoginForm
from hotline import api, library_views, privacy_views, views

urlpatterns = [
    path("", views.report, name="report"),
    path("receipt/", views.receipt, name="receipt"),
    path("favicon.ico", views.favicon, name="favicon"),
    path("status/", views.status_lookup, name="status"),
    path("status/leave/", views.leave, name="status_leave"),
    path("exit/", views.quick_exit, name="quick_exit"),
    path("status/<str:reference>/", views.case_status, name="case_status"),
    path(
        "status/<str:reference>/consent/<int:consent_id>/withdraw/",
        privacy_views.withdraw_consent,
        name="status_withdraw_consent",
    ),
    path("status/<str:reference>/requests/", privacy_views.data_request, name="status_data_request"),
    path("status/<str:reference>/my-data/", privacy_views.my_data, name="status_my_data"),
    path("status/<str:reference>/my-data.json", privacy_views.my_data_json, name="status_my_data_json"),
    path("quyen-rieng-tu/", privacy_views.privacy_notice, name="privacy_notice"),
    path("quyen-rieng-tu/cha-me/", privacy_views.privacy_parents, name="privacy_parents"),
    path("api/v1/reports", api.create_report, name="api_create_report"),
    path("api/v1/reports/<str:reference>", api.report_status, name="api_report_status"),
    path("api/v1/openapi.json", api.openapi, name="api_openapi"),
    path("tro-giup/", library_views.home, name="library_home"),
    path("tro-giup/tim-kiem/", library_views.search, name="library_search"),
    path("tro-giup/bai/<slug:slug>/", library_views.article, name="library_article"),
    re_path(r"^tro-giup/anh/(?P<name>[0-9a-f]{32}\.(?:png|jpg|webp))$", library_views.image, name="library_image"),
    path("tro-giup/bien-tap/", library_views.manage, name="library_manage"),
    path("tro-giup/bien-tap/moi/", library_views.create, name="library_new"),
    path("tro-giup/bien-tap/<int:pk>/", library_views.edit, name="library_edit"),
    path("tro-giup/bien-tap/<int:pk>/lich-su/", library_views.history, name="library_history"),
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

handler403 = "hotline.views.permission_denied"
handler404 = "hotline.views.page_not_found"
handler500 = "hotline.views.server_error"

from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path, re_path
from django.views.generic import RedirectView

from accounts import passkeys
from accounts import views as accounts_views
from cases.forms import StaffLoginForm
from hotline import api, library_views, privacy_views, reaching_views, views

urlpatterns = [
    path("", views.report, name="report"),
    path("receipt/", views.receipt, name="receipt"),
    path("favicon.ico", views.favicon, name="favicon"),
    path("status/", views.status_lookup, name="status"),
    path("status/leave/", views.leave, name="status_leave"),
    path("exit/", views.quick_exit, name="quick_exit"),
    path("status/sw.js", reaching_views.service_worker, name="status_service_worker"),
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
    path("status/<str:reference>/notices/", reaching_views.notice_channel, name="status_notice_channel"),
    path("status/<str:reference>/push/", reaching_views.push_subscribe, name="status_push_subscribe"),
    path("status/<str:reference>/push/stop/", reaching_views.push_unsubscribe, name="status_push_unsubscribe"),
    path("status/<str:reference>/callback/", reaching_views.safety_note, name="status_safety_note"),
    path("status/<str:reference>/check-in/", reaching_views.answer_check_in, name="status_check_in"),
    path("api/v1/reports", api.create_report, name="api_create_report"),
    path("api/v1/reports/<str:reference>", api.report_status, name="api_report_status"),
    path("api/v1/reports/<str:reference>/chat-ticket", api.chat_ticket, name="api_chat_ticket"),
    path("api/v1/reports/<str:reference>/messages", api.report_messages, name="api_report_messages"),
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
    path("accounts/logout/", accounts_views.sign_out, name="logout"),
    path("accounts/", include("accounts.urls")),
    # Before the package's own URLs: its script's catalogue with our Vietnamese, and its last steps followed by a
    # new session key.
    path(
        "accounts/passkeys/jsi18n/",
        passkeys.PasskeyScriptCatalog.as_view(packages=["django_otp_webauthn"]),
        name="passkeys_jsi18n",
    ),
    path(
        "accounts/passkeys/authentication/complete/",
        passkeys.CompletePasskeyVerification.as_view(),
        name="passkeys_verification_complete",
    ),
    path(
        "accounts/passkeys/registration/complete/",
        passkeys.CompletePasskeyRegistration.as_view(),
        name="passkeys_registration_complete",
    ),
    path("accounts/passkeys/", include("django_otp_webauthn.urls", namespace="otp_webauthn")),
    path("i18n/", include("django.conf.urls.i18n")),
    # The admin signs in through the staff sign-in (throttled, second factor), never a form of its own.
    path("admin/login/", RedirectView.as_view(pattern_name="login", query_string=True), name="admin_login"),
    path("admin/", admin.site.urls),
]

handler403 = "hotline.views.permission_denied"
handler404 = "hotline.views.page_not_found"
handler500 = "hotline.views.server_error"

from django.urls import path

from cases import paging_views, privacy_views, views

app_name = "cases"

urlpatterns = [
    path("", views.queue, name="queue"),
    path("sla/", views.sla, name="sla"),
    path("new/phone/", views.phone_intake, name="phone_intake"),
    path("duty/", paging_views.duty, name="duty"),
    path("duty/<int:shift_id>/remove/", paging_views.remove_shift, name="remove_shift"),
    path("pages/<int:page_id>/", paging_views.page, name="page"),
    path("push/subscribe/", paging_views.push_subscribe, name="push_subscribe"),
    path("push/sw.js", paging_views.service_worker, name="push_service_worker"),
    path("privacy/requests/", privacy_views.data_request_list, name="data_requests"),
    path("privacy/requests/<int:request_id>/", privacy_views.answer_data_request, name="answer_data_request"),
    path("privacy/breaches/", privacy_views.breach_list, name="breaches"),
    path("privacy/breaches/<int:breach_id>/", privacy_views.breach_detail, name="breach"),
    path("<str:reference>/", views.workspace, name="workspace"),
    path("<str:reference>/consent/", privacy_views.record_consent, name="record_consent"),
    path("<str:reference>/data-request/", privacy_views.record_data_request, name="record_data_request"),
    path(
        "<str:reference>/consent/<int:consent_id>/withdraw/",
        privacy_views.withdraw_consent,
        name="withdraw_consent",
    ),
    path("<str:reference>/do/<str:action>/", views.case_action, name="action"),
    path("<str:reference>/evidence/<int:evidence_id>/", views.evidence_file, name="evidence_file"),
    path("<str:reference>/evidence/<int:evidence_id>/reveal/", views.evidence_reveal, name="evidence_reveal"),
]

from django.urls import path

from cases import paging_views, views

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
    path("<str:reference>/", views.workspace, name="workspace"),
    path("<str:reference>/do/<str:action>/", views.case_action, name="action"),
    path("<str:reference>/evidence/<int:evidence_id>/", views.evidence_file, name="evidence_file"),
    path("<str:reference>/evidence/<int:evidence_id>/reveal/", views.evidence_reveal, name="evidence_reveal"),
]

from django.urls import path

from cases import views

app_name = "cases"

urlpatterns = [
    path("", views.queue, name="queue"),
    path("sla/", views.sla, name="sla"),
    path("new/phone/", views.phone_intake, name="phone_intake"),
    path("<str:reference>/", views.workspace, name="workspace"),
    path("<str:reference>/do/<str:action>/", views.case_action, name="action"),
    path("<str:reference>/evidence/<int:evidence_id>/", views.evidence_file, name="evidence_file"),
    path("<str:reference>/evidence/<int:evidence_id>/reveal/", views.evidence_reveal, name="evidence_reveal"),
]

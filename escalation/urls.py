from django.urls import path

from escalation import views

app_name = "escalation"

urlpatterns = [
    path("staff/", views.staff_home, name="staff_home"),
    path("liaison/", views.portal, name="portal"),
    path("liaison/<int:pk>/", views.detail, name="detail"),
    path("liaison/<int:pk>/do/<str:action>/", views.portal_action, name="portal_action"),
    path("liaison/<int:pk>/links/<int:link_id>/", views.link_outcome, name="link_outcome"),
    path("liaison/<int:pk>/evidence/<int:evidence_id>/", views.evidence_file, name="evidence_file"),
    path("cases/<str:reference>/escalations/new/", views.prepare, name="prepare"),
    path("cases/<str:reference>/escalations/<int:pk>/<str:action>/", views.case_action, name="case_action"),
    path("cases/<str:reference>/referrals/new/", views.record_referral, name="record_referral"),
    path("cases/<str:reference>/referrals/<int:pk>/approve/", views.approve_referral, name="approve_referral"),
]

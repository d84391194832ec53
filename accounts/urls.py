from django.urls import path

from accounts import views

app_name = "accounts"

urlpatterns = [
    path("verify/", views.verify, name="verify"),
    path("enrol/", views.enrol, name="enrol"),
    path("enrol/done/", views.enrolled, name="enrolled"),
    path("recovery-codes/", views.recovery_codes, name="recovery_codes"),
    path("recovery-codes/new/", views.new_recovery_codes, name="new_recovery_codes"),
    path("security/", views.security, name="security"),
    path("sessions/", views.sessions, name="sessions"),
]

"""Mounted at /reports/ by hotline/urls.py."""

from django.urls import path

from cases import reports

app_name = "reports"

urlpatterns = [
    path("", reports.dashboard, name="dashboard"),
    path("annual/", reports.annual_report, name="annual"),
    path("annual.xlsx", reports.annual_report_xlsx, name="annual_xlsx"),
    path("annual.docx", reports.annual_report_docx, name="annual_docx"),
    path("annual/text/", reports.annual_text, name="annual_text"),
    path("cases.csv", reports.cases_csv, name="cases_csv"),
    path("audit/", reports.audit_trail, name="audit"),
    path("legal-hold/<str:reference>/", reports.legal_hold, name="legal_hold"),
]

from django.urls import path

from shegong.lib.routes import record_pages
from shegong.network import views, views_import, views_standards

app_name = "network"
urlpatterns = [
    path("", views.network_index, name="index"),
    path("dashboard/<str:code>/", views.dashboard, name="dashboard"),
    path("dashboard/<str:code>/export.xlsx", views.dashboard_export, name="dashboard_export"),
    *record_pages("stations/", views, "facility", actions=["status"]),
    # The station picker's choices, for the stations a form offers (network/picker.py).
    path("stations/pick/", views.station_pick, name="station_pick"),
    path("stations/pick/<str:capability>/", views.station_pick, name="station_pick"),
    # ... for a list a domain registered (picker.station_list), e.g. a case's referral targets.
    path("stations/pick/from/<slug:source>/", views.station_pick, name="station_pick_from"),
    path("stations/pick/from/<slug:source>/<int:of>/", views.station_pick, name="station_pick_from"),
    path("stations/<int:pk>/photos/", views.photo_upload, name="photo_upload"),
    path("photos/<int:pk>/", views.photo_file, name="photo_file"),
    path(
        "stations/<int:pk>/assess/<int:checklist>/", views_standards.assessment_start, name="assessment_start"
    ),
    path("stations/<int:pk>/honours/new/", views_standards.honour_create, name="honour_create"),
    path("honours/<int:pk>/delete/", views_standards.honour_delete, name="honour_delete"),
    path("assessments/<int:pk>/", views_standards.assessment_detail, name="assessment_detail"),
    path("results/<int:pk>/evidence/", views_standards.evidence_file, name="evidence_file"),
    *record_pages("checklists/", views_standards, "checklist", actions=["copy"]),
    *record_pages("targets/", views_standards, "target", ["list", "create"], ["delete"]),
    path("import/", views_import.import_upload, name="import"),
    path("import/template.xlsx", views_import.import_template, name="import_template"),
    path("import/<uuid:job_id>/", views_import.import_preview, name="import_preview"),
    path("import/<uuid:job_id>/confirm/", views_import.import_confirm, name="import_confirm"),
]

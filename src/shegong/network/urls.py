from django.urls import path

from shegong.network import views, views_import, views_standards

app_name = "network"
urlpatterns = [
    path("", views.network_index, name="index"),
    path("dashboard/<str:code>/", views.dashboard, name="dashboard"),
    path("dashboard/<str:code>/export.xlsx", views.dashboard_export, name="dashboard_export"),
    path("stations/", views.facility_list, name="facility_list"),
    path("stations/new/", views.facility_create, name="facility_create"),
    path("stations/<int:pk>/", views.facility_detail, name="facility_detail"),
    path("stations/<int:pk>/edit/", views.facility_edit, name="facility_edit"),
    path("stations/<int:pk>/status/", views.facility_status, name="facility_status"),
    path("stations/<int:pk>/photos/", views.photo_upload, name="photo_upload"),
    path("photos/<int:pk>/", views.photo_file, name="photo_file"),
    path(
        "stations/<int:pk>/assess/<int:checklist>/", views_standards.assessment_start, name="assessment_start"
    ),
    path("stations/<int:pk>/honours/new/", views_standards.honour_create, name="honour_create"),
    path("honours/<int:pk>/delete/", views_standards.honour_delete, name="honour_delete"),
    path("assessments/<int:pk>/", views_standards.assessment_detail, name="assessment_detail"),
    path("results/<int:pk>/evidence/", views_standards.evidence_file, name="evidence_file"),
    path("checklists/", views_standards.checklist_list, name="checklist_list"),
    path("checklists/new/", views_standards.checklist_create, name="checklist_create"),
    path("checklists/<int:pk>/", views_standards.checklist_detail, name="checklist_detail"),
    path("checklists/<int:pk>/edit/", views_standards.checklist_edit, name="checklist_edit"),
    path("checklists/<int:pk>/copy/", views_standards.checklist_copy, name="checklist_copy"),
    path("targets/", views_standards.target_list, name="target_list"),
    path("targets/new/", views_standards.target_create, name="target_create"),
    path("targets/<int:pk>/delete/", views_standards.target_delete, name="target_delete"),
    path("import/", views_import.import_upload, name="import"),
    path("import/template.xlsx", views_import.import_template, name="import_template"),
    path("import/<uuid:job_id>/", views_import.import_preview, name="import_preview"),
    path("import/<uuid:job_id>/confirm/", views_import.import_confirm, name="import_confirm"),
]

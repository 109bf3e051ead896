from django.urls import path

from shegong.core.reveal import reveal_page
from shegong.lib.lists import export_clear_view, export_view
from shegong.lib.routes import record_pages
from shegong.workforce import views, views_agencies, views_import, views_stats, views_training

app_name = "workforce"
urlpatterns = [
    path("", views.worker_list, name="worker_list"),
    path("workers/new/", views.worker_create, name="worker_create"),
    # The worker list's exports are the one export path of lists (lib/lists.py), kept at their old addresses.
    path("workers/export.xlsx", export_view, {"name": "workforce.workers"}, name="worker_export"),
    path(
        "workers/export-clear/", export_clear_view, {"name": "workforce.workers"}, name="worker_export_clear"
    ),
    *record_pages("workers/", views, "worker", ["detail", "edit"], ["move", "leave", "return"]),
    path("workers/<int:pk>/reveal/", reveal_page, {"kind": "worker"}, name="worker_reveal"),
    path("workers/<int:pk>/certificates/", views.certificate_add, name="certificate_add"),
    path("workers/<int:pk>/hours/", views.hours_set, name="hours_set"),
    path("certificates/<int:pk>/delete/", views.certificate_delete, name="certificate_delete"),
    path("stations/", views_stats.station_list, name="station_list"),
    path("stations/<int:pk>/", views_stats.station_detail, name="station_detail"),
    path("staffing-rules/", views_stats.staffing_rule_set, name="staffing_rule_set"),
    path("stats/", views_stats.stats_index, name="stats_index"),
    path("stats/<str:code>/", views_stats.stats, name="stats"),
    path("stats/<str:code>/export.xlsx", views_stats.stats_export, name="stats_export"),
    path("stats/<str:code>/targets/", views_stats.target_create, name="target_create"),
    path("targets/<int:pk>/delete/", views_stats.target_delete, name="target_delete"),
    *record_pages("agencies/", views_agencies, "agency"),
    *record_pages("experts/", views_agencies, "expert", ["list", "create", "edit"]),
    *record_pages("training/", views_training, "training"),
    path("training/<int:pk>/attendance/", views_training.attendance_add, name="attendance_add"),
    path("training/<int:pk>/attendance/import/", views_import.attendance_import, name="attendance_import"),
    path("attendance/<int:pk>/delete/", views_training.attendance_remove, name="attendance_remove"),
    path("awards/", views_training.award_list, name="award_list"),
    path("awards/<int:pk>/", views_training.award_detail, name="award_detail"),
    path("awards/<int:pk>/pay/", views_training.payment_record, name="payment_record"),
    path("import/", views_import.import_page, name="import"),
    path("import/<str:kind>-template.xlsx", views_import.template_download, name="template"),
]

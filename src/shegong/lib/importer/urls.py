from django.urls import path

from shegong.lib.importer import views

app_name = "importer"
urlpatterns = [
    path("", views.import_index, name="index"),
    path("codes/", views.import_codes, name="codes"),
    path("ledger/<str:ledger>/template/", views.import_template, name="template"),
    path("ledger/<str:ledger>/held/", views.import_held, name="held"),
    path("ledger/<str:ledger>/held/<int:pk>/", views.import_held_correct, name="held_correct"),
    path("<uuid:job_id>/", views.import_detail, name="detail"),
    path("<uuid:job_id>/map/", views.import_map, name="map"),
    path("<uuid:job_id>/confirm/", views.import_confirm, name="confirm"),
    path("<uuid:job_id>/valid-rows/", views.import_valid_rows, name="valid_rows"),
]

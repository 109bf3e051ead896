from django.urls import path

from shegong.audit import views

app_name = "audit"
urlpatterns = [
    path("", views.audit_list_view, name="list"),
    path("export.csv", views.audit_export, name="export"),
]

from django.urls import path

from shegong.lib.routes import record_pages
from shegong.projects import views

app_name = "projects"
urlpatterns = [
    *record_pages("", views, "project", actions=["move"]),
    path("<int:pk>/milestones/", views.milestone_add, name="milestone_add"),
    path("milestones/<int:pk>/meet/", views.milestone_meet, name="milestone_meet"),
    path("<int:pk>/payments/", views.payment_add, name="payment_add"),
    path("<int:pk>/documents/", views.document_add, name="document_add"),
    path("documents/<int:pk>/", views.document_download, name="document_download"),
]

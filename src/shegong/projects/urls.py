from django.urls import path

from shegong.projects import views

app_name = "projects"
urlpatterns = [
    path("", views.project_list, name="project_list"),
    path("new/", views.project_create, name="project_create"),
    path("<int:pk>/", views.project_detail, name="project_detail"),
    path("<int:pk>/edit/", views.project_edit, name="project_edit"),
    path("<int:pk>/move/", views.project_move, name="project_move"),
    path("<int:pk>/milestones/", views.milestone_add, name="milestone_add"),
    path("milestones/<int:pk>/meet/", views.milestone_meet, name="milestone_meet"),
    path("<int:pk>/payments/", views.payment_add, name="payment_add"),
    path("<int:pk>/documents/", views.document_add, name="document_add"),
    path("documents/<int:pk>/", views.document_download, name="document_download"),
]

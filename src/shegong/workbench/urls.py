from django.urls import path

from shegong.workbench import views

app_name = "workbench"
urlpatterns = [
    path("me/", views.me, name="me"),
    path("notices/", views.notice_list, name="notice_list"),
    path("notices/new/<int:station_pk>/", views.notice_create, name="notice_create"),
    path("notices/<int:pk>/", views.notice_detail, name="notice_detail"),
]

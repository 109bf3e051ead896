from django.urls import path

from shegong.evaluations import views

app_name = "evaluations"
urlpatterns = [
    path("", views.evaluation_list, name="evaluation_list"),
    path("new/", views.evaluation_start, name="evaluation_start"),
    path("<int:pk>/", views.evaluation_detail, name="evaluation_detail"),
    path("<int:pk>/scores/", views.evaluation_scores, name="evaluation_scores"),
    path("<int:pk>/finalise/", views.evaluation_finalise, name="evaluation_finalise"),
    path("<int:pk>/rectification/", views.rectification_add, name="rectification_add"),
    path("rectification/<int:pk>/close/", views.rectification_close, name="rectification_close"),
    path("systems/", views.system_list, name="system_list"),
    path("systems/new/", views.system_create, name="system_create"),
    path("systems/<int:pk>/", views.system_detail, name="system_detail"),
    path("systems/<int:pk>/copy/", views.system_copy, name="system_copy"),
    path("systems/<int:pk>/dimension/", views.dimension_add, name="dimension_add"),
    path("systems/<int:pk>/indicator/", views.indicator_add, name="indicator_add"),
    path("rounds/", views.round_list, name="round_list"),
    path("rounds/new/", views.round_create, name="round_create"),
    path("rounds/<int:pk>/", views.round_detail, name="round_detail"),
]

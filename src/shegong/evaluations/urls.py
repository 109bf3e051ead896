from django.urls import path

from shegong.evaluations import views
from shegong.lib.routes import record_pages

app_name = "evaluations"
urlpatterns = [
    path("", views.evaluation_list, name="evaluation_list"),
    path("new/", views.evaluation_start, name="evaluation_start"),
    path("<int:pk>/", views.evaluation_detail, name="evaluation_detail"),
    path("<int:pk>/scores/", views.evaluation_scores, name="evaluation_scores"),
    path("<int:pk>/finalise/", views.evaluation_finalise, name="evaluation_finalise"),
    path("<int:pk>/rectification/", views.rectification_add, name="rectification_add"),
    path("rectification/<int:pk>/close/", views.rectification_close, name="rectification_close"),
    *record_pages("systems/", views, "system", ["list", "create", "detail"], ["copy"]),
    path("systems/<int:pk>/dimension/", views.dimension_add, name="dimension_add"),
    path("systems/<int:pk>/indicator/", views.indicator_add, name="indicator_add"),
    *record_pages("rounds/", views, "round", ["list", "create", "detail"]),
]

from django.urls import path

from shegong.regions import views

app_name = "regions"
urlpatterns = [
    path("", views.region_index, name="index"),
    path("search/", views.region_search, name="search"),
    path("pick/", views.region_pick, name="pick"),
    path("population/template.xlsx", views.population_template_download, name="population_template"),
    path("population/import/", views.population_import, name="population_import"),
    path("<str:code>/", views.region_detail, name="detail"),
    path("<str:code>/population/", views.region_population, name="population"),
    path("<str:code>/scope/", views.region_scope, name="scope"),
]

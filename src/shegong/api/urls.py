from django.urls import path, re_path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView

from shegong.api import views
from shegong.network import api as network_api
from shegong.regions import api as regions_api

app_name = "api"
urlpatterns = [
    path("auth/token/", views.token_obtain, name="token"),
    path("auth/token/revoke/", views.token_revoke, name="token_revoke"),
    path("auth/token/revoke-all/", views.token_revoke_all, name="token_revoke_all"),
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path("docs/", SpectacularSwaggerView.as_view(url_name="api:schema"), name="docs"),
    path("regions/", regions_api.region_list, name="regions"),
    path("regions/<str:code>/", regions_api.region_detail, name="region"),
    path("stations/", network_api.station_list, name="stations"),
    path("stations/<int:pk>/", network_api.station_detail, name="station"),
    path("stations/<int:pk>/status/", network_api.station_status, name="station_status"),
    path("stats/coverage/", network_api.coverage, name="coverage"),
    re_path(r"^.*$", views.not_found, name="not_found"),
]

from django.urls import path, re_path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView

from shegong.api import views
from shegong.bulletins import api as bulletins_api
from shegong.casework import api as casework_api
from shegong.clients import api as clients_api
from shegong.community import api as community_api
from shegong.community import api_records as community_records_api
from shegong.core.reveal import reveal_api
from shegong.evaluations import api as evaluations_api
from shegong.hotline import api as hotline_api
from shegong.lib.importer import api as importer_api
from shegong.lib.routes import api_records
from shegong.network import api as network_api
from shegong.projects import api as projects_api
from shegong.regions import api as regions_api
from shegong.workforce import api as workforce_api

app_name = "api"
urlpatterns = [
    path("auth/token/", views.token_obtain, name="token"),
    path("auth/token/revoke/", views.token_revoke, name="token_revoke"),
    path("auth/token/revoke-all/", views.token_revoke_all, name="token_revoke_all"),
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path("docs/", SpectacularSwaggerView.as_view(url_name="api:schema"), name="docs"),
    path("imports/", importer_api.import_create, name="imports"),
    path("imports/ledgers/", importer_api.ledger_list, name="import_ledgers"),
    path("imports/<uuid:pk>/", importer_api.import_detail, name="import"),
    path("imports/<uuid:pk>/confirm/", importer_api.import_confirm, name="import_confirm"),
    path("regions/", regions_api.region_list, name="regions"),
    path("regions/<str:code>/", regions_api.region_detail, name="region"),
    *api_records("stations/", network_api, "station", "stations", actions=["status"]),
    path("stats/coverage/", network_api.coverage, name="coverage"),
    *api_records("clients/", clients_api, "client", "clients"),
    path("clients/<int:pk>/reveal/", reveal_api, {"kind": "person"}, name="client_reveal"),
    path("visits/", clients_api.visit_list, name="visits"),
    *api_records("cases/", casework_api, "case", "cases", actions=["transition"]),
    path("cases/approvals/<int:pk>/decide/", casework_api.approval_decide, name="case_approval_decide"),
    path("service-records/", casework_api.service_record_list, name="service_records"),
    path("stats/services/", casework_api.service_stats, name="stats_services"),
    *api_records("workers/", workforce_api, "worker", "workers", actions=["move"]),
    path("workers/<int:pk>/reveal/", reveal_api, {"kind": "worker"}, name="worker_reveal"),
    *api_records("agencies/", workforce_api, "agency", "agencies"),
    path("trainings/", workforce_api.training_list, name="trainings"),
    path("stats/workforce/", workforce_api.workforce_stats, name="stats_workforce"),
    *api_records("projects/", projects_api, "project", "projects"),
    *api_records("evaluations/", evaluations_api, "evaluation", "evaluations"),
    *api_records("tickets/", hotline_api, "ticket", "tickets", actions=["note"]),
    path("tickets/<int:pk>/reveal/", reveal_api, {"kind": "ticket"}, name="ticket_reveal"),
    path("bulletins/", bulletins_api.bulletin_list, name="bulletins"),
    *api_records("volunteers/", community_api, "volunteer", "volunteers", actions=["ledger", "redeem"]),
    path("volunteers/<int:pk>/reveal/", reveal_api, {"kind": "volunteer"}, name="volunteer_reveal"),
    *api_records("volunteer-teams/", community_api, "team", "volunteer_teams"),
    *api_records("activities/", community_api, "activity", "activities", actions=["signups"]),
    path("signups/<int:pk>/<slug:action>/", community_api.signup_move, name="signup_move"),
    *api_records("groups/", community_records_api, "group", "groups"),
    path("community-organisations/", community_records_api.organisation_list, name="community_organisations"),
    path("donations/", community_records_api.donation_list, name="donations"),
    path("charity-funds/", community_records_api.fund_list, name="charity_funds"),
    path("mutual-aid-projects/", community_records_api.project_list, name="mutual_aid_projects"),
    path("matching-payments/", community_records_api.matching_payment_list, name="matching_payments"),
    *api_records("matching-rules/", community_records_api, "matching_rule", "matching_rules"),
    *api_records("deliberations/", community_records_api, "deliberation", "deliberations"),
    path("stats/community/", community_records_api.community_stats, name="stats_community"),
    re_path(r"^.*$", views.not_found, name="not_found"),
]

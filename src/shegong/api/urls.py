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
    path("stations/", network_api.station_list, name="stations"),
    path("stations/<int:pk>/", network_api.station_detail, name="station"),
    path("stations/<int:pk>/status/", network_api.station_status, name="station_status"),
    path("stats/coverage/", network_api.coverage, name="coverage"),
    path("clients/", clients_api.client_list, name="clients"),
    path("clients/<int:pk>/", clients_api.client_detail, name="client"),
    path("clients/<int:pk>/reveal/", reveal_api, {"kind": "person"}, name="client_reveal"),
    path("visits/", clients_api.visit_list, name="visits"),
    path("cases/", casework_api.case_list, name="cases"),
    path("cases/<int:pk>/", casework_api.case_detail, name="case"),
    path("cases/<int:pk>/transition/", casework_api.case_transition, name="case_transition"),
    path("cases/approvals/<int:pk>/decide/", casework_api.approval_decide, name="case_approval_decide"),
    path("service-records/", casework_api.service_record_list, name="service_records"),
    path("stats/services/", casework_api.service_stats, name="stats_services"),
    path("workers/", workforce_api.worker_list, name="workers"),
    path("workers/<int:pk>/", workforce_api.worker_detail, name="worker"),
    path("workers/<int:pk>/move/", workforce_api.worker_move, name="worker_move"),
    path("workers/<int:pk>/reveal/", reveal_api, {"kind": "worker"}, name="worker_reveal"),
    path("agencies/", workforce_api.agency_list, name="agencies"),
    path("agencies/<int:pk>/", workforce_api.agency_detail, name="agency"),
    path("trainings/", workforce_api.training_list, name="trainings"),
    path("stats/workforce/", workforce_api.workforce_stats, name="stats_workforce"),
    path("projects/", projects_api.project_list, name="projects"),
    path("projects/<int:pk>/", projects_api.project_detail, name="project"),
    path("evaluations/", evaluations_api.evaluation_list, name="evaluations"),
    path("evaluations/<int:pk>/", evaluations_api.evaluation_detail, name="evaluation"),
    path("tickets/", hotline_api.ticket_list, name="tickets"),
    path("tickets/<int:pk>/", hotline_api.ticket_detail, name="ticket"),
    path("tickets/<int:pk>/reveal/", reveal_api, {"kind": "ticket"}, name="ticket_reveal"),
    path("tickets/<int:pk>/note/", hotline_api.ticket_note, name="ticket_note"),
    path("bulletins/", bulletins_api.bulletin_list, name="bulletins"),
    path("volunteers/", community_api.volunteer_list, name="volunteers"),
    path("volunteers/<int:pk>/", community_api.volunteer_detail, name="volunteer"),
    path("volunteers/<int:pk>/reveal/", reveal_api, {"kind": "volunteer"}, name="volunteer_reveal"),
    path("volunteers/<int:pk>/ledger/", community_api.volunteer_ledger, name="volunteer_ledger"),
    path("volunteers/<int:pk>/redeem/", community_api.volunteer_redeem, name="volunteer_redeem"),
    path("volunteer-teams/", community_api.team_list, name="volunteer_teams"),
    path("activities/", community_api.activity_list, name="activities"),
    path("activities/<int:pk>/", community_api.activity_detail, name="activity"),
    path("activities/<int:pk>/signups/", community_api.activity_signups, name="activity_signups"),
    path("signups/<int:pk>/<slug:action>/", community_api.signup_move, name="signup_move"),
    path("groups/", community_records_api.group_list, name="groups"),
    path("groups/<int:pk>/", community_records_api.group_detail, name="group"),
    path("community-organisations/", community_records_api.organisation_list, name="community_organisations"),
    path("donations/", community_records_api.donation_list, name="donations"),
    path("charity-funds/", community_records_api.fund_list, name="charity_funds"),
    path("mutual-aid-projects/", community_records_api.project_list, name="mutual_aid_projects"),
    path("matching-payments/", community_records_api.matching_payment_list, name="matching_payments"),
    path("matching-rules/", community_records_api.matching_rule_list, name="matching_rules"),
    path("matching-rules/<int:pk>/", community_records_api.matching_rule_detail, name="matching_rule"),
    path("deliberations/", community_records_api.deliberation_list, name="deliberations"),
    path("stats/community/", community_records_api.community_stats, name="stats_community"),
    re_path(r"^.*$", views.not_found, name="not_found"),
]

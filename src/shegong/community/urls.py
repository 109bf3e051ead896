from django.urls import path

from shegong.community import (
    views,
    views_charity,
    views_excel,
    views_figures,
    views_society,
    views_volunteers,
)
from shegong.core.reveal import reveal_page
from shegong.lib.routes import record_pages

app_name = "community"
urlpatterns = [
    path("", views_figures.figures_page, name="figures"),
    *record_pages("activities/", views, "activity"),
    path("activities/<int:pk>/photos/", views.activity_photo_add, name="activity_photo_add"),
    path("activities/<int:pk>/signups/", views_volunteers.signup_add, name="signup_add"),
    path("photos/<int:pk>/", views.activity_photo, name="activity_photo"),
    path("signups/<int:pk>/<slug:action>/", views_volunteers.signup_move, name="signup_move"),
    *record_pages("groups/", views, "group", ["list", "create", "detail"]),
    path("groups/<int:pk>/sessions/", views.group_session_add, name="group_session_add"),
    path("groups/<int:pk>/members/", views.group_member_add, name="group_member_add"),
    path("groups/<int:pk>/phase/", views.group_phase, name="group_phase"),
    *record_pages("volunteers/", views_volunteers, "volunteer", actions=["redeem", "points", "certificate"]),
    path("volunteers/<int:pk>/reveal/", reveal_page, {"kind": "volunteer"}, name="volunteer_reveal"),
    *record_pages("teams/", views_volunteers, "team", ["list", "create", "detail"]),
    path("points/", views_volunteers.points_config, name="points_config"),
    path(
        "points/items/<int:pk>/toggle/", views_volunteers.catalogue_item_toggle, name="catalogue_item_toggle"
    ),
    *record_pages("organisations/", views_society, "organisation"),
    *record_pages("deliberations/", views_society, "deliberation", ["list", "create", "detail"]),
    path("issues/<int:pk>/close/", views_society.issue_close, name="issue_close"),
    *record_pages("donations/", views_charity, "donation", ["list", "create"]),
    *record_pages("funds/", views_charity, "fund", ["list", "detail"]),
    *record_pages("projects/", views_charity, "project", ["list", "create", "edit"]),
    path("matching/", views_charity.matching_rules, name="matching_rules"),
    path("matching/<int:pk>/end/", views_charity.matching_rule_end, name="matching_rule_end"),
    path("matching/<int:pk>/edit/", views_charity.matching_rule_edit, name="matching_rule_edit"),
    path("matching/<int:pk>/delete/", views_charity.matching_rule_delete, name="matching_rule_delete"),
    path("projects/<int:pk>/matching/", views_charity.project_matching, name="project_matching"),
    path("import/", views_excel.import_page, name="import"),
    path("import/template/<slug:kind>/", views_excel.template_download, name="template"),
    path("export/<slug:kind>/", views_excel.export, name="export"),
]

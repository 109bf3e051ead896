from django.urls import path

from shegong.clients import views, views_config, views_excel, views_visits
from shegong.core.reveal import reveal_page
from shegong.lib.routes import record_pages

app_name = "clients"
urlpatterns = [
    *record_pages("", views, "person"),
    path("<int:pk>/reveal/", reveal_page, {"kind": "person"}, name="person_reveal"),
    path("<int:pk>/household/", views.household_add, name="household_add"),
    path("household/<int:pk>/remove/", views.household_remove, name="household_remove"),
    path("<int:pk>/visit/", views.visit_create, name="visit_create"),
    path("<int:pk>/print.pdf", views_visits.person_pdf, name="person_pdf"),
    path("visits/<int:pk>/", views_visits.visit_detail, name="visit_detail"),
    path("visits/<int:pk>/print.pdf", views_visits.visit_pdf, name="visit_pdf"),
    path("visits/photos/<int:pk>/", views_visits.visit_photo, name="visit_photo"),
    path("visits/checklist/", views_visits.checklist, name="checklist"),
    path("visits/findings/", views_visits.checklist_figures, name="checklist_figures"),
    path("followups/", views_visits.followup_list, name="followup_list"),
    path("followups/<int:pk>/done/", views_visits.followup_done, name="followup_done"),
    path("pick/", views_visits.person_pick, name="person_pick"),
    path("drafts/", views_visits.drafts, name="drafts"),
    path("drafts/keepalive/", views_visits.keepalive, name="keepalive"),
    path("visits/", views.visit_list, name="visit_list"),
    path("visits/due/", views.visit_ledger, name="visit_ledger"),
    path("visits/due/export/", views.visit_ledger_export, name="visit_ledger_export"),
    path("rules/", views_config.visit_rules, name="visit_rules"),
    path("rules/<int:pk>/delete/", views_config.visit_rule_delete, name="visit_rule_delete"),
    path("categories/", views_config.categories, name="categories"),
    path("import/", views_excel.person_import, name="person_import"),
    path("import/template.xlsx", views_excel.person_template, name="person_template"),
    path("visits/import/", views_excel.visit_import, name="visit_import"),
    path("visits/import/template.xlsx", views_excel.visit_template, name="visit_template"),
    path("roster/", views_excel.roster_check, name="roster_check"),
]

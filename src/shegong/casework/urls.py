from django.urls import path

from shegong.casework import views, views_services

app_name = "casework"
urlpatterns = [
    path("", views.case_list, name="case_list"),
    path("new/<int:person_pk>/", views.case_create, name="case_create"),
    path("<int:pk>/", views.case_detail, name="case_detail"),
    path("<int:pk>/record/", views.case_record, name="case_record"),
    path("<int:pk>/move/", views.case_move, name="case_move"),
    path("<int:pk>/contact/", views.contact_add, name="contact_add"),
    path("<int:pk>/transfer/", views.case_transfer, name="case_transfer"),
    path("<int:pk>/refer/", views.case_refer, name="case_refer"),
    path("approvals/", views.approval_list, name="approval_list"),
    path("approvals/<int:pk>/", views.approval_decide, name="approval_decide"),
    path("referrals/", views.referral_inbox, name="referral_inbox"),
    path("referrals/<int:pk>/", views.referral_answer, name="referral_answer"),
    path("services/", views_services.service_record_list, name="service_list"),
    path("services/new/", views_services.service_record_create, name="service_create"),
    path("catalogue/", views_services.catalogue, name="catalogue"),
    path("figures/", views_services.figures_page, name="figures"),
]

from django.urls import path

from shegong.core.reveal import reveal_page
from shegong.hotline import views

app_name = "hotline"
urlpatterns = [
    path("", views.ticket_list, name="ticket_list"),
    path("new/", views.ticket_create, name="ticket_create"),
    path("<int:pk>/", views.ticket_detail, name="ticket_detail"),
    path("<int:pk>/reveal/", reveal_page, {"kind": "ticket"}, name="ticket_reveal"),
    path("<int:pk>/assign/", views.ticket_assign, name="ticket_assign"),
    path("<int:pk>/note/", views.ticket_note, name="ticket_note"),
    path("<int:pk>/link/", views.ticket_link, name="ticket_link"),
    path("<int:pk>/case/", views.ticket_case, name="ticket_case"),
    path("<int:pk>/close/", views.ticket_close, name="ticket_close"),
    path("deadlines/", views.deadline_list, name="deadlines"),
]

from django.urls import path

from shegong.core.reveal import reveal_page
from shegong.hotline import views
from shegong.lib.routes import record_pages

app_name = "hotline"
urlpatterns = [
    *record_pages(
        "", views, "ticket", ["list", "create", "detail"], ["assign", "note", "link", "case", "close"]
    ),
    path("<int:pk>/reveal/", reveal_page, {"kind": "ticket"}, name="ticket_reveal"),
    path("deadlines/", views.deadline_list, name="deadlines"),
]

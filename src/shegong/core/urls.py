from django.urls import path
from django.views.i18n import JavaScriptCatalog

from shegong.core import views
from shegong.lib import lists

app_name = "core"
urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    path("jsi18n/", JavaScriptCatalog.as_view(), name="jsi18n"),
    # The one export path of every list (lib/lists.py): masked, and in clear as its own audited action.
    path("export/<str:name>/", lists.export_view, name="list_export"),
    path("export/<str:name>/clear/", lists.export_clear_view, name="list_export_clear"),
]

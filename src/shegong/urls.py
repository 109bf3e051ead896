from django.urls import include, path

urlpatterns = [
    path("", include("shegong.core.urls")),
    path("accounts/", include("shegong.accounts.urls")),
    path("regions/", include("shegong.regions.urls")),
    path("jobs/", include("shegong.jobs.urls")),
    path("imports/", include("shegong.lib.importer.urls")),
    path("network/", include("shegong.network.urls")),
    path("people/", include("shegong.clients.urls")),
    path("cases/", include("shegong.casework.urls")),
    path("workforce/", include("shegong.workforce.urls")),
    path("community/", include("shegong.community.urls")),
    path("hotline/", include("shegong.hotline.urls")),
    path("projects/", include("shegong.projects.urls")),
    path("evaluations/", include("shegong.evaluations.urls")),
    path("bulletins/", include("shegong.bulletins.urls")),
    path("audit/", include("shegong.audit.urls")),
    path("workbench/", include("shegong.workbench.urls")),
    path("api/v1/", include("shegong.api.urls")),
]

handler400 = "shegong.core.views.error_400"
handler403 = "shegong.core.views.error_403"
handler404 = "shegong.core.views.error_404"
handler500 = "shegong.core.views.error_500"

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RegionsConfig(AppConfig):
    name = "shegong.regions"
    label = "regions"
    verbose_name = _("Regions")

    def ready(self) -> None:
        from auditlog.registry import auditlog

        from shegong.regions.models import Region

        auditlog.register(
            Region, include_fields=["population", "population_year", "in_scope", "scope_reason"]
        )

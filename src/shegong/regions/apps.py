from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RegionsConfig(AppConfig):
    name = "shegong.regions"
    label = "regions"
    verbose_name = _("Regions")

    def ready(self) -> None:
        from shegong.lib.audit_trail import record_changes
        from shegong.lib.lists import use_region_widget
        from shegong.regions.models import Region
        from shegong.regions.picker import RegionPicker

        # Every list's region filter is the region picker (lib/lists.py imports no domain).
        use_region_widget(RegionPicker)

        record_changes(Region, include_fields=["population", "population_year", "in_scope", "scope_reason"])

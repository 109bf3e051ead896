from django.utils.translation import gettext_lazy as _

from shegong.lib import audit_trail


class RegionsConfig(audit_trail.AuditedAppConfig):
    name = "shegong.regions"
    label = "regions"
    verbose_name = _("Regions")
    audited = ("Region",)
    audit_options = {
        "Region": {"include_fields": ["population", "population_year", "in_scope", "scope_reason"]}
    }

    def ready(self) -> None:
        from shegong.lib.lists import use_region_widget
        from shegong.regions.picker import RegionPicker

        # Every list's region filter is the region picker (lib/lists.py imports no domain).
        use_region_widget(RegionPicker)

        super().ready()

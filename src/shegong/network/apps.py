from django.utils.translation import gettext_lazy as _

from shegong.lib import audit_trail


class NetworkConfig(audit_trail.AuditedAppConfig):
    name = "shegong.network"
    label = "network"
    verbose_name = _("Station network")
    audited = "__all__"

    def ready(self) -> None:
        super().ready()

        from shegong.network import imports  # noqa: F401  (registers the station import job)

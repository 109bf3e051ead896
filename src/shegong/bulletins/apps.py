from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BulletinsConfig(AppConfig):
    name = "shegong.bulletins"
    label = "bulletins"
    verbose_name = _("Monthly bulletins")

    def ready(self) -> None:
        from shegong.bulletins import jobs, models  # noqa: F401  (jobs registers the issue job)
        from shegong.lib.audit_trail import record_changes

        # The generated files are large and never change; the trail records the issue, not the bytes.
        record_changes(models.Bulletin, exclude=["html", "xlsx", "pdf", "docx", "figures"])

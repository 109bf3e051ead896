from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BulletinsConfig(AppConfig):
    name = "shegong.bulletins"
    label = "bulletins"
    verbose_name = _("Monthly bulletins")

    def ready(self) -> None:
        from auditlog.registry import auditlog

        from shegong.bulletins import jobs, models  # noqa: F401  (jobs registers the issue job)

        # The generated files are large and never change; the trail records the issue, not the bytes.
        auditlog.register(models.Bulletin, exclude_fields=["html", "xlsx", "pdf", "docx", "figures"])

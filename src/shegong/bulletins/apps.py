from django.utils.translation import gettext_lazy as _

from shegong.lib import audit_trail


class BulletinsConfig(audit_trail.AuditedAppConfig):
    name = "shegong.bulletins"
    label = "bulletins"
    verbose_name = _("Monthly bulletins")
    audited = "__all__"
    # The generated files are large and never change; the trail records the issue, not the bytes.
    audit_options = {"Bulletin": {"exclude": ["html", "xlsx", "pdf", "docx", "figures"]}}

    def ready(self) -> None:
        from shegong.bulletins import jobs  # noqa: F401  (registers the issue job)

        super().ready()

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProjectsConfig(AppConfig):
    name = "shegong.projects"
    label = "projects"
    verbose_name = _("Government-purchased service projects")

    def ready(self) -> None:
        from shegong.lib.audit_trail import record_changes
        from shegong.projects import models

        record_changes(models.Project, m2m_fields={"stations"})
        record_changes(
            models.ProjectTarget,
            models.Milestone,
            models.Payment,
            models.ProjectDocument,
            models.ProjectEvent,
        )

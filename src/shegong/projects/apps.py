from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProjectsConfig(AppConfig):
    name = "shegong.projects"
    label = "projects"
    verbose_name = _("Government-purchased service projects")

    def ready(self) -> None:
        from auditlog.registry import auditlog

        from shegong.projects import models

        auditlog.register(models.Project, m2m_fields={"stations"})
        for model in (
            models.ProjectTarget,
            models.Milestone,
            models.Payment,
            models.ProjectDocument,
            models.ProjectEvent,
        ):
            auditlog.register(model)

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WorkforceConfig(AppConfig):
    name = "shegong.workforce"
    label = "workforce"
    verbose_name = _("Workforce")

    def ready(self) -> None:
        from shegong.lib.audit_trail import record_changes
        from shegong.workforce import models

        # Beside the encrypted columns and their hashes (lib/audit_trail.py), the birth date is left out: it is
        # eight of the ID number's digits. The last four digits record that a number changed without saying
        # what it is, as the masked display does.
        record_changes(models.Worker, exclude=["birth_date", "created_at", "updated_at"])
        record_changes(
            models.Assignment,
            models.Certificate,
            models.EducationHours,
            models.Agency,
            models.StaffingRule,
            models.TrainingSession,
            models.Attendance,
            models.AwardRule,
            models.Payment,
            models.Expert,
            models.TalentTarget,
        )

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WorkforceConfig(AppConfig):
    name = "shegong.workforce"
    label = "workforce"
    verbose_name = _("Workforce")

    def ready(self) -> None:
        from auditlog.registry import auditlog

        from shegong.workforce import models

        # The encrypted columns hold the clear value in Python, and auditlog would copy it into the trail (its
        # mask_fields still shows half of it). They are left out, and so is the birth date, which is eight of
        # the ID number's digits; the last four digits record that a number changed without saying what it is,
        # as the masked display does.
        auditlog.register(
            models.Worker,
            exclude_fields=[
                "id_number",
                "id_number_hash",
                "phone",
                "phone_hash",
                "birth_date",
                "created_at",
                "updated_at",
            ],
        )
        for model in (
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
        ):
            auditlog.register(model)

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class HotlineConfig(AppConfig):
    name = "shegong.hotline"
    label = "hotline"
    verbose_name = _("Service hotline")

    def ready(self) -> None:
        from auditlog.registry import auditlog

        from shegong.hotline import models

        # The caller's phone is stored encrypted; its ciphertext, hash and last four stay out of the trail.
        auditlog.register(
            models.Ticket, exclude_fields=["caller_phone", "caller_phone_hash", "caller_phone_last4"]
        )
        auditlog.register(models.TicketNote)
        auditlog.register(models.DeadlineRule)

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class HotlineConfig(AppConfig):
    name = "shegong.hotline"
    label = "hotline"
    verbose_name = _("Service hotline")

    def ready(self) -> None:
        from shegong.hotline import models
        from shegong.lib.audit_trail import record_changes

        # The caller's phone is stored encrypted; beside its ciphertext and hash, its last four stay out too.
        record_changes(models.Ticket, exclude=["caller_phone_last4"])
        record_changes(models.TicketNote, models.DeadlineRule)

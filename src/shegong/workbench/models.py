"""督办 notices: a county (or any level above a station) presses a township station to act on its overdue
visits, and the station answers. Both the notice and the answer are kept (and audited)."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from shegong.lib.bases import AtStation
from shegong.lib.fields import status_field, user_field


class NoticeStatus(models.TextChoices):
    OPEN = "open", _("Awaiting the station's answer")
    ANSWERED = "answered", _("Answered")


class SupervisionNotice(AtStation):
    """One 督办 notice to one station, with the overdue figure it was sent about and the station's answer."""

    subject = models.CharField(_("subject"), max_length=100)
    body = models.TextField(_("what the station must do"))
    due_on = models.DateField(_("answer by"), null=True, blank=True)
    # The station's overdue visits when the notice was sent, kept as the notice's evidence.
    overdue_when_sent = models.PositiveIntegerField(_("overdue visits when sent"), default=0)
    sent_by = user_field(_("sent by"), optional=False)
    sent_at = models.DateTimeField(_("sent at"), auto_now_add=True)
    status = status_field(NoticeStatus, 10)
    answer = models.TextField(_("the station's answer"), blank=True)
    answered_by = user_field(_("answered by"))
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True)

    class Meta:
        verbose_name = _("supervision notice")
        ordering = ["-sent_at", "-id"]
        indexes = [models.Index(fields=["station", "status"])]

    def __str__(self) -> str:
        return f"{self.station} {self.subject}"

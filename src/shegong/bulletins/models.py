"""The monthly bulletin (月通报): for a region and a month, one report built from the system's own figures.

A bulletin is stored as it was issued — its figures as JSON, the page as rendered, the Excel workbook and the PDF —
and never changes: issuing the same month again makes a new edition beside the first. Comparing a month with the
last reads the previous month's snapshot, not today's records.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

from shegong.lib.fields import user_field


class Bulletin(models.Model):
    SCOPE_FIELD = "region_id"

    region = models.ForeignKey(
        "regions.Region", verbose_name=_("region"), on_delete=models.PROTECT, related_name="+"
    )
    month = models.DateField(_("month"), help_text=_("The first day of the month reported."))
    edition = models.PositiveSmallIntegerField(_("edition"), default=1)
    # 第N期: numbered per issuing region and year of the month covered; a new edition keeps its month's number.
    issue_number = models.PositiveSmallIntegerField(_("issue number"), default=1)
    issuer_name = models.CharField(_("issuing unit"), max_length=100, default="")
    covers_until = models.DateField(
        _("covers until"),
        null=True,
        help_text=_("The last day counted: the month's last day once it has ended."),
    )
    figures = models.JSONField(_("figures as issued"))
    html = models.TextField(_("page as issued"))
    xlsx = models.BinaryField(_("Excel workbook"))
    pdf = models.BinaryField(_("PDF"))
    docx = models.BinaryField(_("Word document"), default=b"")
    issued_by = user_field(_("issued by"), optional=False)
    issued_at = models.DateTimeField(auto_now_add=True, verbose_name=_("issued at"))

    class Meta:
        verbose_name = _("monthly bulletin")
        ordering = ["-month", "region_id", "-edition"]
        constraints = [
            models.UniqueConstraint(
                fields=["region", "month", "edition"], name="bulletins_one_edition_number_per_month"
            )
        ]

    def __str__(self) -> str:
        return f"{self.region_id} {self.month:%Y-%m} #{self.edition}"

    @property
    def file_stem(self) -> str:
        return f"bulletin-{self.region_id}-{self.month:%Y-%m}-{self.edition}"

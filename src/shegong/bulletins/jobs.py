"""The background job that issues a bulletin (figures of a whole prefecture take a few seconds)."""

import datetime as dt

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from shegong.bulletins.services import bulletin_issue
from shegong.jobs.registry import JobError, job_handler
from shegong.lib.cjk_font import CJKFontMissing
from shegong.regions.models import Region

KIND = "bulletins.issue"


@job_handler(KIND)
def issue(job, progress):

    region = Region.objects.filter(code=job.params.get("region", "")).first()
    try:
        month = dt.date.fromisoformat(job.params.get("month", ""))
        bulletin = bulletin_issue(actor=job.created_by, region=region, month=month, progress=progress)
    except (ValueError, ValidationError, CJKFontMissing) as exc:
        raise JobError(" ".join(getattr(exc, "messages", [str(exc)]))) from exc
    job.output_name = f"{bulletin.file_stem}.pdf"
    job.output_data = bytes(bulletin.pdf)
    job.save(update_fields=["output_name", "output_data"])
    return {
        "ok": True,
        "bulletin": bulletin.pk,
        "message": _("Bulletin issued: edition %(edition)s of %(month)s.")
        % {"edition": bulletin.edition, "month": f"{bulletin.month:%Y-%m}"},
    }

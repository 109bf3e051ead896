import datetime as dt

from django.utils import timezone

from shegong.bulletins import services
from shegong.regions.models import Region


def this_month() -> dt.date:
    return timezone.localdate().replace(day=1)


def make_bulletin(actor, code: str = "522301", month: dt.date | None = None):
    return services.bulletin_issue(
        actor=actor, region=Region.objects.get(code=code), month=month or this_month()
    )

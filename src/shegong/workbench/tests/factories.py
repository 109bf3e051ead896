from shegong.network.models import Facility, Kind
from shegong.network.tests.factories import make_facility
from shegong.workbench import services

TOWNSHIP = "522301001"  # the worker's township, in county 522301
OTHER_TOWNSHIP = "522302001"  # in the sibling county 522302


def station(code: str = TOWNSHIP) -> Facility:
    found = Facility.objects.filter(region_id=code, kind=Kind.TOWNSHIP_STATION).first()
    return found or make_facility(code)


def notice(sender, code: str = TOWNSHIP, **fields):
    return services.notice_send(
        actor=sender,
        station=station(code),
        subject=fields.pop("subject", "走访逾期督办"),
        body=fields.pop("body", "请一周内完成逾期走访并回复。"),
        **fields,
    )

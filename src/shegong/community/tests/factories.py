"""Builders for community tests: records are made through the services, as the application makes them."""

import datetime as dt
from decimal import Decimal
from itertools import count

from django.utils import timezone
from stdnum.cn import ric

from shegong.community import charity, points, services, volunteers
from shegong.community.models import Activity, Organisation, Volunteer
from shegong.network.models import Facility, Kind
from shegong.network.tests.factories import make_facility
from shegong.regions.models import Region

TOWNSHIP = "522301001"
VILLAGE = "522301001001"
_serial = count(300)


def id_number(birth: str = "19900101", region: str = "522301") -> str:
    body = f"{region}{birth}{next(_serial) % 1000:03d}"
    return body + ric.calc_check_digit(body + "0")


def actor_for(code: str = TOWNSHIP):
    from shegong.clients.tests.factories import actor_for as clients_actor

    return clients_actor(code)


def station(code: str = TOWNSHIP) -> Facility:
    found = Facility.objects.filter(region_id=code, kind=Kind.TOWNSHIP_STATION).first()
    return found or make_facility(code)


def make_volunteer(code: str = VILLAGE, name: str = "李志愿", **values) -> Volunteer:
    values.setdefault("id_number", id_number())
    values.setdefault("phone", "13800001234")
    parsed = volunteers.volunteer_parse({"name": name, **values})
    return volunteers.volunteer_create(
        actor=actor_for(code), values=parsed, region=Region.objects.get(code=code), station=None
    )


def make_activity(code: str = TOWNSHIP, kind: str = "care_visit", held_on=None, **fields) -> Activity:
    fields.setdefault("title", "重阳节关爱探访")
    fields.setdefault("participants", 20)
    fields.setdefault("beneficiaries", 30)
    return services.activity_create(
        actor=actor_for(code),
        station=station(code),
        kind=kind,
        held_on=held_on or timezone.localdate(),
        **fields,
    )


def confirmed_signup(volunteer: Volunteer, activity: Activity | None = None, hours="2.5"):
    activity = activity or make_activity()
    actor = actor_for(activity.station.region_id)
    signup = volunteers.signup_create(actor=actor, activity=activity, volunteer=volunteer)
    volunteers.signup_check_in(actor=actor, signup=signup)
    volunteers.signup_check_out(actor=actor, signup=signup)
    return volunteers.signup_confirm(actor=actor, signup=signup, hours=Decimal(hours))


def give_points(volunteer: Volunteer, amount: int, reason: str = "期初积分"):
    return points.points_adjust(
        actor=actor_for(volunteer.region_id), volunteer=volunteer, points=amount, reason=reason
    )


def catalogue_item(code: str = "522301", name: str = "大米一袋", cost: int = 50, stock=None):
    return points.catalogue_item_create(
        actor=actor_for(code), region=Region.objects.get(code=code), name=name, points=cost, stock=stock
    )


def make_project(
    code: str = VILLAGE,
    raised="1000",
    *,
    name: str = "互助项目",
    programme: str = "幸福家园",
    target="20000",
    started=dt.date(2024, 5, 1),
    status: str = "raising",
):
    """A mutual-aid project (互助项目) of the village ``code``."""
    return charity.project_create(
        actor=actor_for(code),
        region=Region.objects.get(code=code),
        name=name,
        programme=programme,
        target=Decimal(target),
        raised=Decimal(raised),
        started_on=started,
        status=status,
    )


def make_rule(
    code: str,
    percent,
    *,
    name: str = "配捐",
    cap=None,
    programme: str = "",
    valid_from=dt.date(2024, 1, 1),
    valid_until=None,
    actor=None,
):
    """A matching rule of the division ``code``, set by its administrator (or ``actor``)."""
    return charity.matching_rule_create(
        actor=actor or actor_for(code),
        region=Region.objects.get(code=code),
        name=name,
        percent=Decimal(percent),
        cap=None if cap is None else Decimal(cap),
        programme=programme,
        valid_from=valid_from,
        valid_until=valid_until,
    )


def make_organisation(
    code: str = VILLAGE,
    name: str = "黄草邻里互助会",
    *,
    kind="living",
    status="cultivating",
    on=None,
    actor=None,
) -> Organisation:
    """A community organisation of the village ``code`` in ``status`` since ``on`` (today), founded that day,
    registered by the county's administrator (or ``actor``)."""
    on = on or timezone.localdate()
    region = Region.objects.get(code=code)
    dates = {"status_since": on, "founded_on": on}
    return services.organisation_create(
        actor=actor or actor_for(code), region=region, name=name, kind=kind, status=status, **dates
    )


def make_meeting(topic: str = "小区停车难", issue: str = "停车位不足"):
    """A deliberation meeting held today in village 522301001001 on ``topic``, with the one problem ``issue``."""
    return services.deliberation_create(
        actor=actor_for(),
        region=Region.objects.get(code=VILLAGE),
        held_on=timezone.localdate(),
        topic=topic,
        issues=[issue],
    )


def make_fund(code: str = TOWNSHIP, name: str = "黄草社区公益基金"):
    return charity.fund_create(
        actor=actor_for(code),
        region=Region.objects.get(code=code),
        name=name,
        established_on=dt.date(2024, 1, 1),
    )


def make_donation(code: str = TOWNSHIP, *, donor: str = "某公司", form: str = "cash", value="1000", **fields):
    """A donation received by the station of ``code``; a gift in kind names its items in ``fields``."""
    fields.setdefault("donor_kind", "enterprise" if form == "cash" else "individual")
    fields.setdefault("received_on", timezone.localdate())
    return charity.donation_create(
        actor=actor_for(code), station=station(code), donor=donor, form=form, value=value, **fields
    )


def make_payment(project, funder: str, amount, paid_on, *, actor=None, **fields):
    """Matching money paid to ``project`` (配套资金), recorded by its county's administrator (or ``actor``)."""
    return charity.matching_payment_record(
        actor=actor or actor_for(project.region_id),
        project=project,
        funder=funder,
        amount=Decimal(amount),
        paid_on=paid_on,
        **fields,
    )

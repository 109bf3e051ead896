"""Builders for community tests: records are made through the services, as the application makes them."""

import datetime as dt
from decimal import Decimal
from itertools import count

from stdnum.cn import ric

from shegong.community import points, services, volunteers
from shegong.community.models import Activity, Volunteer
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
        held_on=held_on or dt.date.today(),
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

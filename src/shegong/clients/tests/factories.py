"""Builders for tests of people served and casework: records are made through the services, as the
application makes them."""

import datetime as dt
from itertools import count

from django.utils import timezone
from stdnum.cn import ric

from shegong.accounts.models import User
from shegong.clients import services
from shegong.clients.models import Category, Person
from shegong.regions.models import Region

VILLAGE = "522301001001"  # a village of township 522301001, county 522301
OTHER_COUNTY_VILLAGE = "522302001001"
_serial = count(100)


def id_number(birth: str = "19500101", region: str = "522301", serial: int | None = None) -> str:
    """A valid resident ID number (right check character), unique per call unless ``serial`` is given."""
    body = f"{region}{birth}{(next(_serial) if serial is None else serial) % 1000:03d}"
    return body + ric.calc_check_digit(body + "0")


def actor_for(code: str) -> User:
    """An editing account whose jurisdiction holds ``code`` (the county's administrator)."""
    from shegong.testing import make_user

    username = f"editor{code[:6]}"
    user = User.objects.filter(username=username).first()
    if user is None:
        user = make_user(username, "admin", code[:6])
        user.full_name = "县级社工督导"  # shown on pages, which must read in Chinese
        user.save(update_fields=["full_name"])
    return user


def make_person(
    code: str = VILLAGE, name: str = "王秀英", actor: User | None = None, categories=(), **fields
) -> Person:
    fields.setdefault("id_number", id_number())
    if fields.get("risk_level") in ("watch", "key"):
        fields.setdefault("risk_reason", "独居高龄")
    return services.person_create(
        actor=actor or actor_for(code),
        name=name,
        region=Region.objects.get(code=code),
        categories=[Category.objects.get(name=c) for c in categories],
        confirm_duplicates=True,
        **fields,
    )


def move_as_key(actor: User, person: Person, village: str) -> Person:
    """``person``'s file moves to ``village`` and becomes a key person's (独居高龄), through the service."""
    return services.person_update(
        actor=actor,
        person=person,
        name=person.name,
        region=Region.objects.get(code=village),
        risk_level="key",
        risk_reason="独居高龄",
        id_number=person.id_number,
    )


def make_visit(person: Person, days_ago: int, actor: User | None = None, **fields):
    return services.visit_create(
        actor=actor or actor_for(person.region_id),
        person=person,
        visited_on=timezone.localdate() - dt.timedelta(days=days_ago),
        mode=fields.pop("mode", "home"),
        findings=fields.pop("findings", "身体尚可，生活正常"),
        **fields,
    )

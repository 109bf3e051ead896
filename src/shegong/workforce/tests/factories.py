"""Builders for workforce tests: every record is made through the services, as the application makes it."""

import datetime as dt

from stdnum.cn import ric

from shegong.network.models import FacilityStatus
from shegong.network.tests.factories import make_facility
from shegong.regions.models import Region
from shegong.workforce import services, services_agencies, services_training
from shegong.workforce.models import EmploymentType


def make_id(place: str = "522301", born: str = "19900101", sequence: int = 123) -> str:
    """A valid 18-character ID number: place, birth date, a 3-digit sequence (odd: male) and the check digit."""
    body = f"{place}{born}{sequence:03d}"
    return body + ric.calc_check_digit(body + "0")


def make_station(
    code: str = "522301001",
    name: str = "",
    status: str = FacilityStatus.OPERATING,
    kind: str | None = None,
    **details,
):
    """A facility of ``code`` as the network's tests make it, its status dated the first of 2022."""
    return make_facility(code, status, kind, name, status_date=dt.date(2022, 1, 1), **details)


_sequence = iter(range(100, 999))


def make_worker(
    station=None,
    *,
    name: str = "张三",
    id_number: str | None = None,
    region: str | None = None,
    employment_type: str = EmploymentType.RESIDENT,
    joined_on=dt.date(2022, 3, 1),
    phone: str = "",
    **values,
):
    data = {
        "name": name,
        "id_number": id_number or make_id(sequence=next(_sequence)),
        "employment_type": employment_type,
        "joined_on": joined_on,
        "phone": phone,
        **values,
    }
    return services.worker_create(
        actor=None,
        values=services.worker_parse(data),
        facility=station,
        region=Region.objects.get(code=region) if region else None,
        start_date=joined_on,
    )


def certify(worker, level: int = 1, year: int = 2023, number: str | None = None):
    return services.certificate_save(
        actor=None, worker=worker, level=level, year=year, number=number or f"Z{worker.pk:04d}{level}{year}"
    )


# Valid unified social credit codes: an organisation code and its check character.
def make_credit_code(body: str = "52522301MJ000001") -> str:
    from stdnum.cn import uscc

    body = (body + "0" * 17)[:17]
    return body + uscc.calc_check_digit(body)


def make_agency(
    code: str = "522301",
    name: str = "兴义市阳光社会工作服务中心",
    credit_code: str | None = None,
    rating: str = "",
    rating_year: int | None = None,
    registered_on=dt.date(2019, 5, 1),
):
    values = services_agencies.agency_parse(
        {
            "name": name,
            "credit_code": credit_code or make_credit_code(),
            "authority": "兴义市民政局",
            "registered_on": registered_on,
            "rating": rating,
            "rating_year": rating_year,
        }
    )
    return services_agencies.agency_create(actor=None, region=Region.objects.get(code=code), values=values)


def make_training(
    code: str = "522301",
    title: str = "轮训",
    held_on=dt.date(2024, 4, 1),
    *,
    kind: str = "rotation",
    organiser: str = "市局",
    hours=6,
    attendees=(),
    **values,
):
    """A training session (培训) held by the division ``code``; ``attendees``: workers who attended."""
    session = services_training.training_create(
        actor=None,
        region=Region.objects.get(code=code),
        title=title,
        kind=kind,
        organiser=organiser,
        held_on=held_on,
        hours=hours,
        **values,
    )
    for worker in attendees:
        services_training.attendance_add(actor=None, session=session, worker=worker)
    return session


def make_expert(
    code: str = "522301",
    name: str = "王教授",
    kind: str = "expert",
    specialities: str = "儿童",
    *,
    actor=None,
):
    """An expert (or ``kind="supervisor"``) of the pool of the division ``code``, in it since 2024-01-01."""
    values = {"name": name, "kind": kind, "specialities": specialities, "joined_on": dt.date(2024, 1, 1)}
    return services_agencies.expert_save(actor=actor, region=Region.objects.get(code=code), values=values)

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from shegong.casework.models import ServiceItem
from shegong.clients.tests.factories import id_number, make_person
from shegong.jobs.models import Job
from shegong.jobs.services import job_start
from shegong.lib.importer.engine import IMPORT_KIND
from shegong.network.tests.factories import make_facility
from shegong.regions.models import Region
from shegong.testing import make_user


@pytest.fixture
def world(users):
    """兴义市 (522301): the township station of 黄草街道, two people with files, a social worker account
    (张社工) and a service item; and a person in the sibling county."""
    township = Region.objects.get(code="522301001")
    villages = list(Region.objects.filter(parent=township).order_by("code")[:2])
    station = make_facility("522301001", name="黄草街道社会工作服务站")
    county = users["county"]
    worker = make_user("zhang", "worker", "522301001")
    worker.full_name = "张社工"
    worker.save(update_fields=["full_name"])
    first = make_person(
        code=villages[0].code, name="王秀英", actor=county, id_number=id_number("19500101", serial=11)
    )
    second = make_person(
        code=villages[1].code, name="李德明", actor=county, id_number=id_number("19480202", serial=13)
    )
    item = ServiceItem.objects.filter(region__isnull=True, active=True).order_by("pk").first()
    other = make_person(
        code="522302001001",
        name="赵其",
        actor=users["county2"],
        id_number=id_number("19520303", "522302", serial=15),
    )
    return {
        "county": county,
        "worker": worker,
        "station": station,
        "villages": villages,
        "people": [first, second],
        "item": item,
        "other": other,
        "township": township,
    }


@pytest.fixture
def run(django_capture_on_commit_callbacks):
    """Start an import job as ``user`` and run it (and its confirmation) in process; returns the Job."""

    def start(user, ledger, data, *, name="ledger.xlsx", commit=False, **params):
        with django_capture_on_commit_callbacks(execute=True):
            job = job_start(
                actor=user,
                kind=IMPORT_KIND,
                title="import",
                params={"ledger": ledger, "commit": commit, **params},
                input_name=name,
                input_file=SimpleUploadedFile(name, data),
            )
        return Job.objects.get(pk=job.pk)

    return start

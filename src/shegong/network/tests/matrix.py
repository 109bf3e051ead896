"""Every network URL, every role. Facilities and checklists sit in township 522301001 of county 522301: its
county's administrators and those above, the worker of that township and the prefecture's leader see it;
the sibling county (county2) gets 404; the system administrator and the audit officer see no network data."""

from django.core.files.base import ContentFile

from shegong.casework.tests.factories import make_case
from shegong.network import services
from shegong.network.models import FacilityPhoto, HonourKind, Indicator
from shegong.network.tests.factories import assess, import_job, make_facility, template
from shegong.regions.models import Region
from shegong.testing import Route

VIEWERS = ["province", "prefecture", "county", "worker", "leader"]
ADMINS = ["province", "prefecture", "county"]


def _see(codes=VIEWERS, status=200, county2=404, **extra):
    """Who sees an object of township 522301001: ``codes`` get ``status``, county2 404, the others 403."""
    return {**{r: status for r in codes}, "county2": county2, **extra}


def _facility(users):
    return {"pk": make_facility("522301001").pk}


def _referral_list(users):
    return {"source": "referral", "of": make_case().pk}


def _photo(users):
    facility = make_facility("522301001")
    photo = FacilityPhoto(facility=facility)
    photo.file.save("p.png", ContentFile(b"\x89PNG"), save=True)
    return {"pk": photo.pk}


def _assessment(users):
    return {"pk": assess(make_facility("522301001"), evidence=True).pk}


def _result(users):
    assessment = assess(make_facility("522301001"), evidence=True)
    return {"pk": assessment.results.filter(evidence__gt="").first().pk}


def _assess_form(users):
    return {"pk": make_facility("522301001").pk, "checklist": template().pk}


def _honour(users):
    facility = make_facility("522301001")
    honour = services.honour_create(
        actor=None, facility=facility, kind=HonourKind.DEMONSTRATION, year=2023, issuer="州民政局"
    )
    return {"pk": honour.pk}


def _county_checklist(users):
    checklist = services.checklist_copy(
        actor=None, checklist=template(), region=Region.objects.get(code="522301")
    )
    return {"pk": checklist.pk}


def _template(users):
    return {"pk": template().pk}


def _target(users):
    target = services.target_create(
        actor=None,
        region=Region.objects.get(code="522301"),
        indicator=Indicator.TOWNSHIP_COVERAGE,
        value=100,
        deadline="2025-12-31",
    )
    return {"pk": target.pk}


def _county_job(users):
    return {"job_id": import_job(users["county"], data=b"x").pk}


# A county's admins may start things in their own region; county2 is an administrator too, of another county.
ALL_ADMINS = {r: 200 for r in [*ADMINS, "county2"]}

ROUTES = {
    "network:index": [Route(expect={r: 302 for r in [*VIEWERS, "county2"]})],
    "network:dashboard": [
        Route(
            kwargs={"code": "522301"}, expect=_see(["province", "prefecture", "county", "leader"], worker=404)
        ),
        Route(kwargs={"code": "522301001"}, expect=_see()),
        Route(kwargs={"code": "529999"}, expect={r: 404 for r in [*VIEWERS, "county2"]}),
    ],
    "network:dashboard_export": [
        Route(
            kwargs={"code": "522301"}, expect=_see(["province", "prefecture", "county", "leader"], worker=404)
        )
    ],
    # The station picker's choices: whoever chooses stations for the capability; what it lists is scoped
    # (test_station_picker.py). Another capability is no address.
    "network:station_pick": [
        Route(expect={r: 200 for r in ["province", "prefecture", "county", "county2", "worker"]}),
        Route(kwargs={"capability": "network.manage"}, expect=ALL_ADMINS),
        Route(kwargs={"capability": "data.view"}, default=404),
    ],
    # ... for a list a domain registered: the capability of the form offering it; the case of a referral list
    # is one the user may edit (county2 finds none). An unregistered list is no address.
    "network:station_pick_from": [
        Route(kwargs={"source": "staffable"}, expect={r: 200 for r in [*ADMINS, "county2", "worker"]}),
        Route(setup=_referral_list, expect=_see([*ADMINS, "worker"])),
        Route(kwargs={"source": "referral"}, expect={r: 404 for r in [*ADMINS, "county2", "worker"]}),
        Route(kwargs={"source": "nothing"}, default=404),
    ],
    "network:facility_list": [Route(expect={r: 200 for r in [*VIEWERS, "county2"]})],
    "network:facility_create": [Route(expect=ALL_ADMINS)],
    "network:facility_detail": [Route(setup=_facility, expect=_see())],
    "network:facility_edit": [
        Route(setup=_facility, expect=_see(["province", "prefecture", "county", "worker"]))
    ],
    "network:facility_status": [
        Route.post({"to_status": "suspended"}, setup=_facility, expect=_see(ADMINS, status=302))
    ],
    "network:photo_upload": [
        Route.post(setup=_facility, expect=_see(["province", "prefecture", "county", "worker"], status=302))
    ],
    "network:photo_file": [Route(setup=_photo, expect=_see())],
    "network:assessment_start": [
        Route(setup=_assess_form, expect=_see(["province", "prefecture", "county", "worker"]))
    ],
    "network:assessment_detail": [Route(setup=_assessment, expect=_see())],
    "network:evidence_file": [Route(setup=_result, expect=_see())],
    "network:honour_create": [Route(setup=_facility, expect=_see(ADMINS))],
    "network:honour_delete": [Route.post(setup=_honour, expect=_see(ADMINS, status=302))],
    "network:checklist_list": [Route(expect={r: 200 for r in [*VIEWERS, "county2"]})],
    "network:checklist_create": [Route(expect=ALL_ADMINS)],
    "network:checklist_detail": [
        Route(setup=_template, expect={r: 200 for r in [*VIEWERS, "county2"]}),
        Route(setup=_county_checklist, expect=_see()),
    ],
    "network:checklist_edit": [
        Route(setup=_county_checklist, expect=_see(ADMINS)),
        # Starting templates are nobody's to edit.
        Route(setup=_template, expect={r: 404 for r in [*ADMINS, "county2"]}),
    ],
    "network:checklist_copy": [Route.post(setup=_template, expect={r: 302 for r in [*ADMINS, "county2"]})],
    "network:target_list": [Route(expect={r: 200 for r in [*VIEWERS, "county2"]})],
    "network:target_create": [Route(expect=ALL_ADMINS)],
    "network:target_delete": [Route.post(setup=_target, expect=_see(ADMINS, status=302))],
    "network:import": [Route(expect=ALL_ADMINS)],
    "network:import_template": [Route(expect=ALL_ADMINS)],
    # An import job is its owner's alone.
    "network:import_preview": [
        Route(setup=_county_job, expect={"county": 200, "province": 404, "prefecture": 404, "county2": 404})
    ],
    "network:import_confirm": [
        Route.post(
            setup=_county_job, expect={"county": 302, "province": 404, "prefecture": 404, "county2": 404}
        )
    ],
    # API: the same scoping; errors are JSON.
    "api:stations": [Route(expect={r: 200 for r in [*VIEWERS, "county2"]})],
    "api:station": [Route(setup=_facility, expect=_see())],
    "api:station_status": [Route.post({"to_status": "suspended"}, setup=_facility, expect=_see(ADMINS))],
    "api:coverage": [Route(expect={r: 200 for r in [*VIEWERS, "county2"]})],
}

from shegong.jobs.models import Job
from shegong.lib.importer.engine import IMPORT_KIND
from shegong.testing import Route

USERS = ["province", "prefecture", "county", "county2", "worker"]
ALL = {r: 200 for r in USERS}


def _county_import(users):
    """A finished check of the county's, with errors (nothing to confirm)."""
    job = Job.objects.create(
        kind=IMPORT_KIND,
        title="t",
        created_by=users["county"],
        scope_code="522301",
        status="succeeded",
        params={"ledger": "casework.services", "commit": False},
        result={"ok": False, "message": "x"},
    )
    return {"job_id": job.pk}


def _county_held(users):
    """A row held for correction in the county's jurisdiction (its job gone: still correctable)."""
    import uuid

    from shegong.lib.importer.models import HeldRow

    held = HeldRow.objects.create(
        scope_code="522301",
        ledger="casework.services",
        job_id=uuid.uuid4(),
        row=5,
        cells={"服务日期": "", "社工": "张社工"},
        columns={"served_on": "服务日期", "worker": "社工"},
        errors=[{"column": "服务日期", "message": "必填"}],
    )
    return {"ledger": "casework.services", "pk": held.pk}


def _api(users):
    return {"pk": _county_import(users)["job_id"]}


OWN = {"county": 200, **{r: 404 for r in USERS if r != "county"}}
ROUTES = {
    "importer:index": [Route(expect=ALL)],
    "importer:codes": [Route(expect=ALL)],
    "importer:template": [
        Route(kwargs={"ledger": "casework.services"}, expect=ALL),
        Route(kwargs={"ledger": "nothing"}, expect={r: 404 for r in USERS}),
    ],
    "importer:held": [Route(kwargs={"ledger": "casework.services"}, expect=ALL)],
    # Correcting a held row: the county's jurisdiction only (the row is checked again, still wrong: back to the
    # list); another jurisdiction's row is not found.
    "importer:held_correct": [
        Route(method="post", data={}, setup=_county_held, expect={**{r: 404 for r in USERS}, "county": 302})
    ],
    # An import is its owner's alone (its file carries personal data): everyone else gets 404.
    "importer:detail": [Route(setup=_county_import, expect=OWN)],
    # Mapping on a check whose file is gone: the owner is told to upload again (400).
    "importer:map": [Route(method="post", setup=_county_import, expect={**OWN, "county": 400})],
    # Checking a refused file again to write its valid rows: the owner is told to upload again (file gone).
    "importer:valid_rows": [Route(method="post", setup=_county_import, expect={**OWN, "county": 400})],
    "importer:confirm": [Route(method="post", setup=_county_import, expect={r: 404 for r in USERS})],
    "api:imports": [
        Route(expect=ALL),
        Route(method="post", data={}, expect={r: 400 for r in USERS}),
    ],
    "api:import_ledgers": [Route(expect=ALL)],
    "api:import": [Route(setup=_api, expect=OWN)],
    "api:import_confirm": [Route(method="post", setup=_api, expect={**OWN, "county": 400})],
}

from shegong.jobs.models import Job
from shegong.testing import Route

USERS = ["province", "prefecture", "county", "county2", "worker"]


def _county_job(users):
    job = Job.objects.create(
        kind="importer.run",
        title="t",
        created_by=users["county"],
        output_name="x.xlsx",
        output_data=b"x",
        status="succeeded",
    )
    return {"job_id": job.pk}


ROUTES = {
    "jobs:list": [Route(expect={r: 200 for r in USERS})],
    # A job is its owner's alone: everyone else gets 404.
    "jobs:detail": [
        Route(setup=_county_job, expect={"county": 200, **{r: 404 for r in USERS if r != "county"}})
    ],
    "jobs:download": [
        Route(setup=_county_job, expect={"county": 200, **{r: 404 for r in USERS if r != "county"}})
    ],
}

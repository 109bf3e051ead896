"""Every bulletin URL, every role. The bulletin is county 522301's: its administrators and those above and the
prefecture's leader see it; county2 and the township worker (whose jurisdiction lies below the county) get 404.
Administrators issue bulletins."""

from django.utils import timezone

from shegong.bulletins.tests.factories import make_bulletin
from shegong.testing import ADMINS, VIEWERS, Route


def _bulletin(users):
    return {"pk": make_bulletin(users["county"]).pk}


SEE = {"province": 200, "prefecture": 200, "county": 200, "county2": 404, "worker": 404, "leader": 200}

ROUTES = {
    "bulletins:bulletin_list": [Route(expect={r: 200 for r in VIEWERS})],
    # Valid for the county and those above (a job is started); county2 is told the division is not theirs.
    "bulletins:bulletin_issue": [
        Route.post(
            {"region": "522301", "month": timezone.localdate().strftime("%Y-%m")},
            expect={r: 302 for r in ADMINS},
        )
    ],
    "bulletins:bulletin_detail": [Route(setup=_bulletin, expect=SEE)],
    "bulletins:bulletin_xlsx": [Route(setup=_bulletin, expect=SEE)],
    "bulletins:bulletin_pdf": [Route(setup=_bulletin, expect=SEE)],
    "bulletins:bulletin_docx": [Route(setup=_bulletin, expect=SEE)],
    "api:bulletins": [
        Route(setup=lambda users: make_bulletin(users["county"]) and {}, expect={r: 200 for r in VIEWERS})
    ],
}

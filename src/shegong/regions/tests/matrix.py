from shegong.testing import READS_522301, Route

VIEWERS = ["sysadmin", "province", "prefecture", "county", "county2", "worker", "leader"]
# A change to 522301: made by the administrators at or above it (then back to its page), 404 for its sibling.
EDITS_522301 = {"province": 302, "prefecture": 302, "county": 302, "county2": 404}

ROUTES = {
    # National roles see the province list; regional roles are sent to their own region.
    "regions:index": [Route(expect={r: (200 if r == "sysadmin" else 302) for r in VIEWERS})],
    "regions:search": [Route(kwargs={}, expect={r: 200 for r in VIEWERS})],
    # The region picker's choices: every role that chooses regions; what it lists is scoped (test_picker.py).
    "regions:pick": [Route(kwargs={}, expect={r: 200 for r in VIEWERS})],
    "regions:detail": [
        # County 522301: its admin, the admins above it and the sysadmin see it; the sibling county and
        # the worker of one of its townships get 404.
        Route(kwargs={"code": "522301"}, expect=READS_522301),
        # A village of 522301's township 001: inside the worker's jurisdiction.
        Route(kwargs={"code": "522301001001"}, expect={**READS_522301, "worker": 200}),
        # A code that does not exist answers like one outside the jurisdiction.
        Route(kwargs={"code": "529999"}, expect={r: 404 for r in VIEWERS}),
    ],
    "regions:population": [
        Route.post({"population": "850000", "year": "2024"}, kwargs={"code": "522301"}, expect=EDITS_522301)
    ],
    "regions:scope": [
        Route.post({"in_scope": "on", "reason": "核实"}, kwargs={"code": "522301001"}, expect=EDITS_522301)
    ],
    # The old population pages lead to the import engine's page and template of the population ledger.
    "regions:population_template": [
        Route(expect={"province": 302, "prefecture": 302, "county": 302, "county2": 302})
    ],
    "regions:population_import": [
        Route(expect={"province": 302, "prefecture": 302, "county": 302, "county2": 302})
    ],
}

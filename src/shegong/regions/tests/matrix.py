from shegong.testing import Route

VIEWERS = ["sysadmin", "province", "prefecture", "county", "county2", "worker", "leader"]

ROUTES = {
    # National roles see the province list; regional roles are sent to their own region.
    "regions:index": [Route(expect={r: (200 if r == "sysadmin" else 302) for r in VIEWERS})],
    "regions:search": [Route(kwargs={}, expect={r: 200 for r in VIEWERS})],
    # The region picker's choices: every role that chooses regions; what it lists is scoped (test_picker.py).
    "regions:pick": [Route(kwargs={}, expect={r: 200 for r in VIEWERS})],
    "regions:detail": [
        # County 522301: its admin, the admins above it and the sysadmin see it; the sibling county and
        # the worker of one of its townships get 404.
        Route(
            kwargs={"code": "522301"},
            expect={
                "sysadmin": 200,
                "province": 200,
                "prefecture": 200,
                "county": 200,
                "county2": 404,
                "worker": 404,
                "leader": 200,
            },
        ),
        # A village of 522301's township 001: inside the worker's jurisdiction.
        Route(
            kwargs={"code": "522301001001"},
            expect={
                "sysadmin": 200,
                "province": 200,
                "prefecture": 200,
                "county": 200,
                "county2": 404,
                "worker": 200,
                "leader": 200,
            },
        ),
        # A code that does not exist answers like one outside the jurisdiction.
        Route(kwargs={"code": "529999"}, expect={r: 404 for r in VIEWERS}),
    ],
    "regions:population": [
        Route(
            kwargs={"code": "522301"},
            method="post",
            data={"population": "850000", "year": "2024"},
            expect={"province": 302, "prefecture": 302, "county": 302, "county2": 404},
        )
    ],
    "regions:scope": [
        Route(
            kwargs={"code": "522301001"},
            method="post",
            data={"in_scope": "on", "reason": "核实"},
            expect={"province": 302, "prefecture": 302, "county": 302, "county2": 404},
        )
    ],
    # The old population pages lead to the import engine's page and template of the population ledger.
    "regions:population_template": [
        Route(expect={"province": 302, "prefecture": 302, "county": 302, "county2": 302})
    ],
    "regions:population_import": [
        Route(expect={"province": 302, "prefecture": 302, "county": 302, "county2": 302})
    ],
}

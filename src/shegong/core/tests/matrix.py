from shegong.testing import Route

EVERYONE = {
    r: 200
    for r in [
        "sysadmin",
        "auditor",
        "security",
        "province",
        "prefecture",
        "county",
        "county2",
        "worker",
        "leader",
    ]
}

ROUTES = {
    "core:home": [Route(expect=EVERYONE)],
    "core:healthz": [Route(expect={"anon": 200, **EVERYONE})],
    "core:jsi18n": [Route(expect={"anon": 200, **EVERYONE})],
}

from shegong.testing import MATRIX_USERS, Route

EVERYONE = dict.fromkeys(MATRIX_USERS, 200)  # every logged-in role of the matrix

ROUTES = {
    "core:home": [Route(expect=EVERYONE)],
    "core:healthz": [Route(expect={"anon": 200, **EVERYONE})],
    "core:jsi18n": [Route(expect={"anon": 200, **EVERYONE})],
}

# The one export path of lists (lib/lists.py), shown with the community's volunteers: every role that may see
# the data gets its own jurisdiction's rows (masked); the clear export asks for a purpose (GET shows the form)
# and needs pii.view, which the leader lacks. An unknown list is a 404.
_VIEWERS = ["province", "prefecture", "county", "county2", "worker", "leader"]
ROUTES["core:list_export"] = [
    Route(kwargs={"name": "community.volunteers"}, expect={r: 200 for r in _VIEWERS}),
    Route(kwargs={"name": "no.such.list"}, expect={r: 404 for r in EVERYONE}),
    Route(kwargs={"name": "accounts.accounts"}, expect={"sysadmin": 200}),
    Route(kwargs={"name": "audit.trail"}, expect={"auditor": 200}),
]
ROUTES["core:list_export_clear"] = [
    Route(kwargs={"name": "community.volunteers"}, expect={r: 200 for r in _VIEWERS if r != "leader"}),
    Route.post(
        {"purpose": "核对志愿者名册"},
        kwargs={"name": "community.volunteers"},
        expect={r: 200 for r in _VIEWERS if r != "leader"},
    ),
]

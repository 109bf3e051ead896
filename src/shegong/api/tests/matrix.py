from shegong.testing import MATRIX_USERS, READS_522301, Route

EVERYONE = list(MATRIX_USERS)  # every logged-in role of the matrix
VIEWERS = ["sysadmin", "province", "prefecture", "county", "county2", "worker", "leader"]

ROUTES = {
    # Bad credentials: 400 (missing fields) whoever asks; the token endpoint needs no token.
    "api:token": [Route.post({}, expect={"anon": 400, **{r: 400 for r in EVERYONE}})],
    "api:token_revoke": [Route.post(expect={r: 204 for r in EVERYONE})],
    "api:token_revoke_all": [Route.post(expect={r: 204 for r in EVERYONE})],
    "api:schema": [Route(expect={"anon": 200, **{r: 200 for r in EVERYONE}})],
    "api:docs": [Route(expect={"anon": 200, **{r: 200 for r in EVERYONE}})],
    "api:regions": [Route(expect={r: 200 for r in VIEWERS})],
    "api:region": [
        Route(kwargs={"code": "522301"}, expect=READS_522301),
        Route(kwargs={"code": "529999"}, expect={r: 404 for r in VIEWERS}),
    ],
    "api:not_found": [Route(kwargs={}, expect={"anon": 404, **{r: 404 for r in EVERYONE}})],
}

from shegong.testing import MATRIX_USERS, PASSWORD, Route

EVERYONE = list(MATRIX_USERS)  # every logged-in role of the matrix


def _target(users):
    return {"pk": users["worker"].pk}


ROUTES = {
    # The login page sends logged-in users home.
    "accounts:login": [Route(expect={"anon": 200, **{r: 302 for r in EVERYONE}})],
    "accounts:logout": [Route.post(expect={"anon": 302, **{r: 302 for r in EVERYONE}})],
    "accounts:password_change": [Route(expect={r: 200 for r in EVERYONE})],
    # Verified or not required: the setup page sends the user home.
    "accounts:two_factor_setup": [
        Route(
            expect={
                r: (
                    302
                    if r in ("sysadmin", "auditor", "security", "province", "prefecture", "county", "county2")
                    else 200
                )
                for r in EVERYONE
            }
        )
    ],
    # The security administrator's page and its one action; nobody else reaches them (三员分立).
    "accounts:security": [Route(expect={"security": 200})],
    "accounts:lockout_release": [Route.post({"username": "nobody"}, expect={"security": 302})],
    "accounts:list": [Route(expect={"sysadmin": 200})],
    "accounts:create": [Route(expect={"sysadmin": 200})],
    "accounts:edit": [Route(setup=_target, expect={"sysadmin": 200})],
    "accounts:reset_password": [
        Route.post({"password": PASSWORD + "x"}, setup=_target, expect={"sysadmin": 302})
    ],
    "accounts:reset_two_factor": [Route.post(setup=_target, expect={"sysadmin": 302})],
}

from shegong.testing import Route

ROUTES = {
    "audit:list": [Route(expect={"auditor": 200})],
    "audit:export": [Route(expect={"auditor": 200})],
}

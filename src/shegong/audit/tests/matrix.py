from shegong.testing import Route

ROUTES = {
    "audit:list": [Route(expect={"auditor": 200})],
    "audit:export": [Route(expect={"auditor": 200})],
}
ROUTES["audit:export_xlsx"] = [Route(expect={"auditor": 200})]

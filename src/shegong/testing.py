"""Helpers for tests (imported by tests only)."""

from dataclasses import dataclass, field

from shegong.accounts.models import User
from shegong.accounts.roles import Role
from shegong.accounts.services import user_create
from shegong.regions.models import Region

PASSWORD = "Test-Passw0rd!"

# The permission matrix's cast: role name -> (role, jurisdiction code).
MATRIX_USERS = {
    "sysadmin": (Role.SYSADMIN, None),
    "auditor": (Role.AUDITOR, None),
    "security": (Role.SECURITY, None),
    "province": (Role.ADMIN, "52"),
    "prefecture": (Role.ADMIN, "5223"),
    "county": (Role.ADMIN, "522301"),
    "county2": (Role.ADMIN, "522302"),
    "worker": (Role.WORKER, "522301001"),
    "leader": (Role.LEADER, "5223"),
}
MATRIX_ROLES = ["anon", *MATRIX_USERS]


def make_user(username: str, role: str, code: str | None) -> User:
    return user_create(
        actor=None,
        username=username,
        password=PASSWORD,
        role=role,
        jurisdiction=Region.objects.get(code=code) if code else None,
        full_name=username,
        must_change_password=False,
    )


def make_matrix_users() -> dict[str, User]:
    return {name: make_user(name, role, code) for name, (role, code) in MATRIX_USERS.items()}


@dataclass
class Route:
    """One request of the permission matrix and the status each role must get.

    ``expect`` maps a role name (see MATRIX_ROLES) to a status code; roles left out get ``default``.
    ``setup`` may create the objects the route needs and return extra URL kwargs."""

    kwargs: dict = field(default_factory=dict)
    expect: dict = field(default_factory=dict)
    default: int = 403
    method: str = "get"
    data: dict | None = None
    setup: object = None
    note: str = ""

    def status_for(self, role: str, *, api: bool) -> int:
        if role in self.expect:
            return self.expect[role]
        if role == "anon":
            return 401 if api else 302
        return self.default


def verified_login(client, user) -> None:
    """Log ``client`` in as ``user``, with a verified second factor when the role needs one."""
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    client.force_login(user)
    if user.needs_two_factor:
        device = TOTPDevice.objects.filter(user=user, confirmed=True).first() or TOTPDevice.objects.create(
            user=user, name="test", confirmed=True
        )
        session = client.session
        session[DEVICE_ID_SESSION_KEY] = device.persistent_id
        session.save()

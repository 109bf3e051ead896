"""Writes to accounts. The system administrator manages accounts; everyone changes their own password."""

from axes.utils import reset as axes_reset
from django.contrib.auth import password_validation
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django_otp.plugins.otp_totp.models import TOTPDevice

from shegong.accounts.models import User
from shegong.accounts.roles import REGIONAL_ROLES, Cap, Role
from shegong.audit.services import Event, audit_event
from shegong.lib.guard import require
from shegong.lib.rows import save_valid
from shegong.regions.models import Level, Region


def _check_role_and_jurisdiction(role: str, jurisdiction: Region | None) -> None:
    if role not in Role.values:
        raise ValidationError({"role": _("Unknown role.")})
    if role in REGIONAL_ROLES and jurisdiction is None:
        raise ValidationError({"jurisdiction": _("This role needs a jurisdiction.")})
    if role not in REGIONAL_ROLES and jurisdiction is not None:
        raise ValidationError(
            {
                "jurisdiction": _(
                    "System administrators, security administrators and audit officers have no jurisdiction."
                )
            }
        )
    if role == Role.WORKER and jurisdiction.level < Level.TOWNSHIP:
        raise ValidationError(
            {"jurisdiction": _("A social worker's jurisdiction is a township or a village.")}
        )


def user_create(
    *,
    actor,
    username: str,
    password: str,
    role: str,
    jurisdiction: Region | None = None,
    full_name: str = "",
    must_change_password: bool = True,
) -> User:
    # The password is hashed before the transaction opens: on SQLite a transaction takes the write lock at
    # once (IMMEDIATE), and a slow hash inside it makes every other writer wait, the job worker included.
    require(actor, Cap.ACCOUNTS_MANAGE)
    _check_role_and_jurisdiction(role, jurisdiction)
    user = User(
        username=username,
        role=role,
        jurisdiction=jurisdiction,
        full_name=full_name,
        must_change_password=must_change_password,
        password_changed_at=timezone.now(),
    )
    user.full_clean(exclude=["password"])
    try:
        password_validation.validate_password(password, user)
    except ValidationError as exc:
        raise ValidationError({"password": exc.messages}) from exc
    user.set_password(password)
    with transaction.atomic():
        user.save()
    return user


@transaction.atomic
def user_update(
    *, actor, user: User, role: str, jurisdiction: Region | None, full_name: str, is_active: bool
) -> User:
    require(actor, Cap.ACCOUNTS_MANAGE)
    if user == actor and not is_active:
        raise ValidationError({"is_active": _("You cannot deactivate your own account.")})
    _check_role_and_jurisdiction(role, jurisdiction)
    user.role = role
    user.jurisdiction = jurisdiction
    user.full_name = full_name
    user.is_active = is_active
    return save_valid(user, exclude=["password"])


_PASSWORD_FIELDS = ["password", "must_change_password", "password_changed_at"]


def _password_set(user: User, password: str, *, field: str, must_change: bool) -> None:
    """Check ``password`` against the policy (the errors on ``field``) and hash it into ``user``, not saved."""
    try:
        password_validation.validate_password(password, user)
    except ValidationError as exc:
        raise ValidationError({field: exc.messages}) from exc
    user.set_password(password)
    user.must_change_password = must_change
    user.password_changed_at = timezone.now()


def user_reset_password(*, actor, user: User, password: str) -> User:
    """An administrator sets a temporary password; the owner must change it at next login. Hashed before the
    transaction opens (see user_create)."""
    require(actor, Cap.ACCOUNTS_MANAGE)
    _password_set(user, password, field="password", must_change=True)
    with transaction.atomic():
        user.save(update_fields=_PASSWORD_FIELDS)
        audit_event(event=Event.PASSWORD_CHANGED, user=actor, obj=user, detail={"by_administrator": True})
    return user


def user_change_own_password(*, request, user: User, old_password: str, new_password: str) -> User:
    # Checked and hashed before the transaction opens (see user_create).
    if not user.check_password(old_password):
        raise ValidationError({"old_password": _("The current password is wrong.")})
    if old_password == new_password:
        raise ValidationError({"new_password": _("The new password must differ from the current one.")})
    _password_set(user, new_password, field="new_password", must_change=False)
    with transaction.atomic():
        user.save(update_fields=_PASSWORD_FIELDS)
        audit_event(event=Event.PASSWORD_CHANGED, request=request, user=user)
    return user


@transaction.atomic
def user_reset_two_factor(*, actor, user: User) -> None:
    """Remove a user's TOTP devices (lost phone); they enrol again at next login."""
    require(actor, Cap.ACCOUNTS_MANAGE)
    TOTPDevice.objects.filter(user=user).delete()
    audit_event(event=Event.TWO_FACTOR_ENROLLED, user=actor, obj=user, detail={"reset": True})


def totp_device_for_setup(*, user: User) -> TOTPDevice:
    device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name="default", confirmed=False)
    return device


@transaction.atomic
def totp_confirm(*, request, user: User, device: TOTPDevice, token: str) -> bool:
    if not device.verify_token(token):
        return False
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    TOTPDevice.objects.filter(user=user).exclude(pk=device.pk).delete()
    audit_event(event=Event.TWO_FACTOR_ENROLLED, request=request, user=user)
    return True


def confirmed_totp_device(user: User) -> TOTPDevice | None:
    return TOTPDevice.objects.filter(user=user, confirmed=True).first()


def lockout_release(*, actor, request=None, username: str = "", ip: str = "") -> int:
    """The security administrator lets a locked username (or every username failing from one address) try
    again before the lockout ends. Returns how many failure records were removed; audited either way."""
    require(actor, Cap.SECURITY_MANAGE)
    username, ip = username.strip(), ip.strip()
    if not username and not ip:
        raise ValidationError(_("Name the account or the address to release."))
    removed = axes_reset(username=username or None, ip=ip or None)
    target = User.objects.filter(username=username).first() if username else None
    audit_event(
        event=Event.LOCKOUT_RELEASED,
        request=request,
        user=actor,
        obj=target,
        detail={"released_username": username, "released_ip": ip, "records": removed},
    )
    return removed

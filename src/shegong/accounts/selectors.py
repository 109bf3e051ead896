from dataclasses import dataclass
from datetime import datetime

from axes.models import AccessAttempt
from django.conf import settings
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext as _

from shegong.accounts.models import User
from shegong.accounts.roles import Cap
from shegong.lib import fieldcrypto
from shegong.lib.scoping import row_or_404


def account_list(*, user) -> QuerySet:
    """Every account, for the system administrator only (filtered by accounts/lists.py)."""
    if not user.is_authenticated or not user.can(Cap.ACCOUNTS_MANAGE):
        return User.objects.none()
    return User.objects.select_related("jurisdiction").order_by("username")


def account_get(*, user, pk) -> User:
    return row_or_404(account_list(user=user), pk=pk)


@dataclass(frozen=True)
class Lockout:
    """A username with failed logins inside the lockout window, on the security administrator's page."""

    username: str
    failures: int
    addresses: list[str]
    last_attempt: datetime
    locked_until: datetime | None  # None: failures counted, not (yet) locked


def lockout_list(*, user) -> list[Lockout]:
    """Usernames with failures that still count (django-axes's rows inside the cool-off window), locked ones
    first. Lockout is by username; the addresses are shown so that an attack from one place can be seen."""
    if not user.is_authenticated or not user.can(Cap.SECURITY_MANAGE):
        return []
    since = timezone.now() - settings.AXES_COOLOFF_TIME
    rows = AccessAttempt.objects.filter(attempt_time__gte=since).order_by("username", "-attempt_time")
    grouped: dict[str, list[AccessAttempt]] = {}
    for row in rows:
        grouped.setdefault(row.username or "", []).append(row)
    lockouts = []
    for username, attempts in grouped.items():
        failures = sum(a.failures_since_start for a in attempts)
        last = attempts[0].attempt_time
        locked = failures >= settings.AXES_FAILURE_LIMIT
        lockouts.append(
            Lockout(
                username=username,
                failures=failures,
                addresses=sorted({a.ip_address for a in attempts if a.ip_address}),
                last_attempt=last,
                locked_until=last + settings.AXES_COOLOFF_TIME if locked else None,
            )
        )
    return sorted(lockouts, key=lambda lock: (lock.locked_until is None, lock.username))


def security_settings(*, user) -> list[tuple[str, object]]:
    """The security settings in force, for reading: they are set by the deployment's environment (README,
    部署), not on a page, so that changing one leaves a trace in the deployment's own change control."""
    if not user.is_authenticated or not user.can(Cap.SECURITY_MANAGE):
        return []
    keys = fieldcrypto.keyring()
    minimum = next(
        (
            v["OPTIONS"]["min_length"]
            for v in settings.AUTH_PASSWORD_VALIDATORS
            if v["NAME"].endswith("MinimumLengthValidator")
        ),
        8,
    )
    on, off = _("on"), _("off")
    return [
        (_("Failed logins before lockout"), settings.AXES_FAILURE_LIMIT),
        (_("Lockout (minutes)"), int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)),
        (_("Idle session timeout (minutes)"), settings.SESSION_COOKIE_AGE // 60),
        (_("Password expiry (days)"), settings.PASSWORD_MAX_AGE_DAYS),
        (_("Minimum password length"), minimum),
        (_("Two-factor login for administrators"), on if settings.TWO_FACTOR_REQUIRED else off),
        (_("API token lifetime (hours)"), int(settings.REST_KNOX["TOKEN_TTL"].total_seconds() // 3600)),
        (_("Trusted proxies in front of the application"), settings.TRUSTED_PROXY_COUNT),
        (_("Cookies over HTTPS only"), on if settings.SESSION_COOKIE_SECURE else off),
        (_("HSTS (seconds)"), settings.SECURE_HSTS_SECONDS),
        (
            _("Encryption of personal data"),
            _("SM4-GCM, HMAC-SM3") if settings.FIELD_CRYPTO == "sm4" else _("Fernet (AES), HMAC-SHA256"),
        ),
        # Key ids are hexadecimal, not words: shown as code.
        (_("Current key version"), format_html("<code>{}</code>", keys.version)),
        (_("Field encryption keys configured"), len(keys.key_ids())),
        (
            _("Key rotation to the current keys finished"),
            _("Yes") if fieldcrypto.rotation_finished() else _("No"),
        ),
    ]

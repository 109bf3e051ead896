from django.conf import settings
from django.contrib.auth.models import AbstractUser, UserManager
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from shegong.accounts.roles import TWO_FACTOR_ROLES, Role, capabilities_of
from shegong.lib.fields import optional_fk


class User(AbstractUser):
    """An account. Every account has one role and one jurisdiction (a region of any level, or the
    whole country for the national roles). Accounts are deactivated, never deleted: the audit
    trail points at them."""

    role = models.CharField(_("role"), max_length=16, choices=Role.choices)
    jurisdiction = optional_fk("regions.Region", _("jurisdiction"))
    full_name = models.CharField(_("full name"), max_length=64, blank=True)
    password_changed_at = models.DateTimeField(_("password changed at"), null=True, blank=True)
    must_change_password = models.BooleanField(_("must change password"), default=False)

    objects = UserManager()

    class Meta:
        verbose_name = _("account")
        verbose_name_plural = _("accounts")

    def __str__(self) -> str:
        return self.full_name or self.username

    @property
    def jurisdiction_code(self) -> str:
        """The code prefix that bounds this account's data; "" means the whole country."""
        return self.jurisdiction_id or ""

    def can(self, capability: str) -> bool:
        return self.is_active and capability in capabilities_of(self.role)

    @property
    def needs_two_factor(self) -> bool:
        return settings.TWO_FACTOR_REQUIRED and self.role in TWO_FACTOR_ROLES

    @property
    def password_expired(self) -> bool:
        if self.must_change_password:
            return True
        if not self.password_changed_at:
            return False
        age = timezone.now() - self.password_changed_at
        return age.days >= settings.PASSWORD_MAX_AGE_DAYS

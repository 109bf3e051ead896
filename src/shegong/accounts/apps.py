from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "shegong.accounts"
    label = "accounts"
    verbose_name = _("Accounts")

    def ready(self) -> None:
        from auditlog.registry import auditlog

        from shegong.accounts.models import User

        auditlog.register(
            User,
            include_fields=[
                "username",
                "full_name",
                "role",
                "jurisdiction",
                "is_active",
                "must_change_password",
            ],
        )

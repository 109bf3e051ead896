from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "shegong.accounts"
    label = "accounts"
    verbose_name = _("Accounts")

    def ready(self) -> None:
        from shegong.accounts.models import User
        from shegong.lib.audit_trail import record_changes

        record_changes(
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

"""Create the first system administrator of a new installation."""

import getpass
import os

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.utils import translation
from django.utils.translation import gettext as _

from shegong.accounts.models import User
from shegong.accounts.roles import Role
from shegong.accounts.services import user_create


class Command(BaseCommand):
    help = (
        "Create a system administrator (or, with --role auditor, an audit officer). The password is asked for, "
        "or read from the environment variable SHEGONG_ADMIN_PASSWORD for scripted installs."
    )

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--full-name", default="")
        parser.add_argument("--role", choices=[Role.SYSADMIN, Role.AUDITOR], default=Role.SYSADMIN)

    def handle(self, *args, username, full_name, role, **options):
        # In the installer's language, as the password rules' own messages are
        translation.activate(settings.LANGUAGE_CODE)
        if User.objects.filter(username=username).exists():
            raise CommandError(_("The account %(username)s exists already.") % {"username": username})
        password = os.environ.get("SHEGONG_ADMIN_PASSWORD")
        if not password:
            password = getpass.getpass(_("Password: "))
            if password != getpass.getpass(_("Password (again): ")):
                raise CommandError(_("The two passwords differ."))
        try:
            user_create(
                actor=None,
                username=username,
                password=password,
                role=role,
                full_name=full_name,
                must_change_password=False,
            )
        except ValidationError as exc:
            raise CommandError("; ".join(exc.messages)) from exc
        self.stdout.write(
            _("%(role)s %(username)s created; two-factor login is set up at the first login.")
            % {"role": Role(role).label, "username": username}
        )

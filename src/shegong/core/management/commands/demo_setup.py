"""Create the demo accounts (demo mode only). The password is shared and printed in the README."""

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from shegong.accounts.models import User
from shegong.accounts.roles import Role
from shegong.accounts.services import user_create
from shegong.lib.demo import refuse_outside_demo
from shegong.regions.models import Region

DEMO_PASSWORD = "Shegong@2025"

# username, full name, role, jurisdiction
DEMO_ACCOUNTS = [
    ("admin", "系统管理员", Role.SYSADMIN, None),
    ("auditor", "审计员", Role.AUDITOR, None),
    ("security", "安全管理员", Role.SECURITY, None),
    ("province", "贵州省民政厅管理员", Role.ADMIN, "52"),
    ("prefecture", "黔西南州民政局管理员", Role.ADMIN, "5223"),
    ("county", "兴义市民政局管理员", Role.ADMIN, "522301"),
    ("county2", "兴仁市民政局管理员", Role.ADMIN, "522302"),
    ("worker", "黄草街道社工站社工", Role.WORKER, "522301001"),
    ("leader", "黔西南州领导", Role.LEADER, "5223"),
]


class Command(BaseCommand):
    help = "Create the demo accounts; refuses to run outside demo mode."

    def add_arguments(self, parser):
        parser.add_argument(
            "--force", action="store_true", help="in the test suite: run on its throw-away database"
        )

    def handle(self, *args, **options):
        refuse_outside_demo("demo_setup", force=options["force"])  # before the database is touched
        with transaction.atomic():
            created = self._create_accounts()
        self.stdout.write(f"demo accounts: {created} created, password {DEMO_PASSWORD}")

    def _create_accounts(self) -> int:
        created = 0
        for username, full_name, role, code in DEMO_ACCOUNTS:
            if User.objects.filter(username=username).exists():
                continue
            region = Region.objects.filter(code=code).first() if code else None
            if code and region is None:
                raise CommandError(f"division {code} is not loaded; run load_regions --province 52 first")
            user_create(
                actor=None,
                username=username,
                password=DEMO_PASSWORD,
                role=role,
                jurisdiction=region,
                full_name=full_name,
                must_change_password=False,
            )
            created += 1
        return created

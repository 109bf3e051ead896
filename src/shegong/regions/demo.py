"""What the domains' demo commands build on: the divisions of 黔西南州 (5223)."""

from django.core.management.base import CommandError

from shegong.lib.demo import DemoCommand
from shegong.regions.models import Region


class PrefectureDemoCommand(DemoCommand):
    """A demo command whose data lies in 黔西南州: refused until its divisions are loaded."""

    def ready(self) -> None:
        if not Region.objects.filter(code="5223").exists():
            raise CommandError("division 5223 is not loaded; run load_regions --province 52 first")

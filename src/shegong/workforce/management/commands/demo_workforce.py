"""Create the demo workforce of 黔西南州 (demo mode only), after demo_network."""

from django.core.management.base import CommandError

from shegong.lib.demo import DemoCommand
from shegong.lib.scoping import code_prefix_q
from shegong.network.models import Facility
from shegong.workforce.demo import demo_workforce


class Command(DemoCommand):
    help = (
        "Create the demo workforce of 黔西南州 (5223) on the demo network; refuses to run outside demo mode."
    )

    def ready(self) -> None:
        if not Facility.objects.filter(code_prefix_q("region_id", "5223")).exists():
            raise CommandError("the demo network is not there; run demo_network first")

    def make(self, options) -> str:
        result = demo_workforce()
        return "demo workforce: {workers} workers, {agencies} agencies".format(
            workers=result.get("workers", 0), agencies=result.get("agencies", 0)
        )

"""Create the demo station network of 黔西南州 (demo mode only)."""

from shegong.network.demo import demo_network
from shegong.regions.demo import PrefectureDemoCommand


class Command(PrefectureDemoCommand):
    help = "Create the demo station network of 黔西南州 (5223); refuses to run outside demo mode."

    def make(self, options) -> str:
        return f"demo network: {demo_network()['created']} facilities created"

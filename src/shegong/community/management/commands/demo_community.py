"""Create the demo community data of 黔西南州 (demo mode only)."""

from shegong.community.demo import demo_community
from shegong.regions.demo import PrefectureDemoCommand


class Command(PrefectureDemoCommand):
    help = "Create demo activities, groups, volunteers, points, organisations, charity and deliberations in 黔西南州 (5223); demo mode only."
    counts = {"volunteers": 600}

    def make(self, options) -> str:
        result = demo_community(volunteers=options["volunteers"])
        return "demo community: " + ", ".join(f"{value} {key}" for key, value in result.items())

"""Create the demo people served, visits, cases and service records of 黔西南州 (demo mode only)."""

from shegong.casework.demo import demo_casework
from shegong.regions.demo import PrefectureDemoCommand


class Command(PrefectureDemoCommand):
    help = "Create demo people served, visits, cases and service records in 黔西南州 (5223); demo mode only."
    counts = {"people": 3000}

    def make(self, options) -> str:
        result = demo_casework(people=options["people"])
        return "demo casework: {people} people, {visits} visits, {cases} cases, {services} service records".format(
            **result
        )

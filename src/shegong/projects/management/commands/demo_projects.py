"""Create the demo projects, evaluation round, hotline tickets and bulletins of 黔西南州 (demo mode only)."""

from shegong.projects.demo import demo_projects
from shegong.regions.demo import PrefectureDemoCommand


class Command(PrefectureDemoCommand):
    help = "Create demo projects, an evaluation round, a month of hotline tickets and the bulletins of 5223."

    def make(self, options) -> str:
        return (
            "demo projects: {projects} projects, {evaluations} evaluations in the round, {tickets} tickets handled, "
            "{bulletins} bulletins".format(**demo_projects())
        )

"""The `shegong` console script: Django's management commands with the project's settings."""

import os
import sys

from django.core.management import execute_from_command_line

# Commands of the benchmark app (shegong.scale), which production settings leave out: running one adds it.
BENCH_COMMANDS = {"bench", "generate"}


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "shegong.settings")
    if len(sys.argv) > 1 and sys.argv[1] in BENCH_COMMANDS:
        os.environ["SHEGONG_BENCH"] = "1"

    execute_from_command_line([sys.argv[0], *sys.argv[1:]])


if __name__ == "__main__":
    main()

"""The settings the test suite runs with (pytest-django's DJANGO_SETTINGS_MODULE in pyproject.toml).

They are the production settings with TESTING on, and this module is the only thing that turns it on: a
throw-away media directory, the in-process job backend and the fast MD5 password hasher never reach a real
installation because pytest happens to be installed there."""

import os

os.environ["SHEGONG_TESTING"] = "1"

from shegong.settings import *  # noqa: E402, F403

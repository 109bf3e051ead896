"""What a production installation gets: TESTING only from the test settings, no benchmark app unless a
benchmark command runs, and demo commands that refuse to run (issue 13, item 10)."""

import os
import subprocess
import sys

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

PRODUCTION = {"SECRET_KEY": "x" * 50, "FIELD_ENCRYPTION_KEY": "k"}
DROPPED = {
    "SECRET_KEY",
    "SHEGONG_DEMO",
    "DEBUG",
    "SHEGONG_TESTING",
    "SHEGONG_BENCH",
    "DJANGO_SETTINGS_MODULE",
}


def _run(args: list[str], env: dict) -> subprocess.CompletedProcess:
    clean = {k: v for k, v in os.environ.items() if k not in DROPPED}
    clean.update(env)
    return subprocess.run([sys.executable, *args], env=clean, capture_output=True, text=True, timeout=120)


def _production_settings(extra_env: dict | None = None) -> list[str]:
    # pytest imported first: having it installed (or loaded) must not switch the tests' settings on.
    code = (
        "import pytest, django, os; os.environ['DJANGO_SETTINGS_MODULE']='shegong.settings'; django.setup();"
        "from django.conf import settings;"
        "print(settings.TESTING, settings.PASSWORD_HASHERS[0], 'shegong.scale' in settings.INSTALLED_APPS)"
    )
    result = _run(["-c", code], {**PRODUCTION, **(extra_env or {})})
    assert result.returncode == 0, result.stderr
    return result.stdout.split()


def test_pytest_being_importable_does_not_turn_the_test_settings_on():
    testing, hasher, scale = _production_settings()
    assert testing == "False"
    assert "MD5" not in hasher
    assert scale == "False"


def test_the_test_suite_runs_with_testing_on(settings):
    assert settings.TESTING is True
    assert settings.PASSWORD_HASHERS == ["django.contrib.auth.hashers.MD5PasswordHasher"]


def test_the_benchmark_app_comes_only_with_a_benchmark():
    assert _production_settings({"SHEGONG_BENCH": "1"})[2] == "True"
    for command in ("bench", "generate"):
        result = _run(["-m", "shegong", command, "--help"], PRODUCTION)
        assert result.returncode == 0 and "usage:" in result.stdout, result.stderr
    unknown = _run(["-m", "shegong", "bench", "--help"], {**PRODUCTION, "SHEGONG_BENCH": "0"})
    assert unknown.returncode == 0  # the console script adds the app whatever the environment says


def test_demo_commands_refuse_to_run_on_a_real_installation_even_with_force(tmp_path):
    env = {
        **PRODUCTION,
        "SHEGONG_DATA_DIR": str(tmp_path),
        "DATABASE_URL": f"sqlite:///{tmp_path}/db.sqlite3",
    }
    result = _run(["-m", "shegong", "demo_setup", "--force"], env)
    assert result.returncode != 0
    assert "demo mode only" in result.stderr and "SHEGONG_DEMO=1" in result.stderr
    result = _run(["-m", "shegong", "rundemo", "--port", "8187"], env)
    assert result.returncode != 0 and "demo mode only" in result.stderr


@pytest.mark.django_db
@pytest.mark.parametrize(
    "command",
    ["demo_setup", "demo_network", "demo_workforce", "demo_casework", "demo_community", "demo_projects"],
)
def test_force_is_for_the_test_suite_only(settings, command):
    settings.TESTING = False
    with pytest.raises(CommandError, match="demo mode only"):
        call_command(command, force=True, verbosity=0)
    from shegong.accounts.models import User

    assert not User.objects.filter(username="admin").exists()

"""Every public service that takes an ``actor`` states what it needs by calling the guard (``lib/guard.py``).

The walk reads every module of the package (tests and migrations aside), imports those that define a public
function with an ``actor`` parameter, and fails for one that never calls ``require`` (directly, or through the
``requires`` decorator). A call counts only when the name resolves, in that module, to the guard itself, so a
local function called ``require`` does not pass for it.
"""

import ast
import importlib
import importlib.util
import inspect
import textwrap
from pathlib import Path

import pytest

import shegong
from shegong.lib import guard

PACKAGE_DIR = Path(shegong.__file__).resolve().parent
SKIPPED_PARTS = {"tests", "migrations", "__pycache__", "static", "templates", "locale"}

# Public functions that take an actor and are not writes of their own; each says why.
EXEMPT = {
    # The one validation of a facility record shared by the form, the API and the Excel import: it checks the
    # chosen division (require_choice) and never writes; facility_create/facility_update guard the write.
    "shegong.network.services.facility_validate",
}

# Modules the walk must find, so that a change in the walk cannot make the test pass by finding nothing.
EXPECTED = {
    "shegong.accounts.services",
    "shegong.bulletins.services",
    "shegong.casework.services",
    "shegong.clients.services",
    "shegong.community.charity",
    "shegong.community.points",
    "shegong.community.services",
    "shegong.community.volunteers",
    "shegong.evaluations.services",
    "shegong.hotline.services",
    "shegong.jobs.services",
    "shegong.network.services",
    "shegong.projects.services",
    "shegong.regions.services",
    "shegong.workforce.services",
    "shegong.workforce.services_agencies",
    "shegong.workforce.services_awards",
    "shegong.workforce.services_training",
}


def _takes_actor_in_source(tree: ast.Module) -> bool:
    for node in tree.body:
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef) and not node.name.startswith("_"):
            args = node.args.args + node.args.kwonlyargs + node.args.posonlyargs
            if any(a.arg == "actor" for a in args):
                return True
    return False


def actor_modules() -> list[str]:
    """Dotted names of the package's modules that define a public function taking ``actor``."""
    names = []
    for path in sorted(PACKAGE_DIR.rglob("*.py")):
        relative = path.relative_to(PACKAGE_DIR)
        if SKIPPED_PARTS & set(relative.parts) or path.name == "conftest.py":
            continue
        if _takes_actor_in_source(ast.parse(path.read_text(encoding="utf-8"))):
            dotted = ".".join(("shegong", *relative.with_suffix("").parts))
            names.append(dotted.removesuffix(".__init__"))
    return [name for name in names if name != guard.__name__]


def _is_guard_call(node: ast.Call, namespace: dict) -> bool:
    func = node.func
    if isinstance(func, ast.Name):
        return namespace.get(func.id) is guard.require
    if isinstance(func, ast.Attribute) and func.attr == "require" and isinstance(func.value, ast.Name):
        return namespace.get(func.value.id) is guard
    return False


def is_guarded(func, namespace: dict) -> bool:
    """True when ``func`` (however decorated) carries ``requires`` or its own body calls ``require``."""
    layer = func
    while layer is not None:
        if getattr(layer, "__guarded__", None):
            return True
        layer = getattr(layer, "__wrapped__", None)
    source = textwrap.dedent(inspect.getsource(inspect.unwrap(func)))
    return any(isinstance(n, ast.Call) and _is_guard_call(n, namespace) for n in ast.walk(ast.parse(source)))


def unguarded(module) -> list[str]:
    """Public functions defined in ``module`` that take ``actor`` and never call the guard."""
    found = []
    for name, func in inspect.getmembers(module, inspect.isfunction):
        if name.startswith("_") or inspect.unwrap(func).__module__ != module.__name__:
            continue
        if "actor" not in inspect.signature(func).parameters:
            continue
        if f"{module.__name__}.{name}" in EXEMPT:
            continue
        if not is_guarded(func, vars(module)):
            found.append(f"{module.__name__}.{name}")
    return found


def test_every_public_service_taking_an_actor_calls_the_guard():
    names = actor_modules()
    assert EXPECTED <= set(names), f"the walk missed {sorted(EXPECTED - set(names))}"
    missing = [f for name in names for f in unguarded(importlib.import_module(name))]
    assert not missing, "services that take an actor but never call lib.guard.require: " + ", ".join(missing)


def test_the_exemptions_still_exist():
    for dotted in EXEMPT:
        module, _, name = dotted.rpartition(".")
        assert hasattr(importlib.import_module(module), name), f"{dotted} is gone: drop its exemption"


SYNTHETIC = """
from shegong.accounts.roles import Cap
from shegong.lib import guard
from shegong.lib.guard import require, requires
from django.db import transaction


def _require_nothing(actor):  # a look-alike: not the guard
    return None


@transaction.atomic
def thing_create(*, actor, name):
    require(actor, Cap.DATA_EDIT)
    return name


def thing_rename(*, actor, name):
    guard.require(actor, Cap.DATA_EDIT, "52")
    return name


@transaction.atomic
@requires(Cap.DATA_EDIT)
def thing_archive(*, actor, name):
    return name


def thing_delete(*, actor, name):
    return name


def thing_hide(*, actor, name):
    _require_nothing(actor)
    return name


def thing_count(*, region):
    return 0
"""


def _load(tmp_path, name: str, source: str):
    path = tmp_path / f"{name}.py"
    path.write_text(source, encoding="utf-8")
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_walk_fails_for_an_unguarded_service(tmp_path):
    module = _load(tmp_path, "synthetic_services", SYNTHETIC)
    assert unguarded(module) == ["synthetic_services.thing_delete", "synthetic_services.thing_hide"]


def test_the_walk_finds_a_module_by_its_functions_not_its_name(tmp_path):
    tree = ast.parse(SYNTHETIC)
    assert _takes_actor_in_source(tree)
    assert not _takes_actor_in_source(ast.parse("def count(*, region):\n    return 0\n"))


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_each_service_module_is_importable_and_guarded(name):
    assert unguarded(importlib.import_module(name)) == []

"""Every list declared with lib/lists is proven to keep to its county: some test calls
shegong.testing.assert_list_scoped with its name, or names it in the table it gives list_scope_test (rows in two
sibling counties; the page, the API list and the export of one hold none of the other's, and a filter narrows all
three alike). A list added without that proof fails here. A list of the national roles (a capability no regional
role holds: the accounts, the audit trail) is not scoped: its proof is shegong.testing.assert_list_filters (the
page, the API and the export filter alike)."""

import ast
from pathlib import Path

from django.utils.module_loading import autodiscover_modules

from shegong.accounts.roles import CAPABILITIES, REGIONAL_ROLES
from shegong.lib.lists import LISTS

SRC = Path(__file__).resolve().parents[2]


def _keys(node, tables: dict) -> set[str]:
    """The list names a ``list_scope_test`` argument holds: a dict written there, or one named in the module."""
    table = tables.get(node.id) if isinstance(node, ast.Name) else node
    if not isinstance(table, ast.Dict):
        return set()
    return {k.value for k in table.keys if isinstance(k, ast.Constant) and isinstance(k.value, str)}


def _proven(proof: str) -> set[str]:
    """The list names some test passes to ``proof`` (or, for assert_list_scoped, to list_scope_test, which
    makes one case a list that calls it)."""
    names = set()
    for path in SRC.rglob("tests/test_*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        tables = {
            target.id: node.value
            for node in tree.body
            if isinstance(node, ast.Assign)
            for target in node.targets
            if isinstance(target, ast.Name)
        }
        for node in ast.walk(tree):
            called = getattr(node.func, "id", "") if isinstance(node, ast.Call) else ""
            if called == proof:
                names |= {
                    a.value for a in node.args if isinstance(a, ast.Constant) and isinstance(a.value, str)
                }
            elif called == "list_scope_test" and proof == "assert_list_scoped" and node.args:
                names |= _keys(node.args[0], tables)
    return names


def test_every_list_has_a_two_county_proof():
    autodiscover_modules("lists")
    assert len(LISTS) >= 18
    regional = {cap for role in REGIONAL_ROLES for cap in CAPABILITIES[role]}
    scoped = {name for name, definition in LISTS.items() if definition.capability in regional}
    missing = sorted(scoped - _proven("assert_list_scoped"))
    assert not missing, f"lists without assert_list_scoped (two sibling counties): {missing}"
    missing = sorted(set(LISTS) - scoped - _proven("assert_list_filters"))
    assert not missing, f"lists of the national roles without assert_list_filters: {missing}"

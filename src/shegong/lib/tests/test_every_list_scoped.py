"""Every list declared with lib/lists is proven to keep to its county: some test calls
shegong.testing.assert_list_scoped with its name (rows in two sibling counties; the page, the API list and the
export of one hold none of the other's, and a filter narrows all three alike). A list added without that proof
fails here. A list of the national roles (a capability no regional role holds: the accounts, the audit trail)
is not scoped: its proof is shegong.testing.assert_list_filters (the page, the API and the export filter alike)."""

import ast
from pathlib import Path

from django.utils.module_loading import autodiscover_modules

from shegong.accounts.roles import CAPABILITIES, REGIONAL_ROLES
from shegong.lib.lists import LISTS

SRC = Path(__file__).resolve().parents[2]


def _proven(proof: str) -> set[str]:
    names = set()
    for path in SRC.rglob("tests/test_*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call) and getattr(node.func, "id", "") == proof:
                names |= {
                    a.value for a in node.args if isinstance(a, ast.Constant) and isinstance(a.value, str)
                }
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

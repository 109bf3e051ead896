"""Every workflow of every domain: found by walking each app's ``workflow`` module, so a new one is checked
without being listed here. Each state is initial or reachable, each move goes to a declared state, and the
workflow moves a real status field whose choices are its states."""

import importlib
from importlib.util import find_spec

import pytest
from django.apps import apps

from shegong.lib.workflow import Workflow


def _declared() -> dict[str, Workflow]:
    found = {}
    for config in apps.get_app_configs():
        name = f"{config.name}.workflow"
        if config.name.startswith("shegong.") and find_spec(name):
            module = importlib.import_module(name)
            found |= {f"{name}.{k}": v for k, v in vars(module).items() if isinstance(v, Workflow)}
    return found


WORKFLOWS = _declared()

# The model each workflow moves: the seven of issue 14, and the rectification items beside evaluations.
MODELS = {
    "shegong.network.workflow.FACILITY_WORKFLOW": "network.Facility",
    "shegong.projects.workflow.PURCHASE_WORKFLOW": "projects.Project",
    "shegong.casework.workflow.CASE_WORKFLOW": "casework.Case",
    "shegong.community.workflow.GROUP_WORKFLOW": "community.WorkGroup",
    "shegong.community.workflow.SIGNUP_WORKFLOW": "community.SignUp",
    "shegong.hotline.workflow.TICKET_WORKFLOW": "hotline.Ticket",
    "shegong.evaluations.workflow.EVALUATION_WORKFLOW": "evaluations.Evaluation",
    "shegong.evaluations.workflow.RECTIFICATION_WORKFLOW": "evaluations.Rectification",
}


def test_every_domain_workflow_is_found_and_bound_to_its_model():
    assert set(WORKFLOWS) == set(MODELS)


@pytest.mark.parametrize("name", sorted(WORKFLOWS))
def test_every_state_is_initial_or_reachable_and_every_move_goes_to_a_declared_state(name):
    workflow = WORKFLOWS[name]
    states = set(workflow.states.values)
    assert set(workflow.moves) == states
    for from_state, moves in workflow.moves.items():
        for move in moves:
            assert move.to in states, f"{name}: {from_state} → {move.to}"
            assert move.to != from_state, f"{name}: {from_state} moves to itself"
    assert workflow.initial and set(workflow.initial) <= states
    assert workflow.reachable() == states, f"{name}: unreachable {sorted(states - workflow.reachable())}"


@pytest.mark.parametrize("name", sorted(WORKFLOWS))
def test_every_workflow_moves_a_status_field_whose_choices_are_its_states(name):
    workflow = WORKFLOWS[name]
    field = apps.get_model(MODELS[name])._meta.get_field(workflow.field)
    assert [value for value, _label in field.choices] == workflow.states.values


@pytest.mark.parametrize("name", sorted(WORKFLOWS))
def test_every_state_has_a_chinese_label(name):
    workflow = WORKFLOWS[name]
    for state in workflow.states.values:
        label = workflow.label(state)
        assert any("\u4e00" <= ch <= "\u9fff" for ch in label), f"{name}: {state} is labelled “{label}”"

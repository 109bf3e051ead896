"""One mechanism for every status that moves (工作流): a facility's status, a purchased project's status, a case's
stage, a group's phase, a sign-up, a hotline ticket, an evaluation.

A domain declares its ``Workflow`` beside its status choices: the states (a ``TextChoices`` whose labels are the
Chinese words users see), the initial states, and for each state the moves that may follow it. Its services then
call ``workflow.move(obj, to, actor=...)``, which

- checks the move against the table, the actor's capability and what the move requires, and refuses with one
  exception type, ``MoveRefused`` (a ``ValidationError``, so pages and the API show it as they show every service
  error), whose message names the from and to states;
- claims the row with a conditional UPDATE (``WHERE status = <the state the caller saw>``): of two requests at
  once one moves and the other is refused, on PostgreSQL and SQLite alike;
- sets the status (and the fields the service changes with it), saves it through the ORM so the audit trail
  records the change, and writes the domain's own history row if it keeps one.

``allowed(obj, actor)`` lists the moves a page may offer. A move that needs approval (``approval=True``) is only
made by ``move(..., approved=True)``, which the domain's approval service calls once another person approved.
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils.translation import gettext as _


class MoveRefused(ValidationError):
    """A status move that the workflow does not allow now. Its messages are for the user."""


@dataclass(frozen=True)
class Move:
    to: str
    # What the actor's role must hold to make the move (or to ask for it, when it needs approval).
    capability: str | None = None
    # Asked for by one person, made when another person holding ``approver`` approves it.
    approval: bool = False
    approver: str | None = None
    # Fields of the object that must be filled first, each with what to tell the user otherwise.
    requires: tuple[tuple[str, str], ...] = field(default_factory=tuple)
    # Anything else the move needs: returns the reason for refusing it, or None.
    guard: Callable[[models.Model], str | None] | None = None
    # The service action that makes the move, where one state is reached from another in two ways (a sign-up
    # confirmed after check-out, or at once from hours recorded by hand); move(..., via=...) names it.
    via: str | None = None


class Workflow:
    def __init__(
        self,
        states: type[models.TextChoices],
        moves: dict[str, Iterable[Move | str]],
        *,
        initial: Iterable[str],
        field: str = "status",
        history: Callable[..., object] | None = None,
        error_key: str | None = None,
    ):
        self.states = states
        # The input field (form and API) a refusal is shown against; None shows it above the form.
        self.error_key = error_key
        self.field = field
        self.initial = tuple(initial)
        self.history = history
        self.moves: dict[str, tuple[Move, ...]] = {
            state: tuple(m if isinstance(m, Move) else Move(m) for m in targets)
            for state, targets in moves.items()
        }
        self._check_declaration()

    def _check_declaration(self) -> None:
        """A typo in a table is a start-up error, not a move that silently never happens."""
        declared = set(self.states.values)
        named = set(self.moves) | set(self.initial) | {m.to for ms in self.moves.values() for m in ms}
        unknown = named - declared
        if unknown:
            raise ValueError(f"{self.states.__name__}: undeclared states {sorted(unknown)}")
        if set(self.moves) != declared:
            raise ValueError(
                f"{self.states.__name__}: states without a row {sorted(declared - set(self.moves))}"
            )

    # --- reading the table -------------------------------------------------------------------------

    def label(self, state: str) -> str:
        return str(self.states(state).label) if state in self.states.values else state

    def targets(self, state: str) -> tuple[str, ...]:
        return tuple(dict.fromkeys(m.to for m in self.moves.get(state, ())))

    def step(self, from_state: str, to_state: str, via: str | None = None) -> Move | None:
        return next((m for m in self.moves.get(from_state, ()) if m.to == to_state and m.via == via), None)

    def reachable(self) -> set[str]:
        """Every state reached from an initial state by some sequence of moves."""
        seen, todo = set(self.initial), list(self.initial)
        while todo:
            for target in self.targets(todo.pop()):
                if target not in seen:
                    seen.add(target)
                    todo.append(target)
        return seen

    def allowed(self, obj, actor) -> list[Move]:
        """The moves from the object's current state that the actor's role may make or ask for (for pages);
        moves made only by a named service action (``via``) are not offered as buttons."""
        moves = self.moves.get(getattr(obj, self.field), ())
        return [m for m in moves if m.via is None and _may(actor, m.capability)]

    def choices(self, obj, actor) -> list[tuple[str, str]]:
        """``allowed`` as (value, Chinese label) pairs, for a form or a row of buttons."""
        return [(m.to, self.label(m.to)) for m in self.allowed(obj, actor)]

    # --- moving ------------------------------------------------------------------------------------

    def check(self, obj, to: str, *, actor, approved: bool = False, via: str | None = None) -> Move:
        """The move from the object's current state to ``to``, if the actor may make it (or, for a move that
        needs approval, ask for it) now; else MoveRefused."""
        current = getattr(obj, self.field)
        thing = obj._meta.verbose_name
        step = self.step(current, to, via)
        if step is None:
            allowed = "、".join(self.label(m.to) for m in self.moves.get(current, ()) if m.via == via) or "—"
            raise self._refused(
                _("A %(thing)s in “%(from)s” cannot move to “%(to)s”; it may move to: %(allowed)s.")
                % {"thing": thing, "from": self.label(current), "to": self.label(to), "allowed": allowed},
                code="move_refused",
            )
        capability = step.approver if approved and step.approval else step.capability
        if not _may(actor, capability):
            raise self._refused(
                _("Your role may not move a %(thing)s from “%(from)s” to “%(to)s”.")
                % {"thing": thing, "from": self.label(current), "to": self.label(to)},
                code="move_forbidden",
            )
        missing = [str(message) for name, message in step.requires if not getattr(obj, name)]
        if step.guard is not None and (reason := step.guard(obj)):
            missing.append(str(reason))
        if missing:
            raise MoveRefused(missing, code="move_incomplete")
        return step

    def move(
        self,
        obj,
        to: str,
        *,
        actor,
        approved: bool = False,
        via: str | None = None,
        changes: dict | None = None,
        clean: bool = False,
        **history,
    ) -> Move:
        """Move ``obj`` to ``to`` with ``changes`` (other fields set in the same write), if the table allows it
        and nobody has moved it meanwhile; record it in the domain's history with ``history`` (note, date ...).
        ``clean`` validates the written fields with the model's own rules first."""
        step = self.check(obj, to, actor=actor, approved=approved, via=via)
        from_state = getattr(obj, self.field)
        if step.approval and not approved:
            raise self._refused(
                _("Moving a %(thing)s from “%(from)s” to “%(to)s” needs approval.")
                % {"thing": obj._meta.verbose_name, "from": self.label(from_state), "to": self.label(to)},
                code="move_needs_approval",
            )
        with transaction.atomic():
            self._claim(obj, from_state)
            changes = dict(changes or {})
            setattr(obj, self.field, to)
            for name, value in changes.items():
                setattr(obj, name, value)
            written = [self.field, *changes, *_auto_now_fields(obj)]
            if clean:
                obj.full_clean(exclude=[f.name for f in obj._meta.fields if f.name not in written])
            obj.save(update_fields=written)
            if self.history is not None:
                self.history(obj, from_state, to, actor=actor, **history)
        return step

    def _refused(self, message, *, code: str) -> MoveRefused:
        error = MoveRefused(message, code=code)
        return MoveRefused({self.error_key: error}) if self.error_key else error

    def _claim(self, obj, from_state: str) -> None:
        """Lock the row if it is still in ``from_state`` (an UPDATE that writes nothing new takes the row lock
        on PostgreSQL and the write lock on SQLite); a row moved meanwhile is refused, naming its state now."""
        rows = type(obj)._base_manager.filter(pk=obj.pk, **{self.field: from_state})
        if rows.update(**{self.field: from_state}) == 1:
            return
        obj.refresh_from_db(fields=[self.field])
        raise self._refused(
            _(
                "Someone else has just changed this %(thing)s from “%(from)s” to “%(now)s”; reload and try again."
            )
            % {
                "thing": obj._meta.verbose_name,
                "from": self.label(from_state),
                "now": self.label(getattr(obj, self.field)),
            },
            code="move_conflict",
        )


def _may(actor, capability: str | None) -> bool:
    # actor=None is the system itself (demo data, migrations, imports run by the system).
    return capability is None or actor is None or actor.can(capability)


def _auto_now_fields(obj) -> list[str]:
    return [f.name for f in obj._meta.fields if getattr(f, "auto_now", False)]

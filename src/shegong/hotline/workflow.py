"""The status of a hotline ticket (受理 → 已派单 → 处理中 → 已办结), as one ``Workflow`` (lib/workflow.py).

A ticket is not moved by a button but by what is done with it: assigning it to a station (ticket_assign), the
first handling note or a case opened from it (ticket_note_add, ticket_open_case), closing it with an outcome
(ticket_close). A call answered at once may be handled or closed before it is assigned."""

from shegong.accounts.roles import Cap
from shegong.hotline.models import TicketStatus
from shegong.lib.workflow import Move, Workflow


def _edit(*targets: str) -> tuple[Move, ...]:
    return tuple(Move(t, capability=Cap.DATA_EDIT) for t in targets)


TICKET_WORKFLOW = Workflow(
    TicketStatus,
    {
        TicketStatus.NEW: _edit(TicketStatus.ASSIGNED, TicketStatus.IN_PROGRESS, TicketStatus.CLOSED),
        TicketStatus.ASSIGNED: _edit(TicketStatus.IN_PROGRESS, TicketStatus.CLOSED),
        TicketStatus.IN_PROGRESS: _edit(TicketStatus.CLOSED),
        TicketStatus.CLOSED: (),
    },
    initial=[TicketStatus.NEW],
)

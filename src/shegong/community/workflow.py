"""Community's statuses that move, each as one ``Workflow`` (lib/workflow.py): the phase of a group (小组工作的阶段,
MZ/T 095-2017) and a volunteer's sign-up for an activity. services.group_phase_move / group_session_add and the
sign-up services of volunteers.py move by them; the group page offers the next phases from GROUP_WORKFLOW."""

from shegong.accounts.roles import Cap
from shegong.community.models import Phase, SignUpStatus
from shegong.lib.workflow import Move, Workflow


def _edit(*targets: str, **options) -> tuple[Move, ...]:
    return tuple(Move(t, capability=Cap.DATA_EDIT, **options) for t in targets)


# A group goes forward one phase at a time; it may end early from any phase after forming (members leave, the
# aim is met sooner). Its first session moves a preparing group to forming.
GROUP_WORKFLOW = Workflow(
    Phase,
    {
        Phase.PREPARING: _edit(Phase.FORMING),
        Phase.FORMING: _edit(Phase.TRANSITION, Phase.ENDING),
        Phase.TRANSITION: _edit(Phase.MATURE, Phase.ENDING),
        Phase.MATURE: _edit(Phase.ENDING),
        Phase.ENDING: (),
    },
    field="phase",
    initial=[Phase.PREPARING],
)

# HOURS_RECORDED: hours written afterwards from a paper sign-in sheet or the Excel import confirm a sign-up at
# once, whether or not it was checked in and out (volunteers.hours_record).
HOURS_RECORDED = "hours_recorded"

SIGNUP_WORKFLOW = Workflow(
    SignUpStatus,
    {
        SignUpStatus.SIGNED_UP: (
            *_edit(SignUpStatus.CHECKED_IN, SignUpStatus.CANCELLED),
            *_edit(SignUpStatus.CONFIRMED, via=HOURS_RECORDED),
        ),
        SignUpStatus.CHECKED_IN: (
            *_edit(SignUpStatus.CHECKED_OUT),
            *_edit(SignUpStatus.CONFIRMED, via=HOURS_RECORDED),
        ),
        SignUpStatus.CHECKED_OUT: (
            *_edit(SignUpStatus.CONFIRMED),
            *_edit(SignUpStatus.CONFIRMED, via=HOURS_RECORDED),
        ),
        SignUpStatus.CONFIRMED: (),
        SignUpStatus.CANCELLED: (),
    },
    initial=[SignUpStatus.SIGNED_UP],
)

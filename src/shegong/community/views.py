"""Pages of community activities (with their photos and volunteer sign-ups) and of group work."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from shegong.accounts.roles import Cap
from shegong.clients.selectors import person_get
from shegong.community import selectors, services
from shegong.community.forms import (
    ActivityForm,
    ConfirmForm,
    GroupForm,
    GroupMemberForm,
    PhotoForm,
    PickVolunteerForm,
    SessionForm,
)
from shegong.community.lists import ACTIVITIES, GROUPS
from shegong.community.models import Phase, SignUpStatus, VolunteerStatus
from shegong.community.workflow import GROUP_WORKFLOW
from shegong.lib.decorators import capability_required
from shegong.lib.forms import flash_action, form_page, initial_of, to_page
from shegong.lib.views import FORM, POST, Record, list_page, record_view, stored_file
from shegong.network.selectors import station_choices

# --- Activities ----------------------------------------------------------------------------------------


activity_list = list_page(Cap.DATA_VIEW, ACTIVITIES, "community/activity_list.html", can_edit=Cap.DATA_EDIT)


def _activity_form(request, data=None, initial=None):
    return ActivityForm(
        data,
        stations=station_choices(user=request.user),
        organisations=selectors.organisation_choices(user=request.user),
        initial=initial,
    )


@capability_required(Cap.DATA_EDIT)
@require_http_methods(["GET", "POST"])
def activity_create(request):
    form = _activity_form(request, request.POST or None)
    return form_page(
        request,
        form,
        "community/activity_form.html",
        {"activity": None},
        run=lambda data: services.activity_create(actor=request.user, **data),
        success=_("Activity recorded."),
        then=_to_activity,
    )


_to_activity = to_page("community:activity_detail")


@record_view(Cap.DATA_EDIT, selectors.activity_get, FORM)
def activity_edit(request, activity):
    initial = initial_of(activity, services.ACTIVITY_FIELDS, station="station_id")
    form = _activity_form(request, request.POST or None, initial=initial)

    def update(data):
        data = dict(data)
        if data.pop("station").pk != activity.station_id:
            raise ValidationError({"station": _("An activity stays with the station that held it.")})
        services.activity_update(actor=request.user, activity=activity, **data)

    return form_page(
        request,
        form,
        "community/activity_form.html",
        {"activity": activity},
        run=update,
        success=_("Activity updated."),
        then=_to_activity(activity),
    )


@record_view(Cap.DATA_VIEW, selectors.activity_get)
def activity_detail(request, activity):
    can_edit = request.user.can(Cap.DATA_EDIT)
    signups = list(selectors.activity_signups(user=request.user, activity=activity))
    taken = {s.volunteer_id for s in signups}
    pick = None
    if can_edit:
        candidates = selectors.volunteer_list(
            user=request.user,
            region=activity.station.region_id[:6],
            status=VolunteerStatus.ACTIVE,
            capability=Cap.DATA_EDIT,
        ).exclude(pk__in=taken)
        pick = PickVolunteerForm(volunteers=candidates)
    return render(
        request,
        "community/activity_detail.html",
        {
            "activity": activity,
            "signups": signups,
            "photos": selectors.activity_photos(user=request.user, activity=activity),
            "can_edit": can_edit,
            "pick_form": pick,
            "photo_form": PhotoForm() if can_edit else None,
            "confirm_form": ConfirmForm(),
            "Status": SignUpStatus,
        },
    )


def _photo_add(*, actor, activity, image, caption):
    return services.activity_photo_add(actor=actor, activity=activity, upload=image, caption=caption)


activity_photo_add = Record(Cap.DATA_EDIT, selectors.activity_get, then=_to_activity).post(
    _photo_add,
    lambda request, _activity: PhotoForm(request.POST, request.FILES),
    success=gettext_lazy("Photo added."),
    invalid=gettext_lazy("Choose a photo to upload."),
)


@record_view(Cap.DATA_VIEW, selectors.photo_get)
def activity_photo(request, photo):
    """A photo, served only to those who may see its activity (media files are not public)."""
    return stored_file(photo.image)


# --- Group work -----------------------------------------------------------------------------------------


group_list = list_page(Cap.DATA_VIEW, GROUPS, "community/group_list.html", can_edit=Cap.DATA_EDIT)


@capability_required(Cap.DATA_EDIT)
@require_http_methods(["GET", "POST"])
def group_create(request):
    form = GroupForm(request.POST or None, stations=station_choices(user=request.user))
    return form_page(
        request,
        form,
        "community/simple_form.html",
        {"title": _("New group")},
        run=lambda data: services.group_create(actor=request.user, **data),
        success=_("Group created."),
        then=to_page("community:group_detail"),
    )


@record_view(Cap.DATA_VIEW, selectors.group_get)
def group_detail(request, group):
    can_edit = request.user.can(Cap.DATA_EDIT)
    members = selectors.group_members(user=request.user, group=group)
    return render(
        request,
        "community/group_detail.html",
        {
            "group": group,
            "sessions": selectors.group_sessions(user=request.user, group=group),
            "members": members,
            "member_total": group.members.count() + group.other_members,
            "can_edit": can_edit,
            "session_form": SessionForm() if can_edit and group.phase != Phase.ENDING else None,
            "member_form": GroupMemberForm() if can_edit and group.phase != Phase.ENDING else None,
            "next_phases": GROUP_WORKFLOW.choices(group, request.user),
            "phases": Phase.choices,
        },
    )


GROUP = Record(Cap.DATA_EDIT, selectors.group_get, then=to_page("community:group_detail"))
group_session_add = GROUP.post(
    services.group_session_add, SessionForm, success=gettext_lazy("Session recorded.")
)


def _member_add(*, actor, group, person, headcount):
    """A person by file number (in the user's jurisdiction), or a headcount of members without a file."""
    found = person_get(user=actor, pk=person, capability=Cap.DATA_EDIT) if person else None
    return services.group_member_add(actor=actor, group=group, person=found, headcount=headcount or 0)


group_member_add = GROUP.post(
    _member_add,
    GroupMemberForm,
    success=gettext_lazy("Members added."),
    invalid=gettext_lazy("Give a file number or a headcount."),
)


@record_view(Cap.DATA_EDIT, selectors.group_get, POST)
def group_phase(request, group):
    to_phase = request.POST.get("to_phase", "")
    if to_phase not in Phase.values:
        messages.error(request, _("Choose the next phase."))
        return redirect("community:group_detail", pk=group.pk)
    flash_action(
        request,
        services.group_phase_move,
        success=_("The group is now in the “%(phase)s” phase.") % {"phase": Phase(to_phase).label},
        actor=request.user,
        group=group,
        to_phase=to_phase,
    )
    return redirect("community:group_detail", pk=group.pk)

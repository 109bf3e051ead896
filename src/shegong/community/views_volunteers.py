"""Pages of volunteers, teams, sign-ups and points. Thin: parse, call a selector or service, render."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Sum
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from shegong.accounts.roles import Cap
from shegong.audit.services import Event, audit_event
from shegong.community import points, selectors, volunteers
from shegong.community.certificate import hours_certificate
from shegong.community.forms import (
    CatalogueItemForm,
    ConfirmForm,
    PickVolunteerForm,
    PointRuleForm,
    PointsCorrectionForm,
    RedeemForm,
    TeamForm,
    VolunteerForm,
)
from shegong.community.lists import TEAMS, VOLUNTEERS
from shegong.community.models import EntryKind, PointRule, SignUpStatus, VolunteerStatus
from shegong.lib.asof import date_or_none
from shegong.lib.decorators import capability_required
from shegong.lib.forms import (
    add_service_errors,
    flash_service_errors,
    form_done,
    form_page,
    initial_of,
    post_action,
    posted,
    to_page,
)
from shegong.lib.personal_data import may_see_clear
from shegong.lib.views import FORM, POST, configures, list_page, record_view
from shegong.network.selectors import station_choices
from shegong.regions.picker import region_chosen
from shegong.regions.selectors import region_find


def _resolve_region(request, form, field: str = "region", levels=(4, 5)):
    region = region_find(user=request.user, code=form.cleaned_data[field], levels=levels)
    if region is None:
        form.add_error(field, _("No township, village or community with this code in your jurisdiction."))
    return region


def region_and_rest(request, data, field: str = "region") -> dict:
    """A form's cleaned ``data`` with its township, village or community code replaced by the division."""
    return {**data, field: _region_named(request, data, field)}


def _region_named(request, data, field: str = "region"):
    return region_chosen(
        user=request.user,
        data=data,
        field=field,
        levels=(4, 5),
        message=_("No township, village or community with this code in your jurisdiction."),
    )


# --- Volunteers ---------------------------------------------------------------------------------------


volunteer_list = list_page(Cap.DATA_VIEW, VOLUNTEERS, "community/volunteer_list.html", can_edit=Cap.DATA_EDIT)


@capability_required(Cap.DATA_EDIT)
@require_http_methods(["GET", "POST"])
def volunteer_create(request):
    form = VolunteerForm(posted(request), stations=station_choices(user=request.user))
    if request.method == "POST":
        valid = form.is_valid()
        region = _resolve_region(request, form) if valid else None
        try:
            # The ID number and phone are judged even when another field is wrong, so that every error shows.
            values = volunteers.volunteer_parse(form.cleaned_data if valid else request.POST)
        except ValidationError as exc:
            for field, errors in exc.message_dict.items():
                if field not in form.errors:
                    form.add_error(field, errors)
        else:
            if region is not None:
                try:
                    volunteer = volunteers.volunteer_create(
                        actor=request.user,
                        values=values,
                        region=region,
                        station=form.cleaned_data["station"],
                        registered_on=form.cleaned_data.get("registered_on"),
                    )
                except ValidationError as exc:
                    add_service_errors(form, exc)
                else:
                    messages.success(request, _("Volunteer registered."))
                    return redirect("community:volunteer_detail", pk=volunteer.pk)
    return render(request, "community/volunteer_form.html", {"form": form, "volunteer": None})


@record_view(Cap.DATA_EDIT, selectors.volunteer_get, FORM)
def volunteer_edit(request, volunteer):
    initial = initial_of(
        volunteer, ("name", "skills", "note", "status"), region="region_id", station="station_id"
    )
    form = VolunteerForm(
        posted(request),
        stations=station_choices(user=request.user),
        editing=True,
        initial=initial,
    )
    return form_page(
        request,
        form,
        "community/volunteer_form.html",
        {"volunteer": volunteer},
        run=lambda data: volunteers.volunteer_update(
            actor=request.user,
            volunteer=volunteer,
            region=_region_named(request, data),
            values=volunteers.volunteer_parse(data, require_id=False),
            station=data["station"],
            status=data["status"],
        ),
        success=_("Volunteer updated."),
        then=_to_volunteer(volunteer),
    )


_to_volunteer = to_page("community:volunteer_detail")


@record_view(Cap.DATA_VIEW, selectors.volunteer_get)
def volunteer_detail(request, volunteer):
    can_edit = request.user.can(Cap.DATA_EDIT)
    signups = selectors.volunteer_signups(user=request.user, volunteer=volunteer)
    # The total is over every confirmed sign-up the user may see; the page lists the latest 200 of them.
    confirmed = (
        signups.filter(status=SignUpStatus.CONFIRMED).aggregate(total=Sum("confirmed_hours"))["total"] or 0
    )
    signups = signups[:200]
    items = selectors.catalogue_for_volunteer(user=request.user, volunteer=volunteer)
    return render(
        request,
        "community/volunteer_detail.html",
        {
            "volunteer": volunteer,
            "signups": signups,
            "confirmed_hours": confirmed,
            "ledger": selectors.volunteer_ledger(user=request.user, volunteer=volunteer)[:200],
            "teams": volunteer.teams.all(),
            "can_edit": can_edit,
            "can_reveal": may_see_clear(request.user),
            "can_correct": request.user.can(Cap.COMMUNITY_CONFIGURE),
            "redeem_form": RedeemForm(items=items) if can_edit else None,
            "correction_form": PointsCorrectionForm() if request.user.can(Cap.COMMUNITY_CONFIGURE) else None,
        },
    )


@record_view(Cap.DATA_EDIT, selectors.volunteer_get, POST)
def volunteer_redeem(request, volunteer):
    form = RedeemForm(
        request.POST, items=selectors.catalogue_for_volunteer(user=request.user, volunteer=volunteer)
    )
    return post_action(
        request,
        form,
        lambda data: points.redemption_create(actor=request.user, volunteer=volunteer, **data),
        success=lambda redemption: (
            _("Redeemed %(item)s × %(quantity)d for %(points)d points.")
            % {"item": redemption.item.name, "quantity": redemption.quantity, "points": redemption.points}
        ),
        then=_to_volunteer(volunteer),
    )


@record_view(Cap.COMMUNITY_CONFIGURE, selectors.volunteer_get, POST)
def volunteer_points(request, volunteer):
    """An administrator's correction of the balance: an adjustment or points that expire, with the reason."""

    def correct(data):
        service = points.points_expire if data["kind"] == EntryKind.EXPIRE else points.points_adjust
        service(actor=request.user, volunteer=volunteer, points=data["points"], reason=data["reason"])

    return post_action(
        request,
        PointsCorrectionForm(request.POST),
        correct,
        success=_("The ledger has a new line."),
        then=_to_volunteer(volunteer),
    )


# --- Teams ----------------------------------------------------------------------------------------------


team_list = list_page(Cap.DATA_VIEW, TEAMS, "community/team_list.html", can_edit=Cap.DATA_EDIT)


@capability_required(Cap.DATA_EDIT)
@require_http_methods(["GET", "POST"])
def team_create(request):
    return form_page(
        request,
        TeamForm(request.POST or None, stations=station_choices(user=request.user)),
        "community/simple_form.html",
        {"title": _("New volunteer team")},
        run=lambda data: volunteers.team_create(actor=request.user, **data),
        success=_("Team created."),
        then=to_page("community:team_detail"),
    )


@record_view(Cap.DATA_VIEW, selectors.team_get, FORM)
def team_detail(request, team):
    can_edit = request.user.can(Cap.DATA_EDIT)
    candidates = selectors.volunteer_list(
        user=request.user,
        region=team.station.region_id[:6],
        status=VolunteerStatus.ACTIVE,
        capability=Cap.DATA_EDIT,
    )
    form = PickVolunteerForm(request.POST or None, volunteers=candidates, leader=True) if can_edit else None
    if request.method == "POST" and not can_edit:
        raise PermissionDenied
    done = form and form_done(
        request,
        form,
        lambda data: volunteers.team_member_add(
            actor=request.user, team=team, volunteer=data["volunteer"], leader=data.get("leader", False)
        ),
        success=_("Member added."),
        then=("community:team_detail", team.pk),
    )
    return done or render(
        request,
        "community/team_detail.html",
        {"team": team, "members": selectors.team_members(user=request.user, team=team), "form": form},
    )


# --- Sign-ups -------------------------------------------------------------------------------------------


@record_view(Cap.DATA_EDIT, selectors.activity_get, POST)
def signup_add(request, activity):
    candidates = selectors.volunteer_list(
        user=request.user, status=VolunteerStatus.ACTIVE, capability=Cap.DATA_EDIT
    )
    return post_action(
        request,
        PickVolunteerForm(request.POST, volunteers=candidates),
        lambda data: volunteers.signup_create(
            actor=request.user, activity=activity, volunteer=data["volunteer"]
        ),
        success=_("Signed up."),
        then=("community:activity_detail", activity.pk),
        invalid=_("Choose a volunteer from the list."),
    )


SIGNUP_ACTIONS = {
    "check-in": volunteers.signup_check_in,
    "check-out": volunteers.signup_check_out,
    "cancel": volunteers.signup_cancel,
}


@capability_required(Cap.DATA_EDIT)
@require_POST
def signup_move(request, pk: int, action: str):
    """Check in, check out, cancel, or confirm the hours (the organiser, who may correct them)."""
    signup = selectors.signup_get(user=request.user, pk=pk)
    if action not in (*SIGNUP_ACTIONS, "confirm"):
        raise Http404
    try:
        if action == "confirm":
            form = ConfirmForm(request.POST)
            if not form.is_valid():
                raise ValidationError(form.errors["hours"])
            volunteers.signup_confirm(actor=request.user, signup=signup, hours=form.cleaned_data["hours"])
            messages.success(
                request,
                _("%(hours)s hours confirmed; %(points)d points awarded.")
                % {"hours": signup.confirmed_hours, "points": signup.points},
            )
        else:
            SIGNUP_ACTIONS[action](actor=request.user, signup=signup)
    except ValidationError as exc:
        flash_service_errors(request, exc)
    return redirect("community:activity_detail", pk=signup.activity_id)


# --- Points rules and the catalogue -------------------------------------------------------------------


@capability_required(Cap.DATA_VIEW)
@require_http_methods(["GET", "POST"])
def points_config(request):
    """The points rules that apply here and the redemption catalogue; an administrator sets their region's."""
    user = request.user
    can_configure = configures(user, Cap.COMMUNITY_CONFIGURE)
    own = PointRule.objects.filter(region_id=user.jurisdiction_code).first() if can_configure else None
    rule_initial = (
        {
            "points_per_hour": own.points_per_hour,
            "bonus_kind": own.bonus_kind,
            "bonus_points": own.bonus_points,
            "long_hours": own.long_hours,
            "long_bonus_points": own.long_bonus_points,
        }
        if own
        else {"points_per_hour": 10}
    )
    which = request.POST.get("form", "")
    rule_form = PointRuleForm(request.POST if which == "rule" else None, initial=rule_initial)
    item_form = CatalogueItemForm(request.POST if which == "item" else None)
    if request.method == "POST":
        if not can_configure:
            raise PermissionDenied
        form = rule_form if which == "rule" else item_form
        if form.is_valid():
            try:
                if which == "rule":
                    points.point_rule_set(actor=user, region=user.jurisdiction, **form.cleaned_data)
                    messages.success(
                        request, _("Points rule saved; it applies to hours confirmed from now on.")
                    )
                else:
                    points.catalogue_item_create(actor=user, region=user.jurisdiction, **form.cleaned_data)
                    messages.success(request, _("Item added to the catalogue."))
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                return redirect("community:points_config")
    return render(
        request,
        "community/points_config.html",
        {
            "rules": selectors.point_rules(user=user),
            "items": selectors.catalogue_for(user=user),
            "rule_form": rule_form,
            "item_form": item_form,
            "can_configure": can_configure,
        },
    )


@record_view(Cap.COMMUNITY_CONFIGURE, selectors.catalogue_item_get, POST)
def catalogue_item_toggle(request, item):
    points.catalogue_item_update(actor=request.user, item=item, active=not item.active)
    messages.success(
        request, _("Item offered again.") if item.active else _("Item withdrawn from the catalogue.")
    )
    return redirect("community:points_config")


@never_cache
@capability_required(Cap.DATA_VIEW)
def volunteer_certificate(request, pk: int):
    """The certificate of confirmed hours for a period (default: this year so far), as PDF; each issue is
    written to the audit trail."""

    volunteer = selectors.volunteer_get(user=request.user, pk=pk)
    today = timezone.localdate()
    since = date_or_none(request.GET.get("since", "")) or today.replace(month=1, day=1)
    until = date_or_none(request.GET.get("until", "")) or today
    if since > until:
        since, until = until, since
    signups = list(
        selectors.volunteer_confirmed(user=request.user, volunteer=volunteer, since=since, until=until)
    )
    issuer = (
        volunteer.station.name
        if volunteer.station
        else (request.user.jurisdiction.name if request.user.jurisdiction else _("Shegong"))
    )
    data = hours_certificate(volunteer=volunteer, signups=signups, since=since, until=until, issuer=issuer)
    audit_event(
        event=Event.EXPORT,
        request=request,
        obj=volunteer,
        detail={
            "what": "community.hours_certificate",
            "since": since.isoformat(),
            "until": until.isoformat(),
        },
    )
    response = HttpResponse(data, content_type="application/pdf")
    response["Content-Disposition"] = (
        f'inline; filename="hours-{volunteer.pk}-{since:%Y%m%d}-{until:%Y%m%d}.pdf"'
    )
    return response

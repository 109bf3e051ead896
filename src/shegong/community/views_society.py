"""Pages of community social organisations and community deliberation (议事协商)."""

from django.db.models import Count
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from shegong.accounts.roles import Cap
from shegong.community import selectors, services
from shegong.community.forms import DeliberationForm, IssueCloseForm, IssueForm, OrganisationForm
from shegong.community.lists import MEETINGS, ORGANISATIONS, meeting_totals
from shegong.community.models import OrgStatus
from shegong.community.views_volunteers import region_and_rest
from shegong.lib.decorators import capability_required
from shegong.lib.forms import form_done, form_page, initial_of, post_action, to_page
from shegong.lib.views import FORM, POST, create_and_edit, record_view
from shegong.network.selectors import station_choices


@capability_required(Cap.DATA_VIEW)
def organisation_list(request):
    def per_status(rows):
        # Counts per status in the region asked for, whatever status is chosen: one pill per status.
        region = request.GET.get("region", "").strip()[:12]
        in_area = selectors.organisation_list(user=request.user, region=region)
        counts = dict(in_area.values_list("status").annotate(n=Count("id")).order_by())
        return {"statuses": [(value, label, counts.get(value, 0)) for value, label in OrgStatus.choices]}

    return ORGANISATIONS.page(
        request,
        "community/organisation_list.html",
        summary=per_status,
        can_edit=request.user.can(Cap.DATA_EDIT),
    )


def _organisation_form(request, org=None):
    initial = initial_of(org, services.ORG_FIELDS, region="region_id", station="station_id")
    form = OrganisationForm(
        request.POST or None, stations=station_choices(user=request.user), initial=initial
    )

    def save(data):
        data = region_and_rest(request, data)
        if org is None:
            return services.organisation_create(actor=request.user, **data)
        org.region = data.pop("region")
        services.organisation_update(actor=request.user, organisation=org, **data)
        return org

    return form_page(
        request,
        form,
        "community/simple_form.html",
        {"title": _("Edit organisation") if org else _("Register a community organisation")},
        run=save,
        success=_("Organisation saved."),
        then=to_page("community:organisation_detail"),
    )


organisation_create, organisation_edit = create_and_edit(
    Cap.DATA_EDIT, selectors.organisation_get, _organisation_form
)


@record_view(Cap.DATA_VIEW, selectors.organisation_get)
def organisation_detail(request, org):
    activities = selectors.activity_list(user=request.user).filter(organisation=org)[:100]
    return render(
        request,
        "community/organisation_detail.html",
        {"org": org, "activities": activities, "can_edit": request.user.can(Cap.DATA_EDIT)},
    )


# --- Deliberation ---------------------------------------------------------------------------------------


@capability_required(Cap.DATA_VIEW)
def deliberation_list(request):
    return MEETINGS.page(
        request,
        "community/deliberation_list.html",
        summary=meeting_totals,
        can_edit=request.user.can(Cap.DATA_EDIT),
    )


@capability_required(Cap.DATA_EDIT)
@require_http_methods(["GET", "POST"])
def deliberation_create(request):

    def create(data):
        data = region_and_rest(request, data)
        issues = [line.strip() for line in data.pop("issues").splitlines() if line.strip()]
        return services.deliberation_create(actor=request.user, issues=issues, **data)

    return form_page(
        request,
        DeliberationForm(request.POST or None),
        "community/simple_form.html",
        {"title": _("Record a deliberation meeting")},
        run=create,
        success=_("Meeting recorded."),
        then=_to_meeting,
    )


_to_meeting = to_page("community:deliberation_detail")


@record_view(Cap.DATA_VIEW, selectors.deliberation_get, FORM, posted=Cap.DATA_EDIT)
def deliberation_detail(request, meeting):
    can_edit = request.user.can(Cap.DATA_EDIT)
    form = IssueForm(request.POST or None) if can_edit else None
    done = form_done(
        request,
        form,
        lambda data: services.issue_add(actor=request.user, meeting=meeting, **data),
        success=_("Problem added."),
        then=_to_meeting(meeting),
    )
    return done or render(
        request,
        "community/deliberation_detail.html",
        {
            "meeting": meeting,
            "issues": selectors.deliberation_issues(user=request.user, meeting=meeting),
            "form": form,
            "close_form": IssueCloseForm() if can_edit else None,
            "can_edit": can_edit,
        },
    )


@record_view(Cap.DATA_EDIT, selectors.issue_get, POST)
def issue_close(request, issue):
    return post_action(
        request,
        IssueCloseForm(request.POST),
        lambda data: services.issue_close(
            actor=request.user,
            issue=issue,
            status=data["status"],
            outcome=data["outcome"],
            on=data["closed_on"],
        ),
        success=_("Outcome recorded."),
        then=("community:deliberation_detail", issue.meeting_id),
    )

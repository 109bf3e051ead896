"""Evaluation pages: indicator systems, evaluations with their score sheet, rectification items, and rounds."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from shegong.accounts.roles import Cap
from shegong.evaluations import selectors, services
from shegong.evaluations.forms import (
    CloseItemForm,
    DimensionForm,
    FinaliseForm,
    IndicatorForm,
    RectificationForm,
    RoundForm,
    StartForm,
    SystemForm,
)
from shegong.evaluations.lists import EVALUATIONS
from shegong.evaluations.models import EvaluationStatus, Subject
from shegong.lib.decorators import capability_required
from shegong.lib.forms import flash_action, flash_service_errors, form_done, form_page, to_page
from shegong.lib.views import POST, Record, record_view
from shegong.network.selectors import station_choices
from shegong.projects.selectors import project_list
from shegong.regions.selectors import region_find

# --- Evaluations ---------------------------------------------------------------------------------


@capability_required(Cap.DATA_VIEW)
def evaluation_list(request):
    return EVALUATIONS.page(
        request, "evaluations/evaluation_list.html", can_manage=request.user.can(Cap.NETWORK_MANAGE)
    )


@capability_required(Cap.NETWORK_MANAGE)
@require_http_methods(["GET", "POST"])
def evaluation_start(request):
    user = request.user
    form = StartForm(
        request.POST or None,
        systems=selectors.system_list(user=user),
        stations=station_choices(user=user, capability=Cap.NETWORK_MANAGE),
        projects=project_list(user=user, capability=Cap.NETWORK_MANAGE),
    )
    return form_page(
        request,
        form,
        "evaluations/form.html",
        {"title": _("Start an evaluation")},
        run=lambda data: services.evaluation_start(actor=user, **data),
        success=_("Evaluation started; the station or project may now assess itself."),
        then=to_page("evaluations:evaluation_detail"),
    )


def _detail(request, evaluation, *, status: int = 200, **forms):
    user = request.user
    open_ = evaluation.status != EvaluationStatus.FINAL
    return render(
        request,
        "evaluations/evaluation_detail.html",
        {
            "evaluation": evaluation,
            "groups": selectors.evaluation_scores(user=user, evaluation=evaluation),
            "rectifications": evaluation.rectifications.all(),
            "can_score": open_ and user.can(Cap.DATA_EDIT),
            "is_evaluator": open_ and user.can(Cap.NETWORK_MANAGE),
            "can_manage": user.can(Cap.NETWORK_MANAGE),
            "can_close": user.can(Cap.DATA_EDIT),
            "finalise_form": forms.get("finalise_form") or FinaliseForm(),
            "rectification_form": forms.get("rectification_form") or RectificationForm(),
        },
        status=status,
    )


evaluation_detail = record_view(Cap.DATA_VIEW, selectors.evaluation_get)(_detail)


@record_view(Cap.DATA_EDIT, selectors.evaluation_get, POST)
def evaluation_scores(request, evaluation):
    scores: dict[int, dict] = {}
    for key, value in request.POST.items():
        field, _sep, indicator = key.rpartition("_")
        if field in ("self_score", "score", "evidence") and indicator.isdigit():
            scores.setdefault(int(indicator), {})[field] = value.strip()
    flash_action(
        request,
        services.scores_set,
        success=_("Scores saved."),
        actor=request.user,
        evaluation=evaluation,
        scores=scores,
    )
    return redirect("evaluations:evaluation_detail", pk=evaluation.pk)


EVALUATION = Record(
    Cap.NETWORK_MANAGE,
    selectors.evaluation_get,
    then=to_page("evaluations:evaluation_detail"),
    page=_detail,
)
evaluation_finalise = EVALUATION.form(
    services.evaluation_finalise, FinaliseForm, "finalise_form", success=gettext_lazy("Evaluation finalised.")
)
rectification_add = EVALUATION.form(
    services.rectification_add,
    RectificationForm,
    "rectification_form",
    success=gettext_lazy("Rectification item added."),
)
rectification_close = Record(
    Cap.DATA_EDIT,
    selectors.rectification_get,
    then=to_page("evaluations:evaluation_detail", "evaluation_id"),
    noun="item",
).post(
    services.rectification_close,
    CloseItemForm,
    success=gettext_lazy("Rectification item closed."),
    invalid=gettext_lazy("Say how it was rectified."),
)


# --- Indicator systems ---------------------------------------------------------------------------


@capability_required(Cap.DATA_VIEW)
def system_list(request):
    return render(
        request,
        "evaluations/system_list.html",
        {
            "systems": selectors.system_list(user=request.user),
            "can_manage": request.user.can(Cap.NETWORK_MANAGE),
        },
    )


@capability_required(Cap.NETWORK_MANAGE)
@require_http_methods(["GET", "POST"])
def system_create(request):
    return form_page(
        request,
        SystemForm(request.POST or None),
        "evaluations/form.html",
        {"title": _("New indicator system")},
        run=lambda data: services.system_create(actor=request.user, region=_own_region(request), **data),
        then=_to_system,
    )


def _own_region(request):
    return region_find(user=request.user, code=request.user.jurisdiction_code, capability=Cap.NETWORK_MANAGE)


_to_system = to_page("evaluations:system_detail")


def _system_page(request, system, *, status: int = 200, **forms):
    user = request.user
    editable = (
        not system.is_template
        and user.can(Cap.NETWORK_MANAGE)
        and system.region_id.startswith(user.jurisdiction_code)
        and not system.evaluations.exists()
    )
    dimensions = list(system.dimensions.prefetch_related("indicators"))
    return render(
        request,
        "evaluations/system_detail.html",
        {
            "system": system,
            "dimensions": dimensions,
            "full": services.full_points(system),
            "editable": editable,
            "can_copy": user.can(Cap.NETWORK_MANAGE) and bool(user.jurisdiction_code),
            "dimension_form": forms.get("dimension_form") or DimensionForm(),
            "indicator_form": forms.get("indicator_form") or IndicatorForm(system=system),
        },
        status=status,
    )


system_detail = record_view(Cap.DATA_VIEW, selectors.system_get)(_system_page)


@record_view(Cap.NETWORK_MANAGE, selectors.system_get, POST)
def system_copy(request, system):
    try:
        copy = services.system_copy(actor=request.user, system=system, region=_own_region(request))
    except ValidationError as exc:
        flash_service_errors(request, exc)
        return redirect("evaluations:system_detail", pk=system.pk)
    messages.success(request, _("Copied into your region; edit the copy."))
    return redirect("evaluations:system_detail", pk=copy.pk)


dimension_add = Record(
    Cap.NETWORK_MANAGE, selectors.system_get_for_edit, then=_to_system, page=_system_page
).form(services.dimension_add, DimensionForm, "dimension_form")


@record_view(Cap.NETWORK_MANAGE, selectors.system_get_for_edit, POST)
def indicator_add(request, system):
    form = IndicatorForm(request.POST, system=system)
    return form_done(
        request,
        form,
        lambda data: services.indicator_add(actor=request.user, **data),
        then=_to_system(system),
    ) or _system_page(request, system, status=400, indicator_form=form)


# --- Rounds --------------------------------------------------------------------------------------


@capability_required(Cap.DATA_VIEW)
def round_list(request):
    rounds = [
        (r, selectors.round_progress(user=request.user, round=r))
        for r in selectors.round_list(user=request.user)[:50]
    ]
    return render(
        request,
        "evaluations/round_list.html",
        {"rounds": rounds, "can_manage": request.user.can(Cap.NETWORK_MANAGE)},
    )


@capability_required(Cap.NETWORK_MANAGE)
@require_http_methods(["GET", "POST"])
def round_create(request):
    form = RoundForm(
        request.POST or None,
        systems=selectors.system_list(user=request.user, subject=Subject.STATION),
        initial={"region": request.user.jurisdiction_code},
    )

    def launch(data):
        data = dict(data)
        region = region_find(
            user=request.user, code=data.pop("region").strip(), capability=Cap.NETWORK_MANAGE
        )
        return services.round_launch(actor=request.user, region=region, **data)

    return form_page(
        request,
        form,
        "evaluations/form.html",
        {"title": _("Launch a round")},
        run=launch,
        success=_("Round launched."),
        then=to_page("evaluations:round_detail"),
    )


@record_view(Cap.DATA_VIEW, selectors.round_get)
def round_detail(request, round_):
    return render(
        request,
        "evaluations/round_detail.html",
        {
            "round": round_,
            "progress": selectors.round_progress(user=request.user, round=round_),
            "evaluations": selectors.evaluation_list(user=request.user, round=round_).order_by("region_id"),
        },
    )

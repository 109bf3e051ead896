"""Evaluation pages: indicator systems, evaluations with their score sheet, rectification items, and rounds."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

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
from shegong.lib.forms import add_service_errors, flash_service_errors
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
    if request.method == "POST" and form.is_valid():
        try:
            evaluation = services.evaluation_start(actor=user, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Evaluation started; the station or project may now assess itself."))
            return redirect("evaluations:evaluation_detail", pk=evaluation.pk)
    return render(
        request,
        "evaluations/form.html",
        {"form": form, "title": _("Start an evaluation")},
        status=400 if form.errors else 200,
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


@capability_required(Cap.DATA_VIEW)
def evaluation_detail(request, pk):
    return _detail(request, selectors.evaluation_get(user=request.user, pk=pk))


@capability_required(Cap.DATA_EDIT)
@require_POST
def evaluation_scores(request, pk):
    evaluation = selectors.evaluation_get(user=request.user, pk=pk, capability=Cap.DATA_EDIT)
    scores: dict[int, dict] = {}
    for key, value in request.POST.items():
        field, _sep, indicator = key.rpartition("_")
        if field in ("self_score", "score", "evidence") and indicator.isdigit():
            scores.setdefault(int(indicator), {})[field] = value.strip()
    try:
        services.scores_set(actor=request.user, evaluation=evaluation, scores=scores)
    except ValidationError as exc:
        flash_service_errors(request, exc)
    else:
        messages.success(request, _("Scores saved."))
    return redirect("evaluations:evaluation_detail", pk=evaluation.pk)


@capability_required(Cap.NETWORK_MANAGE)
@require_POST
def evaluation_finalise(request, pk):
    evaluation = selectors.evaluation_get(user=request.user, pk=pk, capability=Cap.NETWORK_MANAGE)
    form = FinaliseForm(request.POST)
    if form.is_valid():
        try:
            services.evaluation_finalise(actor=request.user, evaluation=evaluation, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Evaluation finalised."))
            return redirect("evaluations:evaluation_detail", pk=evaluation.pk)
    return _detail(request, evaluation, status=400, finalise_form=form)


@capability_required(Cap.NETWORK_MANAGE)
@require_POST
def rectification_add(request, pk):
    evaluation = selectors.evaluation_get(user=request.user, pk=pk, capability=Cap.NETWORK_MANAGE)
    form = RectificationForm(request.POST)
    if form.is_valid():
        try:
            services.rectification_add(actor=request.user, evaluation=evaluation, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Rectification item added."))
            return redirect("evaluations:evaluation_detail", pk=evaluation.pk)
    return _detail(request, evaluation, status=400, rectification_form=form)


@capability_required(Cap.DATA_EDIT)
@require_POST
def rectification_close(request, pk):
    item = selectors.rectification_get(user=request.user, pk=pk, capability=Cap.DATA_EDIT)
    form = CloseItemForm(request.POST)
    try:
        if not form.is_valid():
            raise ValidationError(_("Say how it was rectified."))
        services.rectification_close(actor=request.user, item=item, note=form.cleaned_data["note"])
    except ValidationError as exc:
        flash_service_errors(request, exc)
    else:
        messages.success(request, _("Rectification item closed."))
    return redirect("evaluations:evaluation_detail", pk=item.evaluation_id)


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
    form = SystemForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        region = region_find(
            user=request.user, code=request.user.jurisdiction_code, capability=Cap.NETWORK_MANAGE
        )
        try:
            system = services.system_create(actor=request.user, region=region, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            return redirect("evaluations:system_detail", pk=system.pk)
    return render(
        request,
        "evaluations/form.html",
        {"form": form, "title": _("New indicator system")},
        status=400 if form.errors else 200,
    )


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


@capability_required(Cap.DATA_VIEW)
def system_detail(request, pk):
    return _system_page(request, selectors.system_get(user=request.user, pk=pk))


@capability_required(Cap.NETWORK_MANAGE)
@require_POST
def system_copy(request, pk):
    system = selectors.system_get(user=request.user, pk=pk)
    region = region_find(
        user=request.user, code=request.user.jurisdiction_code, capability=Cap.NETWORK_MANAGE
    )
    try:
        copy = services.system_copy(actor=request.user, system=system, region=region)
    except ValidationError as exc:
        flash_service_errors(request, exc)
        return redirect("evaluations:system_detail", pk=system.pk)
    messages.success(request, _("Copied into your region; edit the copy."))
    return redirect("evaluations:system_detail", pk=copy.pk)


@capability_required(Cap.NETWORK_MANAGE)
@require_POST
def dimension_add(request, pk):
    system = selectors.system_get_for_edit(user=request.user, pk=pk)
    form = DimensionForm(request.POST)
    if form.is_valid():
        try:
            services.dimension_add(actor=request.user, system=system, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            return redirect("evaluations:system_detail", pk=system.pk)
    return _system_page(request, system, status=400, dimension_form=form)


@capability_required(Cap.NETWORK_MANAGE)
@require_POST
def indicator_add(request, pk):
    system = selectors.system_get_for_edit(user=request.user, pk=pk)
    form = IndicatorForm(request.POST, system=system)
    if form.is_valid():
        try:
            services.indicator_add(actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            return redirect("evaluations:system_detail", pk=system.pk)
    return _system_page(request, system, status=400, indicator_form=form)


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
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        region = region_find(
            user=request.user, code=data.pop("region").strip(), capability=Cap.NETWORK_MANAGE
        )
        try:
            round_ = services.round_launch(actor=request.user, region=region, **data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Round launched."))
            return redirect("evaluations:round_detail", pk=round_.pk)
    return render(
        request,
        "evaluations/form.html",
        {"form": form, "title": _("Launch a round")},
        status=400 if form.errors else 200,
    )


@capability_required(Cap.DATA_VIEW)
def round_detail(request, pk):
    round_ = selectors.round_get(user=request.user, pk=pk)
    return render(
        request,
        "evaluations/round_detail.html",
        {
            "round": round_,
            "progress": selectors.round_progress(user=request.user, round=round_),
            "evaluations": selectors.evaluation_list(user=request.user, round=round_).order_by("region_id"),
        },
    )

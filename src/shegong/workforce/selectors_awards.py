"""Reads of awards and allowances: the rules that apply, who is due what, and what was paid."""

import calendar
import datetime as dt

from django.db.models import Exists, Max, OuterRef, Q, QuerySet, Subquery

from shegong.accounts.roles import Cap
from shegong.lib.scoping import (
    applying_to_user,
    code_prefix_q,
    get_scoped_or_404,
    row_or_404,
    scope_to_user,
)
from shegong.workforce.models import (
    Assignment,
    AwardKind,
    AwardRule,
    Certificate,
    Expert,
    Payment,
    Worker,
    WorkerStatus,
)


def award_rule_list(*, user) -> QuerySet:
    """The rules that apply in the user's jurisdiction: those of regions above it and inside it."""
    rules = applying_to_user(AwardRule.objects.select_related("region"), user)
    return rules.order_by("region_id", "kind", "level")


def award_rule_get(*, user, pk) -> AwardRule:
    return row_or_404(award_rule_list(user=user), pk=pk)


def _due(rule: AwardRule, workers: QuerySet, period: str) -> QuerySet:
    """Workers of ``workers`` due ``rule`` (for ``period``, a month, if monthly) and not yet paid it."""
    workers = workers.filter(code_prefix_q("region_id", rule.region_id), status=WorkerStatus.ACTIVE)
    paid = Payment.objects.filter(rule=rule, worker=OuterRef("pk"), period=period)
    if rule.kind == AwardKind.ONE_TIME:
        last_year = rule.valid_to.year if rule.valid_to else 9999
        # Certified while working in the rule's region: an assignment there spans the certificate's year.
        worked_there = Assignment.objects.filter(
            code_prefix_q("facility__region_id", rule.region_id),
            worker=OuterRef("worker"),
            start_date__year__lte=OuterRef("year"),
        ).filter(Q(end_date__isnull=True) | Q(end_date__year__gte=OuterRef("year")))
        certificates = Certificate.objects.filter(
            worker=OuterRef("pk"), level=rule.level, year__gte=rule.valid_from.year, year__lte=last_year
        ).filter(Exists(worked_there))
        return (
            workers.filter(Exists(certificates))
            .exclude(Exists(paid))
            .annotate(
                certificate_year=Subquery(certificates.values("year")[:1]),
                certificate_number=Subquery(certificates.values("number")[:1]),
            )
        )
    try:
        month = dt.datetime.strptime(period, "%Y-%m").date()
    except ValueError:
        return workers.none()
    month_end = month.replace(day=calendar.monthrange(month.year, month.month)[1])
    if month_end < rule.valid_from or (rule.valid_to and month > rule.valid_to):
        return workers.none()
    top = Subquery(
        Certificate.objects.filter(worker=OuterRef("pk"), year__lte=month.year)
        .values("worker")
        .annotate(top=Max("level"))
        .values("top")[:1]
    )
    return (
        workers.filter(joined_on__lte=month_end)
        .annotate(current_level=top)
        .filter(current_level=rule.level)
        .exclude(Exists(paid))
    )


def award_due(*, user, rule: AwardRule, period: str = "") -> QuerySet:
    """The workers in the user's scope due ``rule`` and not yet paid it."""
    workers = scope_to_user(Worker.objects.select_related("region"), user, Cap.DATA_VIEW)
    return _due(rule, workers, period if rule.kind == AwardKind.MONTHLY else "").order_by("region_id", "name")


def worker_is_due(*, rule: AwardRule, worker: Worker, period: str) -> bool:
    """For the payment service, which has checked the actor's jurisdiction itself."""
    return _due(rule, Worker.objects.filter(pk=worker.pk), period).exists()


def payment_list(*, user, rule: AwardRule | None = None) -> QuerySet:
    qs = scope_to_user(Payment.objects.select_related("worker", "rule", "created_by"), user, Cap.DATA_VIEW)
    if rule is not None:
        qs = qs.filter(rule=rule)
    return qs.order_by("-paid_on", "-id")


def expert_list(*, user) -> QuerySet:
    """The expert pool of the user's scope (workforce/lists.py filters it: the kind, :func:`expert_search_q`)."""
    qs = scope_to_user(Expert.objects.select_related("region"), user, Cap.DATA_VIEW)
    return qs.order_by("-active", "region_id", "kind", "name")


def expert_search_q(term: str) -> Q:
    """An expert whose name, specialities or organisation holds ``term``."""
    return Q(name__contains=term) | Q(specialities__contains=term) | Q(organisation__contains=term)


def expert_get(*, user, pk, capability: str = Cap.DATA_VIEW) -> Expert:
    return get_scoped_or_404(Expert.objects.select_related("region", "worker"), user, capability, pk=pk)

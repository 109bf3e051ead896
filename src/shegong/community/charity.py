"""Charitable resources: donations, community charity funds (ledgers with a balance) and mutual-aid projects
with the matching funds that higher levels add by their rules.

Matching: a rule of region R (a province, a prefecture, ...) gives each project inside R, started within the
rule's dates (and of its programme, if it names one), ``percent`` of the money the project raised, at most
``cap``. Rules of several levels add up (Xiling: the province and the city both matched). The amounts are
computed, never stored, with one query for all rules (:func:`matching_totals`).
"""

import datetime as dt
from decimal import ROUND_HALF_UP, Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Case, Count, DecimalField, F, Q, Sum, Value, When
from django.db.models.functions import Least, Round
from django.utils import timezone
from django.utils.translation import gettext as _

from shegong.accounts.roles import Cap
from shegong.community.models import (
    CharityFund,
    Donation,
    DonationForm,
    FundEntry,
    FundEntryKind,
    MatchingPayment,
    MatchingRule,
    MutualAidProject,
)
from shegong.lib.bulk import create_checked
from shegong.lib.guard import require, require_choice
from shegong.lib.rows import append_to_balance, assign, save_valid
from shegong.lib.scoping import applies_q, code_prefix_q

CENT = Decimal("0.01")
MONEY_FIELD = DecimalField(max_digits=16, decimal_places=2)


def _money(value) -> Decimal:
    return Decimal(value).quantize(CENT, rounding=ROUND_HALF_UP)


# --- Funds ----------------------------------------------------------------------------------------------


@transaction.atomic
def fund_create(*, actor, region, name: str, established_on: dt.date, purpose: str = "") -> CharityFund:
    require(actor, Cap.DATA_EDIT)
    require_choice(actor, region, "region", _("Choose a division in your jurisdiction."))
    fund = CharityFund(region=region, name=name.strip(), established_on=established_on, purpose=purpose)
    return save_valid(fund)


def _fund_append(
    *, actor, fund_id: int, kind: str, amount: Decimal, occurred_on: dt.date, description: str, donation=None
) -> FundEntry:
    """The only writer of fund entries: the fund's row is locked, the balance moves with the entry."""
    entry = FundEntry(
        fund_id=fund_id,
        kind=kind,
        amount=amount,
        occurred_on=occurred_on,
        description=description[:200],
        donation=donation,
        actor=actor,
    )
    refused = ("amount", _("The fund holds %(balance)s yuan; it cannot pay %(amount)s."), {"amount": -amount})
    return append_to_balance(entry, CharityFund, fund_id, "balance", amount, refused)


@transaction.atomic
def fund_entry_add(
    *, actor, fund: CharityFund, kind: str, amount, occurred_on: dt.date, description: str
) -> FundEntry:
    """Money in or out of a fund by hand (interest, a grant, a payment to a beneficiary). ``amount`` is
    positive; an expense is written as a negative line."""
    require(actor, Cap.DATA_EDIT, fund.region_id)
    amount = _money(amount)
    if amount <= 0:
        raise ValidationError({"amount": _("Give an amount of more than 0.")})
    if kind not in FundEntryKind.values:
        raise ValidationError({"kind": _("Choose income or expense.")})
    if not description.strip():
        raise ValidationError({"description": _("Say what the money is for or where it came from.")})
    signed = amount if kind == FundEntryKind.INCOME else -amount
    entry = _fund_append(
        actor=actor,
        fund_id=fund.pk,
        kind=kind,
        amount=signed,
        occurred_on=occurred_on,
        description=description,
    )
    fund.refresh_from_db(fields=["balance"])
    return entry


# --- Donations ------------------------------------------------------------------------------------------


def _donation_new(
    *,
    actor,
    station,
    donor: str,
    donor_kind: str,
    form: str,
    value,
    received_on: dt.date,
    items: str = "",
    beneficiaries: str = "",
    beneficiary_count: int = 0,
    fund: CharityFund | None = None,
    note: str = "",
) -> Donation:
    """A new donation and its checks but the model's own (full_clean): the one validation of
    :func:`donation_create` and :func:`donations_create_many`."""
    require_choice(
        actor, station.region_id if station else None, "station", _("Choose a station in your jurisdiction.")
    )
    if form == DonationForm.KIND and not items.strip():
        raise ValidationError({"items": _("Say what was given.")})
    if received_on > timezone.localdate():
        raise ValidationError({"received_on": _("The date is in the future.")})
    if fund is not None and not station.region_id.startswith(fund.region_id[:6]):
        raise ValidationError({"fund": _("The fund belongs to another county.")})
    return Donation(
        station=station,
        donor=donor.strip(),
        donor_kind=donor_kind,
        form=form,
        value=_money(value) if value not in (None, "") else None,
        received_on=received_on,
        items=items.strip(),
        beneficiaries=beneficiaries.strip(),
        beneficiary_count=beneficiary_count or 0,
        fund=fund,
        note=note,
        created_by=actor,
    )


def _into_fund(actor, donation: Donation) -> None:
    """Cash paid into a community fund becomes the fund's income line (the fund's balance moves with it)."""
    if donation.fund is not None:
        _fund_append(
            actor=actor,
            fund_id=donation.fund.pk,
            kind=FundEntryKind.INCOME,
            amount=donation.value,
            occurred_on=donation.received_on,
            description=_("Donation from %(donor)s") % {"donor": donation.donor},
            donation=donation,
        )


@transaction.atomic
def donation_create(*, actor, station, **fields) -> Donation:
    """Record a donation (the fields of :func:`_donation_new`); cash paid into a community fund becomes the
    fund's income line."""
    require(actor, Cap.DATA_EDIT)
    donation = _donation_new(actor=actor, station=station, **fields)
    save_valid(donation)
    _into_fund(actor, donation)
    return donation


@transaction.atomic
def donations_create_many(*, actor, entries: list[dict]) -> list[Donation]:
    """Many donations at once (the donation ledger's batches): each entry holds the fields of
    :func:`donation_create` and is checked by the same validation; then one bulk insert. A donation paid into a
    fund still becomes the fund's income line, one by one (the fund's balance moves with each). A donation that
    fails raises its ValidationError and nothing is written. Returns the donations created."""
    require(actor, Cap.DATA_EDIT)
    donations = []
    for entry in entries:
        fields = dict(entry)
        donation = _donation_new(actor=actor, station=fields.pop("station"), **fields)
        # The station, fund and account are rows the caller read (a query each to check them again); only cash
        # goes into a fund (the table's constraint, checked here without a query).
        donation.full_clean(exclude=["station", "fund", "created_by"], validate_constraints=False)
        if donation.fund is not None and donation.form != DonationForm.CASH:
            raise ValidationError({"fund": _("Only cash can be paid into a fund.")})
        donations.append(donation)
    Donation.objects.bulk_create(donations, batch_size=500)
    for donation in donations:
        _into_fund(actor, donation)
    return donations


# --- Mutual-aid projects and matching -----------------------------------------------------------------

PROJECT_FIELDS = ("name", "programme", "target", "raised", "started_on", "status", "description")


def _project_new(*, actor, region, fields: dict) -> MutualAidProject:
    """A new project before the model's own checks: the one validation of :func:`project_create` and
    :func:`projects_create_many`."""
    require_choice(actor, region, "region", _("Choose a division in your jurisdiction."))
    return assign(MutualAidProject(region=region), fields, PROJECT_FIELDS, skip_none=True)


@transaction.atomic
def project_create(*, actor, region, **fields) -> MutualAidProject:
    require(actor, Cap.DATA_EDIT)
    project = _project_new(actor=actor, region=region, fields=fields)
    return save_valid(project)


@transaction.atomic
def projects_create_many(*, actor, entries: list[dict]) -> list[MutualAidProject]:
    """Many projects at once (the mutual-aid ledger's batches): each entry holds the fields of
    :func:`project_create` (region and the project's fields) and is checked by the same validation; then one
    bulk insert. A project that fails raises its ValidationError and nothing is written."""
    require(actor, Cap.DATA_EDIT)
    projects = (_project_new(actor=actor, region=entry["region"], fields=entry) for entry in entries)
    return create_checked(MutualAidProject, projects, exclude=["region"])  # region: a row the caller read


@transaction.atomic
def project_update(*, actor, project: MutualAidProject, **fields) -> MutualAidProject:
    require(actor, Cap.DATA_EDIT, project.region_id)
    return save_valid(assign(project, fields, PROJECT_FIELDS, skip_none=True))


@transaction.atomic
def matching_rule_create(
    *,
    actor,
    region,
    name: str,
    percent,
    valid_from: dt.date,
    cap=None,
    programme: str = "",
    valid_until: dt.date | None = None,
) -> MatchingRule:
    require(actor, Cap.COMMUNITY_CONFIGURE)
    require_choice(actor, region, "region", _("Choose a division in your jurisdiction."))
    if valid_until and valid_until < valid_from:
        raise ValidationError({"valid_until": _("The end comes before the start.")})
    rule = MatchingRule(
        region=region,
        name=name.strip(),
        percent=percent,
        cap=cap,
        programme=programme.strip(),
        valid_from=valid_from,
        valid_until=valid_until,
        created_by=actor,
    )
    return save_valid(rule)


@transaction.atomic
def matching_rule_end(*, actor, rule: MatchingRule) -> MatchingRule:
    """End a rule today: projects started later are not matched by it; earlier matching stands."""
    require(actor, Cap.COMMUNITY_CONFIGURE, rule.region_id)
    today = timezone.localdate()
    if rule.valid_until is None or rule.valid_until > today:
        rule.valid_until = max(today, rule.valid_from)
        rule.full_clean()
        rule.save(update_fields=["valid_until"])
    return rule


RULE_FIELDS = ("name", "percent", "cap", "programme", "valid_from", "valid_until")


def rule_used(rule: MatchingRule) -> bool:
    """A rule is used once a payment was recorded under it; it then stays as it was paid by."""
    return MatchingPayment.objects.filter(rule=rule).exists()


def _check_rule_owner(actor, rule: MatchingRule) -> None:
    if rule.region_id != getattr(actor, "jurisdiction_id", None):
        raise ValidationError(_("Only the administrator of the rule's own region may change it."))


@transaction.atomic
def matching_rule_update(*, actor, rule: MatchingRule, **changes) -> MatchingRule:
    """Correct a rule that no payment has used yet (a wrong share, cap or date). The audit trail records the
    fields changed, their old and new values and who changed them (the rule is registered with auditlog)."""
    unknown = set(changes) - set(RULE_FIELDS)
    if unknown:
        raise TypeError(f"matching_rule_update cannot change {sorted(unknown)}")
    require(actor, Cap.COMMUNITY_CONFIGURE, rule.region_id)
    _check_rule_owner(actor, rule)
    rule = MatchingRule.objects.select_for_update().get(pk=rule.pk)
    if rule_used(rule):
        raise ValidationError(_("Matching has been paid under this rule; it can no longer be corrected."))
    for key, value in changes.items():
        setattr(rule, key, value.strip() if isinstance(value, str) else value)
    if rule.valid_until and rule.valid_until < rule.valid_from:
        raise ValidationError({"valid_until": _("The end comes before the start.")})
    return save_valid(rule)


@transaction.atomic
def matching_rule_delete(*, actor, rule: MatchingRule) -> None:
    """Remove a rule entered by mistake, if no payment has used it (the audit trail keeps the deletion)."""
    require(actor, Cap.COMMUNITY_CONFIGURE, rule.region_id)
    _check_rule_owner(actor, rule)
    rule = MatchingRule.objects.select_for_update().get(pk=rule.pk)
    if rule_used(rule):
        raise ValidationError(_("Matching has been paid under this rule; it can no longer be removed."))
    rule.delete()


def _payment_new(
    *,
    actor,
    project: MutualAidProject,
    funder: str,
    amount,
    paid_on: dt.date,
    rule: MatchingRule | None = None,
    reference: str = "",
    note: str = "",
) -> MatchingPayment:
    """A payment's checks and the payment before the model's own checks: the one validation of
    :func:`matching_payment_record` and :func:`matching_payments_record_many`."""
    require(actor, Cap.DATA_EDIT, project.region_id)
    if paid_on > timezone.localdate():
        raise ValidationError({"paid_on": _("The date is in the future.")})
    if paid_on < project.started_on:
        raise ValidationError({"paid_on": _("The payment comes before the project started.")})
    if rule is not None and matching_for(project, rule) == 0:
        raise ValidationError({"rule": _("This rule does not match this project.")})
    return MatchingPayment(
        project=project,
        rule=rule,
        funder=funder.strip(),
        amount=amount,
        paid_on=paid_on,
        reference=reference.strip(),
        note=note.strip(),
        created_by=actor,
    )


@transaction.atomic
def matching_payment_record(*, actor, project: MutualAidProject, **fields) -> MatchingPayment:
    """Record matching money actually paid to ``project`` by a funder (the amount paid, which the rule's share
    only suggests); ``fields`` are those of :func:`_payment_new`. The rule, if given, must apply to the
    project."""
    require(actor, Cap.DATA_EDIT, project.region_id)
    return save_valid(_payment_new(actor=actor, project=project, **fields))


@transaction.atomic
def matching_payments_record_many(*, actor, entries: list[dict]) -> list[MatchingPayment]:
    """Many matching payments at once (the mutual-aid ledger's batches): each entry holds the fields of
    :func:`matching_payment_record` and is checked by the same validation; then one bulk insert. A payment that
    fails raises its ValidationError and nothing is written."""
    require(actor, Cap.DATA_EDIT)
    payments = (_payment_new(actor=actor, **entry) for entry in entries)
    # The project, rule and account are rows the caller read (a query each to check them again).
    return create_checked(
        MatchingPayment, payments, exclude=["project", "rule", "created_by"], validate_unique=False
    )


def payments_by_funder(payments) -> list[dict]:
    """Matching paid, per funder: [{"funder", "amount", "n"}], largest first."""
    rows = payments.order_by().values("funder").annotate(amount=Sum("amount"), n=Count("id"))
    return sorted(
        ({"funder": r["funder"], "amount": _money(r["amount"] or 0), "n": r["n"]} for r in rows),
        key=lambda r: (-r["amount"], r["funder"]),
    )


def matching_for(project: MutualAidProject, rule: MatchingRule) -> Decimal:
    """The amount ``rule`` matches for ``project`` (0 if the rule does not apply to it)."""
    if not project.region_id.startswith(rule.region_id):
        return Decimal("0")
    if rule.programme and rule.programme != project.programme:
        return Decimal("0")
    if project.started_on < rule.valid_from or (rule.valid_until and project.started_on > rule.valid_until):
        return Decimal("0")
    amount = _money(project.raised * rule.percent / Decimal(100))
    return min(amount, rule.cap) if rule.cap is not None else amount


def matched_by_rule(projects) -> dict[int, list[tuple[MatchingRule, Decimal]]]:
    """{project id: [(rule, amount it matches)]} for the rules of each project's village and the levels above
    it (those that may match it): one query for the rules, whatever the number of projects."""
    projects = list(projects)
    above = {p.region_id[:n] for p in projects for n in range(1, len(p.region_id) + 1)}
    rules = list(
        MatchingRule.objects.filter(region_id__in=above)
        .select_related("region")
        .order_by("region_id", "valid_from", "id")
    )
    return {
        p.pk: [(r, matching_for(p, r)) for r in rules if p.region_id.startswith(r.region_id)]
        for p in projects
    }


def _applies_q(rule: MatchingRule) -> Q:
    q = code_prefix_q("region_id", rule.region_id) & Q(started_on__gte=rule.valid_from)
    if rule.valid_until:
        q &= Q(started_on__lte=rule.valid_until)
    if rule.programme:
        q &= Q(programme=rule.programme)
    return q


def _matched_expr(rule: MatchingRule):
    share = Round(F("raised") * Value(rule.percent / Decimal(100), output_field=MONEY_FIELD), 2)
    amount = share if rule.cap is None else Least(share, Value(rule.cap, output_field=MONEY_FIELD))
    return Case(When(_applies_q(rule), then=amount), default=Value(Decimal("0")), output_field=MONEY_FIELD)


def rules_for_area(code: str):
    """Rules that may match projects in ``code``: those of regions at or above it, and of regions inside it."""
    return list(
        MatchingRule.objects.filter(applies_q("region_id", code, inside=True))
        .select_related("region")
        .order_by("region_id", "valid_from", "id")
    )


def matching_totals(projects, rules: list[MatchingRule]) -> dict:
    """Money raised and matched by the given projects: {"raised", "projects", "by_rule": [...], "matched"}.
    One query, whatever the number of projects and rules; each project's share is rounded to the cent before
    it is capped and summed, as :func:`matching_for` does."""
    aggregates = {"raised_total": Sum("raised"), "n_projects": Count("id")}
    for rule in rules:
        aggregates[f"r{rule.pk}"] = Sum(_matched_expr(rule))
    row = projects.order_by().aggregate(**aggregates)
    payments = MatchingPayment.objects.filter(project__in=projects.order_by().values("pk"))
    # One query for both sums: paid per (rule, funder), added up in Python.
    paid_by_rule: dict = {}
    by_funder: dict[str, dict] = {}
    for rule_id, funder, amount, n in (
        payments.order_by().values_list("rule_id", "funder").annotate(a=Sum("amount"), n=Count("id"))
    ):
        paid_by_rule[rule_id] = paid_by_rule.get(rule_id, Decimal("0")) + (amount or 0)
        entry = by_funder.setdefault(funder, {"funder": funder, "amount": Decimal("0"), "n": 0})
        entry["amount"] += amount or 0
        entry["n"] += n
    by_rule = [
        {
            "rule": rule,
            "id": rule.pk,
            "name": rule.name,
            "region": rule.region_id,
            "region_name": rule.region.name,
            "matched": _money(row[f"r{rule.pk}"] or 0),
            "paid": _money(paid_by_rule.get(rule.pk) or 0),
        }
        for rule in rules
    ]
    return {
        "projects": row["n_projects"] or 0,
        "raised": _money(row["raised_total"] or 0),
        "by_rule": by_rule,
        "matched": sum((r["matched"] for r in by_rule), Decimal("0.00")),
        "paid": _money(sum(paid_by_rule.values(), Decimal("0"))),
        "paid_by_funder": sorted(
            ({**e, "amount": _money(e["amount"])} for e in by_funder.values()),
            key=lambda r: (-r["amount"], r["funder"]),
        ),
    }

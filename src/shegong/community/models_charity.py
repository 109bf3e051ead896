"""Charitable resources (社会慈善资源): donations in cash or in kind, community charity funds (社区公益基金) kept as
ledgers, and mutual-aid projects (村社互助, e.g. "幸福家园") with the money raised and the matching funds higher
levels add by the rules their administrators set.

Matching funds are never stored: they are computed from the money raised and the rules (community/charity.py),
so that a changed rule shows at once and a figure can always be traced to its projects.
"""

from decimal import Decimal

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from shegong.lib.bases import AtStation, Authored, Created, InRegion, Named
from shegong.lib.fields import note_field, optional_fk, required_fk, status_field, user_field

MONEY = {"max_digits": 14, "decimal_places": 2}


class DonorKind(models.TextChoices):
    ENTERPRISE = "enterprise", _("Enterprise")
    ORGANISATION = "organisation", _("Social organisation")
    INDIVIDUAL = "individual", _("Individual")
    GOVERNMENT = "government", _("Government or public body")
    ANONYMOUS = "anonymous", _("Anonymous")


class DonationForm(models.TextChoices):
    CASH = "cash", _("Cash")
    KIND = "kind", _("In kind")


class Donation(AtStation, Authored):
    """A donation received by a station; goods are recorded with their estimated value."""

    station = required_fk("network.Facility", _("receiving station"))
    donor = models.CharField(_("donor"), max_length=100)
    donor_kind = models.CharField(_("source"), max_length=16, choices=DonorKind.choices)
    form = models.CharField(_("form"), max_length=8, choices=DonationForm.choices)
    value = models.DecimalField(_("value (yuan)"), **MONEY, validators=[MinValueValidator(Decimal("0.01"))])
    items = models.CharField(_("items"), max_length=200, blank=True)
    received_on = models.DateField(_("received on"))
    beneficiaries = models.CharField(_("who benefited"), max_length=200, blank=True)
    beneficiary_count = models.PositiveIntegerField(_("people who benefited"), default=0)
    fund = optional_fk("community.CharityFund", _("paid into fund"), related_name="donations")
    note = note_field()

    class Meta:
        verbose_name = _("donation")
        ordering = ["-received_on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(form="cash") | Q(fund__isnull=True),
                name="community_only_cash_into_funds",
                violation_error_message=_("Only cash can be paid into a fund."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.donor} {self.value}"


class CharityFund(InRegion, Named, Created):
    """A community charity fund (社区公益基金). ``balance`` is the sum of its entries, written only together with
    an entry, with the fund's row locked."""

    region = required_fk("regions.Region", _("community or township"))
    name = models.CharField(_("fund name"), max_length=100)
    established_on = models.DateField(_("established on"))
    balance = models.DecimalField(_("balance (yuan)"), **MONEY, default=Decimal("0"), editable=False)
    purpose = models.CharField(_("purpose"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("community charity fund")
        ordering = ["region_id", "name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(balance__gte=0),
                name="community_fund_balance_not_negative",
                violation_error_message=_("A fund cannot pay out more than it holds."),
            )
        ]


class FundEntryKind(models.TextChoices):
    INCOME = "income", _("Income")
    EXPENSE = "expense", _("Expense")


class FundEntry(Created):
    SCOPE_FIELD = "fund__region_id"

    fund = required_fk(CharityFund, _("fund"), related_name="entries")
    kind = models.CharField(_("kind"), max_length=8, choices=FundEntryKind.choices)
    amount = models.DecimalField(_("amount (yuan)"), **MONEY)
    balance_after = models.DecimalField(_("balance after"), **MONEY)
    occurred_on = models.DateField(_("date"))
    description = models.CharField(_("description"), max_length=200)
    donation = optional_fk(Donation, _("donation"), related_name="fund_entry", one_to_one=True)
    actor = user_field(_("actor"), optional=False)

    class Meta:
        verbose_name = _("fund entry")
        ordering = ["fund_id", "id"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(kind="income") & Q(amount__gt=0)) | (Q(kind="expense") & Q(amount__lt=0)),
                name="community_fund_entry_sign",
                violation_error_message=_("Income is positive and an expense negative."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.fund_id} {self.kind} {self.amount}"


class MutualAidStatus(models.TextChoices):
    RAISING = "raising", _("Raising money")
    RUNNING = "running", _("Under way")
    COMPLETED = "completed", _("Completed")


class MutualAidProject(InRegion, Named, Created):
    """A village or community mutual-aid project (村社互助项目) and the money it raised itself."""

    region = required_fk("regions.Region", _("village or community"))
    name = models.CharField(_("project"), max_length=100)
    programme = models.CharField(_("programme"), max_length=50, blank=True, help_text=_("e.g. 幸福家园"))
    target = models.DecimalField(_("target (yuan)"), **MONEY, validators=[MinValueValidator(Decimal("0"))])
    raised = models.DecimalField(
        _("money raised (yuan)"), **MONEY, default=Decimal("0"), validators=[MinValueValidator(Decimal("0"))]
    )
    started_on = models.DateField(_("started on"))
    status = status_field(MutualAidStatus, 10)
    description = models.TextField(_("description"), blank=True)

    class Meta:
        verbose_name = _("mutual-aid project")
        ordering = ["region_id", "-started_on", "id"]


class MatchingRule(InRegion, Named, Authored):
    """A higher level's matching of mutual-aid money: ``percent`` of what each project in ``region`` raised, at
    most ``cap`` per project, for projects started in [valid_from, valid_until] (and of ``programme`` if
    given). Set by the administrator of ``region``."""

    region = required_fk("regions.Region", _("matching level"))
    name = models.CharField(_("rule name"), max_length=100)
    programme = models.CharField(
        _("programme"), max_length=50, blank=True, help_text=_("empty: every project")
    )
    percent = models.DecimalField(
        _("matching share (%)"),
        max_digits=5,
        decimal_places=2,
        validators=[MinValueValidator(Decimal("0.01")), MaxValueValidator(Decimal("100"))],
    )
    cap = models.DecimalField(
        _("cap per project (yuan)"),
        **MONEY,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("0"))],
        help_text=_("empty: no cap"),
    )
    valid_from = models.DateField(_("for projects started from"))
    valid_until = models.DateField(_("until"), null=True, blank=True)

    class Meta:
        verbose_name = _("matching rule")
        ordering = ["region_id", "valid_from", "id"]


class MatchingPayment(Created):
    """Matching money actually paid to a mutual-aid project by one funder (a level of government or another
    body), beside the rule that suggested it: the amount is what was paid (Xiling: 95,900 by the province,
    184,900 by the city), not the rule's share, which only suggests it. A rule with a payment is 'used' and
    can no longer be corrected or removed (community/charity.py)."""

    SCOPE_FIELD = "project__region_id"

    project = required_fk(MutualAidProject, _("project"), related_name="payments")
    rule = optional_fk(MatchingRule, _("matching rule"), related_name="payments")
    funder = models.CharField(_("funder"), max_length=100, help_text=_("e.g. 省民政厅, 市民政局"))
    amount = models.DecimalField(
        _("amount paid (yuan)"), **MONEY, validators=[MinValueValidator(Decimal("0.01"))]
    )
    paid_on = models.DateField(_("paid on"))
    reference = models.CharField(_("voucher number"), max_length=60, blank=True)
    note = note_field()
    created_by = user_field(_("recorded by"), optional=False)

    class Meta:
        verbose_name = _("matching payment")
        ordering = ["project_id", "paid_on", "id"]

    def __str__(self) -> str:
        return f"{self.funder} {self.amount}"

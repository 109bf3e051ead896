"""What a user gives for a person served (一人一档) and for a visit (走访): one declaration each, from which the
page's form (forms.py), the API's input (api.py) and the ledgers' columns (ledgers_people.py, ledgers.py) take
their labels and limits (lib/inputs.py). The rules are the services' (person_validate, visit_create)."""

from functools import partial

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from shegong.clients.models import Person, Visit
from shegong.lib.forms import ModelMultipleChoiceField
from shegong.lib.inputs import DATE, In, Input
from shegong.regions.models import Level
from shegong.regions.picker import RegionField

# An ID number or a phone: stored encrypted (no length on the model), typed as at most 20 characters.
PROTECTED = {"max_length": 20}

PERSON = Input(
    Person,
    name=In(_("Name of the person")),
    id_number=In(
        _("ID number"),
        help_text=_(
            "18 characters; birth date and sex are taken from it. Leave empty if the person has none."
        ),
        **PROTECTED,
    ),
    sex=In(_("Sex")),
    birth_date=In(_("Date of birth"), widget=DATE),
    phone=In(_("Phone"), **PROTECTED),
    region=In(
        _("Village or community"),
        form=partial(RegionField, levels=(Level.VILLAGE,)),
        api=partial(serializers.CharField, max_length=12),  # the division's code
    ),
    address=In(_("Address")),
    away_from_registration=In(_("Living away from registered residence")),
    categories=In(
        _("Categories"),
        form=partial(ModelMultipleChoiceField, queryset=None, widget=forms.CheckboxSelectMultiple),
        # The categories' codes (a fresh child for each serializer made: DRF binds it).
        api=lambda **kw: serializers.ListField(child=serializers.CharField(max_length=32), **kw),
    ),
    # The page asks for it (the default is chosen); the API takes the default when it is left out.
    risk_level=In(_("Risk level"), api={"required": False}),
    risk_reason=In(_("Reason for the risk level")),
    visit_every_days=In(_("Visit frequency"), blank=_("By the visit rules")),
    care_ability=In(_("Care ability")),
    disability=In(_("Disability category")),
    disability_grade=In(_("Disability grade"), number=True),
    guardian_name=In(_("Guardian"), help_text=_("Required for children under 18.")),
    guardian_relation=In(_("Guardian's relation")),
    guardian_phone=In(_("Guardian's phone"), **PROTECTED),
    guardian_consent=In(_("The guardian consented to the processing of the child's data")),
    guardian_consent_on=In(_("Date of consent"), widget=DATE),
    # Any length, as the model's TextField: the page and the API have always taken any, and the people ledger
    # no longer caps it at 2,000 (an Excel cell holds at most 32,767 characters anyway).
    note=In(_("Note"), widget=forms.Textarea(attrs={"rows": 2})),
)

VISIT = Input(
    Visit,
    visited_on=In(_("Date of visit"), widget=DATE, initial=timezone.localdate),
    mode=In(_("Mode"), widget=forms.RadioSelect),
    # 4,000 characters on the page, the API and the ledger: the API has taken 4,000 (the phone's drafts send
    # it), the page and the ledger took 2,000; the model (a TextField) holds either, a case's presenting
    # problem takes 4,000 too, and the larger limit refuses no visit that was recorded before.
    findings=In(_("Findings"), max_length=4000, widget=forms.Textarea(attrs={"rows": 3})),
    needs=In(_("Needs spotted"), max_length=4000, widget=forms.Textarea(attrs={"rows": 2})),
    next_due=In(
        _("Next visit due"),
        widget=DATE,
        help_text=_(
            "Leave empty: the visit rule counts it from the date of this visit. You may bring it forward."
        ),
    ),
)

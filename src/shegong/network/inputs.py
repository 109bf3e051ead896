"""What a user gives for a facility (站点: a centre, a station, a village room): one declaration, from which the
page's forms (forms.py), the API's input (api.py StationSerializer) and the station ledger's columns (ledgers.py)
take their labels and limits (lib/inputs.py). The rules are the services' (facility_validate, which the form,
the API and the ledger share). The division is each surface's own: the page's picker, the API's code, the
ledger's name or code."""

from django import forms
from django.utils.translation import gettext_lazy as _

from shegong.lib.inputs import DATE, In, Input
from shegong.network.models import Facility, FacilityStatus

FACILITY = Input(
    Facility,
    # Required on the page and the API. The ledger's column is optional on purpose (ledgers.py): a county's
    # ledger seldom has one, and the level is taken from the division's (a township: a township station).
    kind=In(_("Level of facility")),
    name=In(_("Name")),
    # The page proposes "planned"; the API takes it when left out, and the ledger's row without a status takes
    # the one its dates imply (opened: operating; built: built; else planned).
    status=In(_("Current status"), api={"required": False, "default": FacilityStatus.PLANNED}),
    # The day the present status began (Facility.status_since); empty: today, or the date the ledger's row
    # implies. Written with a registration only.
    status_date=In(
        _("Status since"),
        kind="date",
        required=False,
        widget=DATE,
        api={"write_only": True, "allow_null": True},
    ),
    built_on=In(
        _("Built on"),
        widget=DATE,
        help_text=_(
            "If it was built before its present status began, e.g. built 2021-03, operating since 2021-06."
        ),
    ),
    address=In(_("Address")),
    premises=In(_("Premises")),
    shared_with=In(_("Shared with")),
    # At most 100,000 m² on the page as on the API and in the ledger (the page took any area before the
    # declaration).
    floor_area=In(_("Floor area (m²)"), min_value=0, max_value=100_000),
    opened_on=In(_("Opening date"), widget=DATE),
    operating_mode=In(_("Operating mode")),
    agency_name=In(_("Operating agency")),
    agency_credit_code=In(_("Agency credit code")),
    contact_name=In(_("Contact person")),
    # A phone number (a mobile or a landline) on the page, the API and the ledger alike, checked as every
    # ledger's phone column checks it (lib/inputs.py phone_number): the page and the API took any text before.
    contact_phone=In(_("Contact phone"), phone=True),
    brand=In(_("Brand (one station, one brand)")),
    # Any length, as the model's TextField (the ledger has no note column).
    note=In(_("Note"), widget=forms.Textarea(attrs={"rows": 3})),
)

"""What a user gives for a social worker (社工), a worker's certificate (证书) and a social work agency (社工机构):
one declaration each, from which the page's forms (forms.py) and the ledgers' columns (ledgers.py) take their
labels and limits (lib/inputs.py). The rules are the services' (worker_parse; certificate_parse: a year up to
this one, the number's spelling; services_agencies.agency_parse: the credit code's check character, a rating's
year up to this one)."""

from functools import partial

from django import forms
from django.utils.translation import gettext_lazy as _

from shegong.lib.inputs import DATE, In, Input
from shegong.workforce.models import Agency, Certificate, Worker

# An ID number or a phone: stored encrypted (no length on the model), typed as at most 30 characters; required
# only when a worker is registered (the page's form says so), an empty one keeps the stored number when editing.
PROTECTED = {"max_length": 30, "required": False}

WORKER = Input(
    Worker,
    name=In(_("Name")),
    id_number=In(_("ID number"), **PROTECTED),
    phone=In(_("Phone"), **PROTECTED),
    education=In(_("Education")),
    major=In(_("Major")),
    employment_type=In(_("Employment type")),
    # The page proposes the usual post; the ledger's column is optional on purpose (ledgers.py): an empty cell
    # takes the same default.
    post=In(_("Post")),
    agency=In(_("Employing agency"), form=partial(forms.ModelChoiceField, queryset=None)),
    # Empty: the day of registration (worker_parse).
    joined_on=In(_("Joined on"), widget=DATE, required=False),
    note=In(_("Note")),
)

CERTIFICATE = Input(
    Certificate,
    level=In(_("Level")),
    # The national examination began in 2008; certificate_parse also refuses a year after this one.
    year=In(_("Year obtained"), min_value=2008, max_value=2100),
    # Required on the page. The ledger's column is optional on purpose (ledgers.py): a number not collected yet
    # is left empty and stays on the workbench as a to-do until it is given (never made up).
    number=In(_("Certificate number"), required=True),
)

# A social work agency: the page, the API (api.py AgencyInput) and the agencies ledger. The division where it is
# registered is each surface's own (the page's picker, the ledger's name or code).
AGENCY = Input(
    Agency,
    name=In(_("Name")),
    # Typed with spaces as printed on the licence: 30 characters on the page; the ledger's column reads the code
    # itself. Both check it with credit_code_clean (18 characters, the check character).
    credit_code=In(_("Unified social credit code"), max_length=30),
    authority=In(_("Registering authority")),
    # Not after today on the page as in the ledger (agency_parse let a date object through unchecked).
    registered_on=In(_("Registration date"), widget=DATE, past=True),
    rating=In(_("Rating")),
    # From 2000 on the page and in the ledger (the ledger set no upper bound, the page 2100); agency_parse and
    # the ledger both refuse a year after this one.
    rating_year=In(_("Rating year"), min_value=2000, max_value=2100),
    legal_representative=In(_("Legal representative")),
    contact_name=In(_("Contact person")),
    # A phone number on the page, the API and the ledger alike (lib/inputs.py phone_number): the page took any
    # text of 30 characters before.
    contact_phone=In(_("Contact phone"), phone=True),
    staff_count=In(_("Staff"), min_value=0, max_value=100_000),
    note=In(_("Note")),
)

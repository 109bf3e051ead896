"""What a user gives for a social worker's certificate (证书): one declaration, from which the page's form
(forms.py) and the certificate ledger's columns (ledgers.py) take their labels and limits (lib/inputs.py).
The rules are the service's (certificate_parse: a year up to this one, the number's spelling)."""

from django.utils.translation import gettext_lazy as _

from shegong.lib.inputs import In, Input
from shegong.workforce.models import Certificate

CERTIFICATE = Input(
    Certificate,
    level=In(_("Level")),
    # The national examination began in 2008; certificate_parse also refuses a year after this one.
    year=In(_("Year obtained"), min_value=2008, max_value=2100),
    # Required on the page. The ledger's column is optional on purpose (ledgers.py): a number not collected yet
    # is left empty and stays on the workbench as a to-do until it is given (never made up).
    number=In(_("Certificate number"), required=True),
)

from django import forms
from django.utils.translation import gettext_lazy as _

from shegong.lib.uploads import WorkbookUploadForm


class PopulationForm(forms.Form):
    population = forms.IntegerField(label=_("Resident population"), min_value=0, max_value=200_000_000)
    year = forms.IntegerField(label=_("Statistics year"), min_value=1949, max_value=2100, required=False)


class ScopeForm(forms.Form):
    in_scope = forms.BooleanField(label=_("In coverage scope"), required=False)
    reason = forms.CharField(label=_("Reason"), max_length=200)


class UploadForm(WorkbookUploadForm):
    """The import's upload: lib/uploads.py checks the file (an .xlsx by its content, its size, its bounds)."""

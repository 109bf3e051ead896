from django import forms
from django.utils.translation import gettext_lazy as _


class PopulationForm(forms.Form):
    population = forms.IntegerField(label=_("Resident population"), min_value=0, max_value=200_000_000)
    year = forms.IntegerField(label=_("Statistics year"), min_value=1949, max_value=2100, required=False)


class ScopeForm(forms.Form):
    in_scope = forms.BooleanField(label=_("In coverage scope"), required=False)
    reason = forms.CharField(label=_("Reason"), max_length=200)


class UploadForm(forms.Form):
    file = forms.FileField(label=_("Excel file (.xlsx)"))

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if not upload.name.lower().endswith(".xlsx"):
            raise forms.ValidationError(_("Upload an Excel workbook (.xlsx)."))
        if upload.size > 20 * 1024 * 1024:
            raise forms.ValidationError(_("The file is larger than 20 MB."))
        return upload

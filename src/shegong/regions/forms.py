from django import forms
from django.utils.translation import gettext_lazy as _

from shegong.regions.services import statistics_years


class PopulationForm(forms.Form):
    population = forms.IntegerField(label=_("Resident population"), min_value=0, max_value=200_000_000)
    year = forms.IntegerField(label=_("Statistics year"), required=False)

    def clean_year(self):

        year, years = self.cleaned_data["year"], statistics_years()
        if year is not None and year not in years:
            raise forms.ValidationError(
                _("Give a year from %(first)d to %(last)d.") % {"first": years[0], "last": years[-1]}
            )
        return year


class ScopeForm(forms.Form):
    in_scope = forms.BooleanField(label=_("In coverage scope"), required=False)
    reason = forms.CharField(label=_("Reason"), max_length=200)
    effective_on = forms.DateField(
        label=_("Effective from"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("Empty: today."),
    )

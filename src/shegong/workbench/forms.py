from django import forms
from django.utils.translation import gettext_lazy as _


class NoticeForm(forms.Form):
    subject = forms.CharField(label=_("subject"), max_length=100)
    body = forms.CharField(label=_("what the station must do"), widget=forms.Textarea(attrs={"rows": 4}))
    due_on = forms.DateField(
        label=_("answer by"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )


class AnswerForm(forms.Form):
    answer = forms.CharField(label=_("the station's answer"), widget=forms.Textarea(attrs={"rows": 4}))

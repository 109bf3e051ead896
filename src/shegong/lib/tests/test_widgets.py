"""lib/widgets.py prints the select and input widgets as Django's templates print them: every widget of every
list's filter bar (as a county administrator sees it, empty and filled in), and widgets with difficult values
(markup in a label or a value, safe strings, numbers and dates that are localised, groups, True and False
attributes), rendered by the project's renderer and by Django's own, must be the same text."""

import datetime as dt

import pytest
from django import forms
from django.forms.renderers import DjangoTemplates
from django.utils.module_loading import autodiscover_modules
from django.utils.safestring import mark_safe

from shegong.lib.lists import LISTS
from shegong.lib.widgets import FormRenderer

pytestmark = pytest.mark.django_db

OURS, DJANGOS = FormRenderer(), DjangoTemplates()


def _both(form) -> tuple[list[str], list[str]]:
    """Each field's widget rendered by this renderer and by Django's."""
    printed = ([], [])
    for bound in form:
        widget = bound.field.widget
        attrs = bound.build_widget_attrs(widget.attrs)
        for out, renderer in zip(printed, (OURS, DJANGOS), strict=True):
            out.append(widget.render(bound.html_name, bound.value(), attrs, renderer=renderer))
    return printed


def test_the_settings_use_this_renderer(settings):
    assert settings.FORM_RENDERER == "shegong.lib.widgets.FormRenderer"


@pytest.mark.parametrize("filled", [False, True])
def test_every_filter_bar_prints_as_the_templates_do(users, filled):
    autodiscover_modules("lists")
    assert len(LISTS) >= 18
    compared = selects = 0
    user = users["county"]
    for name, definition in sorted(LISTS.items()):
        rows = definition.rows(user=user)
        data = {}
        if filled:  # each field given the first of its choices (or a plain text), as a user would choose
            for field_name, field in definition.filterset(queryset=rows, user=user).form.fields.items():
                choices = [c for c, _label in getattr(field, "choices", []) if c not in ("", None)]
                data[field_name] = (
                    str(choices[0]) if choices else "2024-01-01" if "date" in field_name else "x"
                )
        form = definition.filterset(data, queryset=rows, user=user).form
        form.is_valid()
        ours, djangos = _both(form)
        assert ours == djangos, name
        compared += len(ours)
        selects += sum(html.startswith("<select") for html in ours)
    assert compared > 50 and selects > 20


class Difficult(forms.Form):
    plain = forms.ChoiceField(
        choices=[("", "全部"), ("a&b", "<甲>"), (1, mark_safe("<b>乙</b>")), (2024, 2024)]
    )
    grouped = forms.ChoiceField(
        choices=[("", "—"), ("组一", [("x", "X 'quote'"), ("y", 'Y "double"')]), ("z", dt.date(2024, 3, 5))]
    )
    many = forms.MultipleChoiceField(choices=[("1", "一"), ("2", "二"), ("3", "三")], required=False)
    text = forms.CharField(widget=forms.TextInput(attrs={"placeholder": "姓名 <或> 拼音", "autofocus": True}))
    number = forms.IntegerField(widget=forms.NumberInput(attrs={"min": 0, "disabled": False}))
    day = forms.DateField(widget=forms.DateInput(attrs={"type": "date"}))
    mail = forms.EmailField(required=False)
    hidden = forms.CharField(widget=forms.HiddenInput, required=False)
    free = forms.CharField(widget=forms.Textarea, required=False)
    tick = forms.BooleanField(required=False)


@pytest.mark.parametrize(
    "data",
    [
        {},
        {
            "plain": "a&b",
            "grouped": "y",
            "many": ["1", "3"],
            "text": '"><script>',
            "number": "12345",
            "day": "2024-02-29",
        },
        {
            "plain": "2024",
            "grouped": "z",
            "text": mark_safe("<i>安全</i>"),
            "number": "x",
            "day": "bad",
            "tick": "on",
        },
    ],
)
def test_difficult_widgets_print_as_the_templates_do(data):
    form = Difficult(data or None)
    form.is_valid()
    ours, djangos = _both(form)
    assert ours == djangos
    assert any("<option" in html for html in ours)

"""The form renderer: Django's own, with its select and input widgets printed in Python.

Every list page has a filter bar of selects (a village's categories, the risk levels, the stations, the
months) and Django renders each option through its template, ``select_option.html`` and ``attrs.html``: on the
people list that was about a tenth of the page's CPU. The printers below write what those templates write,
character for character (lib/tests/test_widgets.py renders every widget of every list's filter form and a set
of difficult values both ways and compares them): the value as ``{{ value|stringformat:'s' }}`` prints it, a
label as ``{{ label }}`` prints it (localised, escaped unless safe), an attribute left out when it is False and
written bare when it is True. Any other widget, or an option drawn by another template, takes the template.
"""

from django.forms.renderers import DjangoTemplates
from django.utils.formats import localize
from django.utils.html import conditional_escape
from django.utils.safestring import SafeData
from django.utils.timezone import template_localtime

WIDGETS = "django/forms/widgets/"
OPTION = WIDGETS + "select_option.html"
# The input widgets whose template is input.html, included as it is.
INPUTS = {WIDGETS + name for name in ("input", "text", "number", "email", "url", "search", "tel", "date")}


def _shown(value) -> str:
    """``{{ value }}``: local time, localised, escaped unless safe."""
    return conditional_escape(str(localize(template_localtime(value))))


def _as_string(value) -> str:
    """``{{ value|stringformat:'s' }}``: ``%s`` of the value, escaped unless the value was safe."""
    text = "%s" % value  # noqa: UP031 - the filter's own formatting
    return text if isinstance(value, SafeData) else conditional_escape(text)


def _attrs(attrs: dict) -> str:
    """attrs.html: `` name="value"`` each, `` name`` for True, nothing for False."""
    out = []
    for name, value in attrs.items():
        if value is False:
            continue
        out.append(f" {_shown(name)}" if value is True else f' {_shown(name)}="{_as_string(value)}"')
    return "".join(out)


def _option(option: dict) -> str:
    return f'<option value="{_as_string(option["value"])}"{_attrs(option["attrs"])}>{_shown(option["label"])}</option>'


def _select(widget: dict) -> str | None:
    parts = [f'<select name="{_shown(widget["name"])}"{_attrs(widget["attrs"])}>']
    for group_name, options, _index in widget["optgroups"]:
        if group_name:
            parts.append(f'\n  <optgroup label="{_shown(group_name)}">')
        for option in options:
            if option["template_name"] != OPTION:
                return None
            parts.append(f"\n  {_option(option)}\n")  # select_option.html ends with a line break
        if group_name:
            parts.append("\n  </optgroup>")
    parts.append("\n</select>")
    return "".join(parts)


def _input(widget: dict) -> str:
    value = "" if widget["value"] is None else f' value="{_as_string(widget["value"])}"'
    return f'<input type="{_shown(widget["type"])}" name="{_shown(widget["name"])}"{value}{_attrs(widget["attrs"])}>'


class FormRenderer(DjangoTemplates):
    """``FORM_RENDERER``: the select and plain input widgets printed by the functions above, every other
    template (the form's layout, checkboxes, files, the project's own widgets) rendered as Django renders it."""

    def render(self, template_name, context, request=None):
        widget = context.get("widget")
        printed = None
        if widget is not None and widget.get("template_name") == template_name:
            if template_name == WIDGETS + "select.html":
                printed = _select(widget)
            elif template_name in INPUTS:
                printed = _input(widget)
        if printed is None:
            return super().render(template_name, context, request)
        return printed

from django import template

from shegong.bulletins import formats

register = template.Library()

# Yuan as 万元 with two decimals (118460 -> 11.85万元), as the monthly bulletin writes money: a figure of money
# raised or matched on a page reads as staff read it in the bulletin.
register.filter("wan_yuan", formats.wan_yuan)


@register.filter
def bs_widget(field):
    """Render a form field's widget with Bootstrap's classes, marked invalid when it has errors."""
    widget = field.field.widget
    input_type = getattr(widget, "input_type", "")
    if input_type == "select" or widget.__class__.__name__.endswith("Select"):
        css = "form-select"
    elif input_type in ("checkbox", "radio"):
        css = "form-check-input"
    else:
        css = "form-control"
    if field.errors:
        css += " is-invalid"
    existing = widget.attrs.get("class", "")
    return field.as_widget(attrs={"class": f"{existing} {css}".strip()})


@register.filter
def error_summary(form):
    """The form's field errors as (label, message) for a list at the top of the form, so an error far down a
    long form on a phone is seen; a message already shown as a form-wide error is not repeated."""
    shown = set(form.non_field_errors())
    return [
        (form.fields[name].label if name in form.fields else "", message)
        for name, messages in form.errors.items()
        if name != "__all__"
        for message in messages
        if message not in shown
    ]

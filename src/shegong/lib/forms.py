"""One way a page runs a service action and shows its errors.

A service raises ``ValidationError`` for bad input (shown on the form, field by field, or as messages on the
page it redirects to) and ``lib.guard.Refused`` for an actor who may not act: that one is never caught here,
it becomes the 403 page and an audit row (``core/views.py error_403``)."""

from collections.abc import Callable

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render


def posted(request):
    """The data a page's form is bound to: the POST, even an empty one (``request.POST or None`` leaves a form
    posted with nothing unbound: no error shown, and its ``cleaned_data`` missing); None for a GET."""
    return request.POST if request.method == "POST" else None


def add_service_errors(form, exc: ValidationError) -> None:
    """Show a service's ValidationError on the form, field by field where the field exists."""
    if hasattr(exc, "error_dict"):
        for field, errors in exc.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc.messages)


def flash_service_errors(request, exc: ValidationError) -> None:
    """Show a service's ValidationError as error messages, for an action that redirects back to its page."""
    for message in exc.messages:
        messages.error(request, message)


def flash_action(request, action, /, success: str = "", **kwargs) -> bool:
    """Run ``action(**kwargs)`` for a POST that redirects: the service's errors, or ``success``, become
    messages on the next page. True when the action was done."""
    try:
        action(**kwargs)
    except ValidationError as exc:
        flash_service_errors(request, exc)
        return False
    if success:
        messages.success(request, success)
    return True


def go(then, result=None) -> HttpResponse:
    """The redirect after an action: ``then`` is a URL or a view name, a ``(view name, *args)`` tuple, or a
    function of the action's result giving one of these (the record just created)."""
    target = then(result) if callable(then) else then
    return redirect(*target) if isinstance(target, tuple) else redirect(target)


def to_page(view_name: str, key: str = "pk"):
    """``then`` for a record's page: a function of the record giving ``(view_name, record.KEY)``, by default
    its own page (``to_page("projects:project_detail")``), or its parent's (``"project_id"``)."""
    return lambda record: (view_name, getattr(record, key))


def _say(request, success, result) -> None:
    message = success(result) if callable(success) else success
    if message:
        messages.success(request, message)


def form_done(request, form, run: Callable, /, *, success="", then) -> HttpResponse | None:
    """The one way a page runs a service for a form. For a POST whose form is valid: ``run(form.cleaned_data)``
    (the service call), then ``success`` (a message, or a function of the result giving one) and the redirect
    to ``then`` (see ``go``). None for a GET, an invalid form or a service's ValidationError, which is then on
    the form; the caller renders the page again. ``form`` None is a form the user is not offered (a list page
    whose add form only an editor sees): a POST is then refused::

        return form_done(request, form, lambda data: services.milestone_add(actor=user, project=p, **data),
                         success=_("Milestone added."), then=("projects:project_detail", p.pk)
                         ) or _detail(request, p, status=400, milestone_form=form)
    """
    if request.method != "POST":
        return None
    if form is None:
        raise PermissionDenied
    if not form.is_valid():
        return None
    try:
        result = run(form.cleaned_data)
    except ValidationError as exc:
        add_service_errors(form, exc)
        return None
    _say(request, success, result)
    return go(then, result)


def form_page(request, form, template: str, context=None, *, run: Callable, success="", then) -> HttpResponse:
    """A page with one form that runs a service (``form_done``); otherwise the page with ``form`` and
    ``context``, answered 400 when the form shows errors."""
    return form_done(request, form, run, success=success, then=then) or render(
        request, template, {"form": form, **(context or {})}, status=400 if form.errors else 200
    )


def flash_form_errors(request, form) -> None:
    """An invalid form posted from a page it does not render: each field's errors as one message, named by
    the field's label."""
    for field, errors in form.errors.items():
        label = form.fields[field].label if field in form.fields else ""
        messages.error(request, f"{label}：{'；'.join(errors)}" if label else "；".join(errors))


def post_action(request, form, run: Callable, /, *, success="", then, invalid: str = "") -> HttpResponse:
    """An action posted from a page that it goes back to (``then``): for a valid form ``run(form.cleaned_data)``,
    its ValidationError or ``success`` (as in ``form_done``) becoming messages there; for an invalid one the
    message ``invalid``, or each field's errors (``flash_form_errors``). ``form`` None: an action without
    input, ``run({})``."""
    if form is None or form.is_valid():
        try:
            result = run(form.cleaned_data if form is not None else {})
        except ValidationError as exc:
            flash_service_errors(request, exc)
        else:
            _say(request, success, result)
    elif invalid:
        messages.error(request, invalid)
    else:
        flash_form_errors(request, form)
    return go(then)


# The largest id the database holds: a BigAutoField is a signed 64-bit integer, in SQLite and PostgreSQL alike.
MAX_ID = 2**63 - 1


def as_id(text) -> int | None:
    """An id given in an address or a form's hidden field (``?case=12``, a picker's value), or None for anything
    else. Not ``str.isdigit`` alone: it takes "²" and "١", which int() refuses, and twenty digits, which the
    database refuses (both a server error)."""
    text = str(text or "").strip()
    if text.isascii() and text.isdigit() and int(text) <= MAX_ID:
        return int(text)
    return None


def as_ids(text, most: int) -> list[int] | None:
    """The ids of a comma-separated list (the people picked in a picker): None when a part is not an id or
    there are more than ``most``; ``[]`` for none."""
    parts = [part for part in str(text or "").split(",") if part.strip()]
    ids = [as_id(part) for part in parts]
    if None in ids or len(ids) > most:
        return None
    return ids


class ModelMultipleChoiceField(forms.ModelMultipleChoiceField):
    """Django's, but a value that is no id (twenty digits, "²") is refused with Django's own message before the
    database is asked: Django asks it with ``pk__in``, which SQLite and PostgreSQL refuse (a server error)."""

    def _check_values(self, value):
        if (self.to_field_name or "pk") == "pk":
            for pk in value:
                if as_id(pk) is None:
                    raise ValidationError(
                        self.error_messages["invalid_pk_value"], code="invalid_pk_value", params={"pk": pk}
                    )
        return super()._check_values(value)


def initial_of(record, fields, **renamed) -> dict:
    """A form's initial values from the record it edits (none: ``{}``): each of ``fields`` as the record has
    it, and each ``renamed`` key from the record's attribute of that name (``region_code="region_id"``)."""
    if record is None:
        return {}
    return {
        **{name: getattr(record, name) for name in fields},
        **{k: getattr(record, a) for k, a in renamed.items()},
    }


def choose_the_only_one(field) -> None:
    """Preselect a choice field's only choice (a social worker's own station): a default from context, one tap
    less (基层减负). With two or more choices nothing is preselected."""
    first_two = list(field.queryset[:2])
    if len(first_two) == 1 and field.initial is None:
        field.initial = first_two[0].pk

"""One way a page runs a service action and shows its errors.

A service raises ``ValidationError`` for bad input (shown on the form, field by field, or as messages on the
page it redirects to) and ``lib.guard.Refused`` for an actor who may not act: that one is never caught here,
it becomes the 403 page and an audit row (``core/views.py error_403``)."""

from django.contrib import messages
from django.core.exceptions import ValidationError


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


def form_action(form, action, /, **kwargs) -> tuple[bool, object]:
    """Run ``action(**kwargs)`` for a valid form: ``(True, result)``, or ``(False, None)`` with the service's
    errors on the form::

        done, activity = form_action(form, services.activity_create, actor=request.user, **data)
        if done:
            messages.success(request, _("Activity recorded."))
            return redirect(...)
    """
    try:
        return True, action(**kwargs)
    except ValidationError as exc:
        add_service_errors(form, exc)
        return False, None


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


def choose_the_only_one(field) -> None:
    """Preselect a choice field's only choice (a social worker's own station): a default from context, one tap
    less (基层减负). With two or more choices nothing is preselected."""
    first_two = list(field.queryset[:2])
    if len(first_two) == 1 and field.initial is None:
        field.initial = first_two[0].pk

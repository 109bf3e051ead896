"""The plumbing of a page or action on one record.

Such a view needs a capability (``capability_required``), takes some methods (``require_http_methods``) and
fetches its record by the ``pk`` in its address through a selector that scopes it to the user's jurisdiction
for that same capability (a 404 outside it). ``record_view`` states the three once::

    @record_view(Cap.NETWORK_MANAGE, selectors.project_get, POST)
    def project_move(request, project):
        ...

stands for ``@capability_required(Cap.NETWORK_MANAGE)``, ``@require_POST`` and
``project = selectors.project_get(user=request.user, pk=pk, capability=Cap.NETWORK_MANAGE)``. A selector
without a ``capability`` parameter scopes the record by its own rule: it is called as ``get(user=, pk=)``."""

import inspect
from functools import wraps

from django.views.decorators.http import require_http_methods

from shegong.lib.decorators import capability_required

POST = ("POST",)
FORM = ("GET", "POST")


def record_view(capability: str, get, methods=None, *, posted: str = ""):
    """A view of the record ``get(user=, pk=, capability=capability)``, for a user with ``capability``, for
    requests by one of ``methods`` (None: any); the view is called with the record in place of ``pk``.
    ``posted``: the capability a POST fetches the record for, on a page that shows it to viewers and whose
    form writes (a POST by a user without it finds no record: 404)."""
    takes_capability = "capability" in inspect.signature(get).parameters

    def decorator(view):
        @wraps(view)
        def with_record(request, pk):
            if not takes_capability:
                return view(request, get(user=request.user, pk=pk))
            asked = posted if posted and request.method == "POST" else capability
            return view(request, get(user=request.user, pk=pk, capability=asked))

        if methods is not None:
            with_record = require_http_methods(list(methods))(with_record)
        return capability_required(capability)(with_record)

    return decorator

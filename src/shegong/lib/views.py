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

from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from shegong.accounts.roles import Cap
from shegong.lib.decorators import capability_required
from shegong.lib.forms import form_done, form_page, post_action

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


def list_page(capability: str, definition, template: str, *, can_edit: str):
    """A list's page (``definition.page``, lib/lists.py) for users with ``capability``, telling the template
    whether the user may add and edit (``can_edit``: the capability that allows it)::

        worker_list = list_page(Cap.DATA_VIEW, WORKERS, "workforce/worker_list.html", can_edit=Cap.DATA_EDIT)
    """

    @capability_required(capability)
    def page(request):
        return definition.page(request, template, can_edit=request.user.can(can_edit))

    return page


def stored_file(file, **kwargs) -> FileResponse:
    """A stored file (a ``FieldFile``), served by a view that has fetched its record for the user (media files
    are not public); 404 when there is none or it is gone. ``kwargs`` as ``FileResponse``'s."""
    if not file:
        raise Http404
    try:
        handle = file.open("rb")
    except (FileNotFoundError, ValueError) as exc:
        raise Http404 from exc
    return FileResponse(handle, **kwargs)


def own_region(capability: str, view_name: str):
    """A page that opens ``view_name`` (which takes a division ``code``) at the user's jurisdiction; 404 for a
    user without one."""

    @capability_required(capability)
    def index(request):
        code = request.user.jurisdiction_code
        if code:
            return redirect(view_name, code=code)
        raise Http404

    return index


def configures(user, capability: str) -> bool:
    """Whether ``user`` sets the configuration of their own region (a code table, a rule) under
    ``capability``: a national account, with no jurisdiction, sets none."""
    return user.can(capability) and bool(user.jurisdiction_id)


def configure_done(request, capability: str, form, service, /, *, success, then) -> tuple:
    """A configuration page's add form: ``form_done`` running ``service(actor=, **data)`` for a user who
    ``configures`` under ``capability`` (a POST by anyone else is refused). Returns the response (None: show
    the page) and whether the user configures, for the page::

        done, can_configure = configure_done(request, Cap.CASEWORK_CONFIGURE, form, services.category_create,
                                             success=_("Category added."), then="clients:categories")
    """
    can = configures(request.user, capability)
    done = form_done(
        request,
        form if can else None,
        lambda data: service(actor=request.user, **data),
        success=success,
        then=then,
    )
    return done, can


def configure_page(capability: str, form, service, template: str, context, *, success, then):
    """A configuration page (a code table) for every user with ``Cap.DATA_VIEW``, by GET or POST, whose add
    form runs ``service`` for a user who ``configures`` under ``capability`` (``configure_done``). ``form`` is
    a form class (bound to the POST) or ``form(request)`` making the bound form; the template is given
    ``context(request)``, the ``form`` and ``can_configure``::

        catalogue = configure_page(Cap.CASEWORK_CONFIGURE, ServiceItemForm, services.service_item_create,
                                   "casework/catalogue.html", _catalogue, success=..., then="casework:catalogue")
    """

    @capability_required(Cap.DATA_VIEW)
    @require_http_methods(list(FORM))
    def page(request):
        bound = form(request.POST or None) if isinstance(form, type) else form(request)
        done, can = configure_done(request, capability, bound, service, success=success, then=then)
        return done or render(request, template, {**context(request), "form": bound, "can_configure": can})

    return page


def create_and_edit(capability: str, get, page):
    """The create and edit pages of a record that share one form page, ``page(request)`` for a new record and
    ``page(request, record)`` for one fetched by ``get``: both for users with ``capability``, by GET or POST::

        agency_create, agency_edit = create_and_edit(Cap.DATA_EDIT, selectors.agency_get, _agency_form_page)
    """

    @capability_required(capability)
    @require_http_methods(list(FORM))
    def create(request):
        return page(request)

    @record_view(capability, get, FORM)
    def edit(request, record):
        return page(request, record)

    return create, edit


class Record:
    """The actions posted on one kind of record, each a service run on it (``lib/forms.py``) and declared in
    one line. ``capability`` and ``get`` are ``record_view``'s; ``then(record)`` is where an action goes back
    to (its page); ``page(request, record, status=400, SLOT=form)`` renders that page again with a form's
    errors; the service is called as ``service(actor=user, NOUN=record, **form data)``, ``NOUN`` by default
    the selector's name before ``_get`` (``selectors.worker_get``: ``worker``)::

        WORKER = Record(Cap.DATA_EDIT, selectors.worker_get, then=_to_worker)
        worker_leave = WORKER.post(services.worker_leave, LeaveForm, success=gettext_lazy("Left."))

    Each action may state its own ``capability``, ``then`` or ``noun``. A ``form`` is a form class (bound to
    the POST) or a function ``(request, record)`` making the bound form; none: the action takes no input."""

    def __init__(self, capability: str, get, *, then, page=None, noun: str = ""):
        self.capability, self.get, self.then, self.page = capability, get, then, page
        self.noun = noun or get.__name__.split("_get")[0]

    def _view(self, act, capability, methods=POST):
        return record_view(capability or self.capability, self.get, methods)(act)

    def _run(self, service, noun, request, record):
        return lambda data: service(actor=request.user, **{noun or self.noun: record}, **data)

    def post(self, service, form=None, *, success="", invalid="", capability="", then=None, noun=""):
        """An action posted from the record's page that goes back to it (``post_action``): the service's
        errors, the form's (or ``invalid``) or ``success`` become messages there."""

        def act(request, record):
            bound = _bound(form, request, record, request.POST)
            run = self._run(service, noun, request, record)
            return post_action(
                request, bound, run, success=success, then=(then or self.then)(record), invalid=invalid
            )

        return self._view(act, capability)

    def form(self, service, form, slot: str, *, success="", capability="", noun=""):
        """A form on the record's page (``form_done``): done, the page again; with errors, ``page`` with the
        form as ``slot``, answered 400."""

        def act(request, record):
            bound = _bound(form, request, record, request.POST)
            run = self._run(service, noun, request, record)
            return form_done(request, bound, run, success=success, then=self.then(record)) or self.page(
                request, record, status=400, **{slot: bound}
            )

        return self._view(act, capability)

    def form_page(self, service, form, template: str, *, success="", capability="", context=None):
        """A page of its own for one form on the record (``form_page``, by GET or POST), its template given
        the record as ``NOUN`` and ``context(request, record)``; done, back to the record's page."""

        def act(request, record):
            more = context(request, record) if context else {}
            return form_page(
                request,
                _bound(form, request, record, request.POST or None),
                template,
                {self.noun: record, **more},
                run=self._run(service, "", request, record),
                success=success,
                then=self.then(record),
            )

        return self._view(act, capability, FORM)


def _bound(form, request, record, data):
    """A ``Record`` action's form: a form class bound to ``data``, or made by ``form(request, record)``."""
    if form is None:
        return None
    return form(data) if isinstance(form, type) else form(request, record)

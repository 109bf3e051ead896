"""The steps every domain's ``api.py`` takes alike, written once: a list endpoint, reading a request body,
calling a service, answering 201.

A domain's endpoint reads as its steps::

    data = validated(ActivityInput, request)
    activity = run_service(services.activity_create, actor=request.user, station=station, **data)
    return created(ActivitySerializer, activity)
"""

from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import exceptions, status
from rest_framework.decorators import api_view, permission_classes
from rest_framework.response import Response

from shegong.accounts.roles import Cap
from shegong.api.errors import service_errors
from shegong.api.pagination import paginated
from shegong.api.permissions import capability
from shegong.lib.guard import require
from shegong.lib.lists import DATE_SCHEMA


def endpoint(methods: list[str], cap: str):
    """A function view answering ``methods`` for whoever holds the capability ``cap`` (else 403 in the one
    error shape): ``@api_view`` with the capability as its permission."""

    def wrap(view):
        return api_view(methods)(permission_classes([capability(cap)])(view))

    return wrap


def list_endpoint(rows, serializer, doc: str = "", *, create=None):
    """The rows of a list definition (``lib/lists.py``: its filters as query parameters, in pages) for whoever
    may view data; ``doc`` describes it in the schema. ``create``: (input serializer, function of the request
    that checks what it needs and returns the new row) answers POST with 201 and the row."""
    methods = ["GET", "POST"] if create else ["GET"]
    listed = extend_schema(
        methods=["GET"],
        parameters=rows.api_parameters(),
        responses=serializer(many=True),
        description=doc or None,
    )

    def view_function(request):
        if request.method == "POST":
            return created(serializer, create[1](request))
        return rows.api(request, serializer)

    view = endpoint(methods, Cap.DATA_VIEW)(view_function)
    if create:
        view = extend_schema(methods=["POST"], request=create[0], responses={201: serializer})(view)
    return paginated(listed(view))


def detail_endpoint(getter, serializer, doc: str = "", *, update=None):
    """GET one row: ``getter(user=, pk=)`` (a selector: 404 outside the jurisdiction) as ``serializer`` shows it.
    ``update``: (input serializer, function of the request, the row and the fields given that returns the row
    changed) answers PATCH, for whoever may edit data, with the row fetched for editing (``capability=``)."""
    methods = ["GET", "PATCH"] if update else ["GET"]

    def view(request, pk: int):
        if request.method == "PATCH":
            require(request.user, Cap.DATA_EDIT)
            row = getter(user=request.user, pk=pk, capability=Cap.DATA_EDIT)
            given = validated(update[0], request, partial=True)
            row = run_service(update[1], request, row, given)
        else:
            row = getter(user=request.user, pk=pk)
        return Response(serializer(row, context={"user": request.user}).data)

    view = endpoint(methods, Cap.DATA_VIEW)(view)
    if update:
        view = extend_schema(methods=["PATCH"], request=update[0], responses=serializer)(view)
    return extend_schema(methods=["GET"], responses=serializer, description=doc or None)(view)


def chosen(choices, pk, field: str = "station", refusal: str = ""):
    """The row ``pk`` among ``choices`` (the rows a selector lets the user pick: a station, a project of the
    jurisdiction), else 400 with ``refusal`` on ``field`` (by default: no such station)."""
    row = choices.filter(pk=pk).first()
    if row is None:
        raise exceptions.ValidationError({field: [refusal or _("No such station in your jurisdiction.")]})
    return row


def validated(serializer, request, *, partial: bool = False) -> dict:
    """The request body checked by ``serializer`` (else 400 with the field errors), as a dict of its values;
    ``partial``: only the fields given (a PATCH: nothing required, no default written)."""
    # A serializer partial of its own (a correction) is left to say so.
    given = serializer(data=request.data, **({"partial": True} if partial else {}))
    given.is_valid(raise_exception=True)
    return dict(given.validated_data)


def run_service(service, /, *args, **kwargs):
    """Call a service (or a service's check); its ValidationError answers 400 in the one error shape."""
    with service_errors():
        return service(*args, **kwargs)


def created(serializer, row) -> Response:
    """201 with the new row as ``serializer`` shows it."""
    return Response(serializer(row).data, status=status.HTTP_201_CREATED)


def period_figures(as_of: str) -> list[OpenApiParameter]:
    """The query parameters of a figures endpoint over a period: the division (default the jurisdiction),
    ``as_of`` (described as what the endpoint counts that day) and the period ``since``..``until``."""
    return [
        OpenApiParameter("region", str, description="division code (default: your jurisdiction)"),
        OpenApiParameter("as_of", DATE_SCHEMA, description=f"YYYY-MM-DD: {as_of}"),
        OpenApiParameter("since", DATE_SCHEMA, description="YYYY-MM-DD, default 1 January of the as-of year"),
        OpenApiParameter("until", DATE_SCHEMA, description="YYYY-MM-DD, default the as-of day"),
    ]


# The figures endpoints' comparison with the end of a year (lib/asof.py AsOf.base_year).
BASE_YEAR = OpenApiParameter(
    "base_year", {"type": "integer", "minimum": 2000}, description="also compare with the end of this year"
)


def region_code_asked(request) -> str:
    """The division a figures endpoint is asked about: ``?region=`` (12 characters at most), else the user's
    jurisdiction; 400 when there is neither (a national account must name one)."""
    code = request.query_params.get("region", "").strip()[:12] or request.user.jurisdiction_code
    if not code:
        raise exceptions.ValidationError({"region": [_("Give a division code.")]})
    return code

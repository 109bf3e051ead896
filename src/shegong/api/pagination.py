"""The one paginator of the API: every list answers ``{count, count_capped, next, previous, results}``.

Built for lists of millions of rows (a province's service records, its people and their visits):

- ``page_size`` is honoured from 1 to :data:`MAX_PAGE_SIZE` (default :data:`PAGE_SIZE`);
- the count is capped: at most :data:`~shegong.lib.paging.LIST_CAP` rows are counted (a LIMIT inside the
  COUNT, ``lib/paging.CappedPaginator``); above it ``count`` is the cap and ``count_capped`` is true ("10,000+"),
  the exact totals are in the statistics endpoints, which read the rollups;
- ``next`` and ``previous`` are **cursors** (keyset pagination) whenever the list's order is a key: columns
  that are never null, all in one direction, ending with the id. The next page is then "the rows after this
  one" (``WHERE (served_on, id) < (…)``), answered by the list's index however deep the page; page numbers
  (``?page=``) remain an entry point for the first :data:`LIST_CAP` rows. A cursor that cannot be read is a 404,
  as an unknown page number is.

The cursor is opaque to the client (base64 of the sort key of a row and a direction); it carries no rights: the
rows are always the user's scoped, filtered list, read again."""

import base64
import binascii
import datetime as dt
import json

from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.db.models import F, QuerySet
from django.db.models.fields.tuple_lookups import Tuple, TupleGreaterThan, TupleLessThan
from django.utils.translation import gettext_lazy
from rest_framework.exceptions import NotFound
from rest_framework.pagination import PageNumberPagination
from rest_framework.response import Response
from rest_framework.utils.urls import remove_query_param, replace_query_param

from shegong.lib.paging import LIST_CAP, CappedPaginator

PAGE_SIZE = 50
MAX_PAGE_SIZE = 200
CURSOR_PATTERN = "^[A-Za-z0-9_-]{1,600}$"


def keyset(queryset) -> list[tuple[str, object]] | None:
    """The list's order as a key: [(attname, field), ...] and whether it runs descending, or None when the
    order is not one (an expression, a nullable or related column, mixed directions, no id at the end)."""
    if not isinstance(queryset, QuerySet) or queryset.query.combinator or queryset.query.distinct_fields:
        return None
    query = queryset.query
    if query.extra_order_by:
        return None
    ordering = list(query.order_by) if query.order_by else list(queryset.model._meta.ordering or [])
    if not ordering or not query.default_ordering and not query.order_by:
        return None
    opts = queryset.model._meta
    fields, directions = [], set()
    for item in ordering:
        if not isinstance(item, str) or "__" in item or item.startswith("?"):
            return None
        name = item.lstrip("-")
        directions.add(item.startswith("-"))
        try:
            field = opts.pk if name == "pk" else opts.get_field(name)
        except FieldDoesNotExist:
            # "region_id": the column of a foreign key, by its attname.
            field = next((f for f in opts.concrete_fields if f.attname == name), None)
        if field is None or not field.concrete or field.null or name in query.annotations:
            return None
        fields.append(field)
    if len(directions) != 1 or not fields[-1].primary_key:
        return None
    return [(f.attname, f) for f in fields], directions.pop()


def _encode(values: list, backwards: bool) -> str:
    data = {"k": [v.isoformat() if isinstance(v, (dt.date, dt.datetime)) else v for v in values]}
    if backwards:
        data["b"] = 1
    raw = json.dumps(data, separators=(",", ":"), ensure_ascii=False).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def _decode(cursor: str, key: list) -> tuple[list, bool]:
    """The key values and direction of a cursor, each value as its field reads it; NotFound if unreadable."""
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        data = json.loads(raw.decode())
        values = data["k"]
        if not isinstance(values, list) or len(values) != len(key):
            raise ValueError
        parsed = []
        for value, (_name, field) in zip(values, key, strict=True):
            if not isinstance(value, (str, int)) or isinstance(value, bool):
                raise ValueError
            parsed.append(field.to_python(value))
        if any(v is None for v in parsed):
            raise ValueError
        return parsed, bool(data.get("b"))
    except (ValueError, TypeError, KeyError, AttributeError, binascii.Error, ValidationError) as exc:
        raise NotFound(gettext_lazy("Invalid cursor.")) from exc


class Pagination(PageNumberPagination):
    page_size = PAGE_SIZE
    page_size_query_param = "page_size"
    max_page_size = MAX_PAGE_SIZE
    cursor_query_param = "cursor"

    def django_paginator_class(self, object_list, per_page):
        if isinstance(object_list, QuerySet):
            return CappedPaginator(object_list, per_page, ordered_count=False)
        return super().django_paginator_class(object_list, per_page)

    def paginate_queryset(self, queryset, request, view=None):
        self.request = request
        self.key = keyset(queryset)
        self.cursor_page = False
        self.capped = False
        cursor = request.query_params.get(self.cursor_query_param)
        if cursor is None:
            rows = super().paginate_queryset(queryset, request, view)
            self.count = self.page.paginator.count
            self.capped = getattr(self.page.paginator, "capped", False)
            self.rows = rows
            # Past the cap, the rows after the last counted page are reached by cursor only.
            last = self.page.number == self.page.paginator.num_pages
            self.has_next = self.page.has_next() or (self.capped and last and self.key is not None)
            self.has_previous = self.page.has_previous()
            return rows
        if self.key is None:
            raise NotFound(gettext_lazy("Invalid cursor."))
        key, descending = self.key
        values, backwards = _decode(cursor, key)
        size = self.get_page_size(request)
        counter = CappedPaginator(queryset, size, ordered_count=False)
        self.count, self.capped = counter.count, counter.capped
        after = descending == backwards  # rows with a greater key come next
        names = Tuple(*(F(name) for name, _field in key))
        compare = TupleGreaterThan if after else TupleLessThan
        rows = queryset.filter(compare(names, tuple(values)))
        if backwards:
            rows = rows.reverse()
        rows = list(rows[: size + 1])
        more = len(rows) > size
        rows = rows[:size]
        if backwards:
            rows.reverse()
        self.cursor_page = True
        self.rows = rows
        self.has_next = more if not backwards else bool(rows)
        self.has_previous = more if backwards else bool(rows)
        return rows

    def _key_of(self, row) -> list:
        return [getattr(row, name) for name, _field in self.key[0]]

    def _cursor_link(self, row, backwards: bool) -> str:
        url = remove_query_param(self.request.build_absolute_uri(), self.page_query_param)
        return replace_query_param(url, self.cursor_query_param, _encode(self._key_of(row), backwards))

    def get_next_link(self):
        if not self.has_next or not self.rows:
            return None
        if self.key is not None:
            return self._cursor_link(self.rows[-1], backwards=False)
        return super().get_next_link()

    def get_previous_link(self):
        if not self.has_previous:
            return None
        if self.cursor_page:
            return self._cursor_link(self.rows[0], backwards=True) if self.rows else None
        return super().get_previous_link()

    def get_paginated_response(self, data):
        return Response(
            {
                "count": self.count,
                "count_capped": self.capped,
                "next": self.get_next_link(),
                "previous": self.get_previous_link(),
                "results": data,
            }
        )

    def get_schema_operation_parameters(self, view):
        return [
            {
                "name": self.page_query_param,
                "required": False,
                "in": "query",
                "description": f"A page number, for the first {LIST_CAP:,} rows (deeper: follow `next`).",
                "schema": {"type": "integer"},
            },
            {
                "name": self.page_size_query_param,
                "required": False,
                "in": "query",
                "description": f"Rows per page, 1 to {MAX_PAGE_SIZE} (default {PAGE_SIZE}).",
                "schema": {"type": "integer", "minimum": 1, "maximum": MAX_PAGE_SIZE},
            },
            {
                "name": self.cursor_query_param,
                "required": False,
                "in": "query",
                "description": "The position given by a page's `next` or `previous` link (opaque).",
                "schema": {"type": "string", "pattern": CURSOR_PATTERN},
            },
        ]

    def get_paginated_response_schema(self, schema):
        """All five keys are always present; ``next`` and ``previous`` are null on the last and first page."""
        return {
            "type": "object",
            "required": ["count", "count_capped", "next", "previous", "results"],
            "properties": {
                "count": {
                    "type": "integer",
                    "example": 123,
                    "description": f"The rows of the list, counted up to {LIST_CAP:,}.",
                },
                "count_capped": {
                    "type": "boolean",
                    "description": f"True when the list holds more than {LIST_CAP:,} rows (`count` is then "
                    "the cap: show it as 10,000+).",
                },
                "next": {"type": "string", "format": "uri", "nullable": True},
                "previous": {"type": "string", "format": "uri", "nullable": True},
                "results": schema,
            },
        }


def page_of(request, rows, serializer) -> Response:
    """The page of ``rows`` the request asks for, as ``serializer`` shows them, in the page object (a view marked
    :func:`paginated`)."""
    paginator = Pagination()
    page = paginator.paginate_queryset(rows, request)
    return paginator.get_paginated_response(serializer(page, many=True).data)


def paginated(view):
    """Mark a function view (below ``@api_view``) as answering pages of ``Pagination``, so the schema
    documents the page object rather than a bare list. The view itself pages with ``Pagination()``."""
    view.cls.pagination_class = Pagination
    return view

"""Lists, filters and exports from one definition.

A list is declared once, in its domain's ``lists.py``, as a :class:`ListDefinition`: the scoped rows (a
selector), a :class:`ListFilterSet` (django-filter) and a :class:`ListTable` (django-tables2). From it:

- the page (:meth:`ListDefinition.page`): the filter bar (查询 / 重置, ``includes/filter_bar.html``), the table
  with sortable headers, page numbers and a page-size choice, cards instead of a wide table on a phone;
- the API list (:meth:`ListDefinition.api`): the same filters from the query string, 400 for a bad value, the
  API's one page shape;
- the export (:func:`export_view`, ``/export/<name>/``): the same filters, every row (no cap), the table's
  columns, an Excel workbook whose last sheet names the list, the filters, the time and the person; ID
  numbers and phones masked (:class:`PiiColumn`). A clear export is its own action (``/export/<name>/clear/``,
  ``Cap.PII_VIEW``, a stated purpose, ``audit_clear_export``). More than :data:`EXPORT_NOW_ROWS` rows run as
  a background job (``lists.export``). Every export writes one audit row with the filters.

A region outside the jurisdiction asked for by ``?region=`` is a 404 everywhere (``lib/scoping.in_region``).
"""

import datetime as dt
import re
import tempfile
import types
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache, partial
from itertools import islice

import django_filters
import django_tables2 as tables
import django_tables2.utils as tables_utils
from django import forms
from django.conf import settings
from django.contrib.auth.views import redirect_to_login as to_login
from django.core.exceptions import FieldDoesNotExist, PermissionDenied
from django.core.paginator import EmptyPage, PageNotAnInteger
from django.db.models import QuerySet
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.template.defaultfilters import date as date_filter
from django.urls import get_script_prefix, get_urlconf, reverse
from django.utils import timezone
from django.utils.encoding import force_str
from django.utils.formats import localize
from django.utils.functional import cached_property
from django.utils.hashable import make_hashable
from django.utils.html import conditional_escape, format_html
from django.utils.http import content_disposition_header, urlencode
from django.utils.module_loading import autodiscover_modules
from django.utils.safestring import mark_safe
from django.utils.timezone import template_localtime
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods
from django_tables2.rows import BoundRow
from drf_spectacular.utils import OpenApiParameter
from rest_framework.exceptions import ValidationError as ApiValidationError

from shegong.accounts.roles import Cap
from shegong.api.pagination import Pagination
from shegong.audit.services import Event, audit_event
from shegong.jobs.registry import JobError, job_handler
from shegong.jobs.services import job_output_store, job_start
from shegong.lib.escape import html_text
from shegong.lib.excel import XLSX_MIME, Column, write_workbook
from shegong.lib.http import client_ip
from shegong.lib.paging import CappedPaginator
from shegong.lib.personal_data import (
    ClearExportForm,
    audit_clear_export,
    clear_export_page,
    mask,
    may_see_clear,
)
from shegong.lib.scoping import in_region, region_field

_signature = tables_utils.signature


@lru_cache(maxsize=1024)
def _function_signature(function, bound: bool) -> tuple:
    args, keywords = _signature(function)
    return (args[1:] if bound else args), keywords


def cached_signature(fn) -> tuple:
    """django-tables2's ``signature`` (the arguments a column's ``render``/``value`` method takes), cached by
    the function: the library inspects it again for every cell (inspect.signature, 300 cells on a page of 50
    rows, 4-9 ms of a list page's 45-55 ms of CPU). Keyed by the plain function, never the bound method, so
    the cache keeps no table or column alive; other callables are inspected as before."""
    if isinstance(fn, types.MethodType) and isinstance(fn.__func__, types.FunctionType):
        return _function_signature(fn.__func__, True)
    if isinstance(fn, types.FunctionType):
        return _function_signature(fn, False)
    return _signature(fn)


tables_utils.signature = cached_signature

PAGE_SIZES = (20, 50, 100)
PAGE_SIZE = 50
EXPORT_NOW_ROWS = 5_000  # more rows than this are written by a background job, with progress

LISTS: dict[str, "ListDefinition"] = {}

# The widget of every list's region filter. The regions domain plugs its picker in when the app is ready
# (regions/apps.py ``use_region_widget``): lib imports no domain.
REGION_WIDGET: list[type[forms.Widget]] = [forms.TextInput]


def use_region_widget(widget: type[forms.Widget]) -> None:
    REGION_WIDGET[0] = widget


# --- Filters ----------------------------------------------------------------------------------------------


class ListFilterSet(django_filters.FilterSet):
    """A FilterSet that knows its user (a job has no request) and dresses its fields for the filter bar.

    ``region`` narrows to a division code inside the jurisdiction (a code outside it is a 404, or with
    ``region_on_field`` a message on the field); a list names the row's division field in ``region_field``
    (``None``: no region filter)."""

    region = django_filters.CharFilter(label=gettext_lazy("Division"), method="filter_region", max_length=12)
    region_field: str | None = "region_id"
    region_on_field = False

    def __init__(self, data=None, queryset=None, *, user=None, request=None, **kwargs):
        super().__init__(data, queryset, request=request, **kwargs)
        self.user = user if user is not None else getattr(request, "user", None)
        if self.region_field is None:
            self.filters.pop("region", None)

    def filter_region(self, qs, name, value):
        return in_region(qs, self.user, self.region_field, value.strip())

    @property
    def form(self):
        form = super().form
        if not getattr(form, "dressed", False):
            for name, fld in form.fields.items():
                if name == "region":
                    fld.widget = REGION_WIDGET[0]()
                widget = fld.widget
                css = "form-select" if isinstance(widget, forms.Select) else "form-control"
                widget.attrs.update({"class": css, "aria-label": str(fld.label or name)})
                if isinstance(fld, forms.DateField):
                    widget.input_type = "date"
                elif isinstance(fld, forms.CharField) and not isinstance(widget, forms.Select):
                    widget.attrs.setdefault("placeholder", str(fld.label or ""))
                if name == "region":
                    widget.attrs["inputmode"] = "numeric"
            if self.region_on_field and "region" in form.fields:
                form.clean_region = lambda: region_field(self.user, form.cleaned_data.get("region", ""))
            form.dressed = True
        return form

    def named(self) -> list[tuple[str, str]]:
        """The filters in force as (label, value shown), for the file's about sheet and the audit row."""
        if not self.is_bound or not self.is_valid():
            return []
        named = []
        for name, value in self.form.cleaned_data.items():
            if value in (None, "", [], ()):
                continue
            fld = self.form.fields[name]
            shown = value
            if isinstance(fld, forms.ChoiceField):
                shown = dict(fld.choices).get(value, value)
            elif isinstance(value, dt.date):
                shown = value.isoformat()
            named.append((str(fld.label or name), str(shown)))
        return named

    def searching(self) -> bool:
        """A search term (``q``) is given: the page counts its rows without the list's order."""
        return self.is_bound and self.is_valid() and bool(self.form.cleaned_data.get("q"))

    def carried(self) -> dict[str, str]:
        """The raw filter values asked for, to carry into an export link or form."""
        data = self.data or {}
        return {name: data.get(name, "") for name in self.filters if data.get(name, "")}


def date_range(field_name: str) -> tuple[django_filters.DateFilter, django_filters.DateFilter]:
    """The "from" and "to" filters of a date field (inclusive), the pair most lists offer."""
    return (
        django_filters.DateFilter(field_name=field_name, lookup_expr="gte", label=gettext_lazy("From")),
        django_filters.DateFilter(field_name=field_name, lookup_expr="lte", label=gettext_lazy("To")),
    )


# --- Tables -----------------------------------------------------------------------------------------------


class ListTable(tables.Table):
    """The table of a list. ``clear=True`` (a clear export only) shows :class:`PiiColumn` values in clear.

    Columns with ``visible=False`` are only in the export; ``exclude_from_export=True`` only on the page.
    The page counts at most ``LIST_CAP`` rows (lib/paging.py: a province holds millions) and says when there
    are more; ``ordered_count=False`` counts without the list's order (a search has an index of its own)."""

    # django-tables2 reads a table's Meta from its own class body only, so a subclass without a Meta would fall
    # back to the library's template: the look of every list is given here instead.
    TEMPLATE = "includes/table.html"
    ATTRS = {"class": "table table-sm table-hover align-middle list-table"}

    # The export reads the rows as tuples (see _plain_plan) when every exportable column is plain; the names
    # in plain_columns have table methods (render_<name>, value_<name>) that only dress the page.
    plain_export = False
    plain_columns: tuple[str, ...] = ()

    # The fields the page prints (``only()``; the relations the list's selector joins included), for a table of
    # wide rows: a file has forty columns and three are encrypted. Empty: every field. The export and the
    # API read their own.
    page_fields: tuple[str, ...] = ()

    # The page counts its rows (up to the cap) in the list's order: right for a list whose rows fill its index,
    # wrong for one whose user sees a narrow part of a large table (a county's service records: the count
    # walked the newest-first index of every record, 0.5 s at prefecture). False: in no order.
    count_in_order = True

    def __init__(self, *args, clear: bool = False, ordered_count: bool = True, **kwargs):
        self.clear = clear
        self.ordered_count = ordered_count
        kwargs.setdefault("template_name", self.TEMPLATE)
        kwargs.setdefault("attrs", dict(self.ATTRS))
        kwargs.setdefault("empty_text", gettext_lazy("Nothing matches the filters."))
        kwargs.setdefault("order_by_field", "sort")
        super().__init__(*args, **kwargs)

    def paginate(self, paginator_class=None, *args, **kwargs):
        return super().paginate(
            partial(CappedRowsPaginator, ordered_count=self.ordered_count), *args, **kwargs
        )

    def rows_html(self) -> str:
        """The rows of the page as HTML, each cell as the template language would print ``{{ cell }}``
        (localised, escaped unless safe) with its column's ``td`` attributes and its header as ``data-label``
        (a card's label on a phone).

        Written here, not in the template: with 50 rows of six columns, the template language's loop, look-ups
        and per-cell attribute dictionaries were about two thirds of a list page's CPU. Attributes given as
        functions of the record (``attrs={"td": {"class": lambda record: ...}}``) are computed per cell, and the
        row's own (``Meta.row_attrs``, even/odd) per row, as django-tables2 does."""
        columns = list(self.columns)
        if not columns:
            return ""
        static = {
            c.name: not any(callable(v) for v in c.column.attrs.get("td", {}).values()) for c in columns
        }
        opening = {c.name: _td(c) for c in columns if static[c.name]}
        rows = []
        printers = None
        for row in self.paginated_rows:
            if printers is None:  # decided once, on the page's first record
                printers = {c.name: _cell_printer(self, c, row.record) for c in columns}
            cells = []
            for column in columns:
                printer = printers[column.name]
                if printer is not None and static[column.name]:
                    cells.append(f"{opening[column.name]}{printer(row)}</td>")
                    continue
                value = row.get_cell(column.name)
                if not static[column.name]:
                    column.current_record, column.current_value = row.record, value
                    opening[column.name] = _td(column)
                cells.append(f"{opening[column.name]}{_printed(value)}</td>")
            rows.append(f"<tr {row.attrs.as_html()}>{''.join(cells)}</tr>")
        if not rows:
            return format_html(
                '<tr class="list-empty"><td colspan="{}" class="text-muted">{}</td></tr>',
                len(columns),
                self.empty_text,
            )
        return mark_safe("".join(rows))  # noqa: S308 - every part is escaped above (_td, _printed)


# An id no table reaches: reversed once per view name, it marks where a row's id goes in the address.
_ROW_ID = 7_340_182_911


@lru_cache(maxsize=512)
def _address_around_id(viewname: str, urlconf, root: str, prefix: str) -> tuple[str, str] | None:
    address = reverse(viewname, args=[_ROW_ID], urlconf=urlconf)
    head, found, tail = address.partition(str(_ROW_ID))
    return (head, tail) if found and str(_ROW_ID) not in tail else None


def row_url(viewname: str, pk) -> str:
    """``reverse(viewname, args=[pk])`` for the rows of a page: the address is worked out once per view name
    and each row's id put in its place (a page of 50 rows reversed two or three addresses per row, a tenth
    of a list page's CPU). Anything but an integer id takes ``reverse`` itself."""
    if type(pk) is int:
        around = _address_around_id(viewname, get_urlconf(), settings.ROOT_URLCONF, get_script_prefix())
        if around is not None:
            return f"{around[0]}{pk}{around[1]}"
    return reverse(viewname, args=[pk])


def _row_link(link) -> Callable | None:
    """A linkify column's link as ``row_url`` can make it (a view name and one accessor, no attributes), as a
    function of (content, record) printing what django-tables2's ``LinkTransform`` prints; None otherwise."""
    if link is None or link.url or link.attrs or link.accessor is not None:
        return None
    arguments = link.reverse_args
    viewname, args = arguments.get("viewname"), arguments.get("args")
    if set(arguments) != {"viewname", "args"} or not isinstance(viewname, str) or len(args or ()) != 1:
        return None
    if not isinstance(args[0], tables_utils.Accessor):
        return None
    accessor = args[0]
    return lambda content, record: format_html(
        '<a href="{}">{}</a>', row_url(viewname, accessor.resolve(record)), content
    )


def _td(column) -> str:
    return format_html('<td {} data-label="{}">', column.attrs["td"].as_html(), column.header)


def _printed(value) -> str:
    """A value as ``{{ value }}`` prints it: local time, localised numbers and dates, escaped unless safe
    (plain text, most cells, straight to the escaping)."""
    if type(value) is str:
        return html_text(value)
    return conditional_escape(str(localize(template_localtime(value))))


# A DateColumn's template, as django-tables2 writes it: the format is all that differs.
_DATE_TEMPLATE = re.compile(r'^\{\{ value\|date:"([^"]*)"\|default:default \}\}$')


def _cell_printer(table: ListTable, bound_column, record) -> Callable | None:
    """A function printing this column's cell of a row as ``row.get_cell`` + ``_printed`` print it, for the
    columns whose accessor is a path of model fields (or ``pk``) and whose kind is a plain ``Column``, a
    ``PiiColumn`` or a ``DateColumn`` (with its ``render_<name>`` and link, if any); None for any other (they
    take the library's path). The library works the same out again for every cell (the accessor's
    penultimate object and field, ``get_FOO_display``, a template compiled per date): about a third of a list
    page's CPU. ``assert_rows_as_template`` holds every list to the template's output, and
    lib/tests/test_lists.py covers what the lists may not (a null relation, choices, dates)."""
    column, name = bound_column.column, bound_column.name
    if not isinstance(bound_column.accessor, str):
        return None
    rendered = hasattr(table, f"render_{name}")
    if type(column) in (tables.Column, PiiColumn):
        dress = None if (type(column) is tables.Column and not rendered) else bound_column.render
    elif type(column) is tables.DateColumn and not rendered:
        match = _DATE_TEMPLATE.match(column.template_code or "")
        if match is None:
            return None
        dress = partial(_date_cell, match.group(1), bound_column)
    else:
        return None
    bits = tables_utils.Accessor(bound_column.accessor).bits
    path = _field_path(type(record), bits)
    if path is None:
        return None
    through, attribute = path[:-1], bits[-1]
    # A choice's label as get_FOO_display gives it, the labels translated once for the page, not per cell.
    labels = _labels(path[-1]) if getattr(path[-1], "choices", None) else None
    empty, default, link = column.empty_values, bound_column.default, bound_column.link
    dated = isinstance(dress, partial)  # a date column's dress takes the value alone
    quick_link = _row_link(link)

    def printer(row) -> str:
        obj = record = row.record
        for step in through:
            obj = getattr(obj, step.name)
            if obj is None:
                return _printed(default)
        value = getattr(obj, attribute)
        if labels is not None:
            value = labels.get(make_hashable(value), value)
        if value in empty:
            return _printed(default)
        if dress is None and link is None:
            return _printed(value)
        if dress is None and quick_link is not None:
            return _printed(quick_link(value, record))
        arguments = {
            "value": value,
            "record": record,
            "column": column,
            "bound_column": bound_column,
            "bound_row": row,
            "table": table,
        }
        if dress is None:
            content = value
        else:
            content = dress(value) if dated else tables_utils.call_with_appropriate(dress, arguments)
        if quick_link is not None:
            return _printed(quick_link(content, record))
        return _printed(link(content, **arguments) if link else content)

    return printer


def _labels(field) -> dict:
    return {make_hashable(key): force_str(label, strings_only=True) for key, label in field.flatchoices}


def _field_path(model, bits) -> list | None:
    """The model fields an accessor walks (forward relations, then a concrete field), or None."""
    if not isinstance(model, type) or not hasattr(model, "_meta"):
        return None
    path = []
    for i, bit in enumerate(bits):
        try:
            field = model._meta.pk if bit == "pk" else model._meta.get_field(bit)
        except FieldDoesNotExist:
            return None
        if not field.concrete or field.many_to_many:
            return None
        if i < len(bits) - 1:
            if not (field.many_to_one or field.one_to_one):
                return None
            model = field.related_model
        path.append(field)
    return path


def _date_cell(fmt: str, bound_column, value):
    """``{{ value|date:fmt|default:default }}`` as a DateColumn's template prints it."""
    shown = date_filter(template_localtime(value), fmt) or bound_column.default
    return conditional_escape(str(localize(shown)))


class CappedRowsPaginator(CappedPaginator):
    """CappedPaginator over a table's rows: the count is the queryset's under them, with a LIMIT inside."""

    @cached_property
    def _counted(self) -> int:
        rows = self.object_list.data.data
        rows = rows if self.ordered_count else rows.order_by()
        return rows[: self.cap + 1].count()


def number_column(verbose_name, **kwargs) -> tables.Column:
    """A column of counts or amounts, right-aligned in its cells (a plain ``Column``: the fast row printer and
    the plain export read it as any other)."""
    return tables.Column(verbose_name, attrs={"td": {"class": "text-end"}}, **kwargs)


class PiiColumn(tables.Column):
    """An ID number or phone: masked on the page, in the API and in every export but the clear one."""

    def __init__(self, field: str, **kwargs):
        kwargs.setdefault("orderable", False)
        kwargs.setdefault("attrs", {"td": {"class": "font-monospace"}})
        super().__init__(accessor=field, **kwargs)
        self.field = field.rsplit("__", 1)[-1]  # "volunteer__id_number" is masked as an ID number

    def render(self, value, table):
        return value if getattr(table, "clear", False) else mask(self.field, value)

    def value(self, value, table):
        return self.render(value, table)


def _has_pii(table_class: type[ListTable]) -> bool:
    return any(isinstance(c, PiiColumn) for c in table_class.base_columns.values())


# --- The definition ---------------------------------------------------------------------------------------


# A day of this century written YYYY-MM-DD: what the date filters and the as-of parameters accept.
DATE_SCHEMA = {"type": "string", "format": "date", "pattern": "^2[0-9]{3}-[0-9]{2}-[0-9]{2}$"}


def _parameter_schema(name: str, flt) -> dict:
    """The OpenAPI schema of one filter, as strict as the filter's form field checks it, so that every request
    the schema allows is one the list accepts (schemathesis checks both ways)."""
    field = flt.field
    if name == "region":
        return {"type": "string", "pattern": "^[0-9]{0,12}$"}
    if isinstance(field, forms.DateField):
        return DATE_SCHEMA
    if isinstance(field, forms.IntegerField):
        schema = {"type": "integer"}
        if field.min_value is not None:
            schema["minimum"] = field.min_value
        if field.max_value is not None:
            schema["maximum"] = field.max_value
        return schema
    if isinstance(field, forms.ChoiceField):
        return {"type": "string", "enum": [str(v) for v, _label in field.choices]}
    schema: dict = {"type": "string", "pattern": "^[^\\x00-\\x1f]*$"}
    if getattr(field, "max_length", None):
        schema["maxLength"] = field.max_length
    return schema


@dataclass
class ListDefinition:
    """One list: its scoped rows, filters and table; the page, API and export all read it.

    ``name`` ("community.volunteers") is the export's URL name and the audit row's ``what``; ``filename`` the
    stem of the file and ``testid`` the page's table's ``data-testid``, both by default the name's last part
    ("volunteers"); ``rows(user)`` the scoped, ordered queryset (a selector); ``capability`` what the page,
    API and export need."""

    name: str
    title: str
    rows: Callable[..., QuerySet]
    filterset: type[ListFilterSet]
    table: type[ListTable]
    filename: str = ""
    capability: str = Cap.DATA_VIEW
    testid: str = ""

    def __post_init__(self) -> None:
        short = self.name.rsplit(".", 1)[-1]
        self.filename = self.filename or short
        self.testid = self.testid or short
        LISTS[self.name] = self

    @property
    def has_pii(self) -> bool:
        return _has_pii(self.table)

    def filter(self, data, user, request=None) -> ListFilterSet:
        return self.filterset(data, queryset=self.rows(user=user), user=user, request=request)

    # The page -------------------------------------------------------------------------------------------

    def page(
        self, request, template: str = "includes/list_page.html", summary=None, **context
    ) -> HttpResponse:
        """The list page. ``summary(rows)`` (optional) adds figures of the filtered rows to the context (a
        total, counts per status)."""
        if not request.user.can(self.capability):
            raise PermissionDenied
        filters = self.filter(request.GET, request.user, request)
        rows = filters.qs if filters.is_valid() else filters.queryset.none()
        if self.table.page_fields:
            rows = rows.only(*self.table.page_fields)
        table = self.table(rows, ordered_count=self.table.count_in_order and not filters.searching())
        # The request's ordering, but not django-tables2's own pagination: paginate() below pages the table,
        # and paging it twice counted the rows twice (a capped COUNT of up to 10,001 rows per list view).
        tables.RequestConfig(request, paginate=False).configure(table)
        if self.testid:
            table.attrs["data-testid"] = self.testid
        sort = request.GET.get("sort", "")
        if sort and sort.lstrip("-") in table.columns.names() and table.columns[sort.lstrip("-")].orderable:
            table.order_by = sort
        paginate(table, request)
        carried = filters.carried()
        if summary is not None:
            context.update(summary(rows))
        context.update(
            {
                "definition": self,
                "title": self.title,
                "filters": filters,
                "table": table,
                "page_sizes": PAGE_SIZES,
                "per_page": table.paginator.per_page,
                "export_query": _query(carried),
                "can_export_clear": self.has_pii and may_see_clear(request.user),
            }
        )
        return render(request, template, context)

    # The API --------------------------------------------------------------------------------------------

    def api(self, request, serializer):
        """A page of the filtered rows in the API's page shape; a bad filter value is a 400 naming it."""

        filters = self.filter(request.query_params, request.user, request)
        if not filters.is_valid():
            if set(filters.errors) == {"region"}:
                # A division beside the jurisdiction: not found, as on every other list of the API.
                raise Http404
            raise ApiValidationError(filters.errors)
        paginator = Pagination()
        page = paginator.paginate_queryset(filters.qs, request)
        return paginator.get_paginated_response(serializer(page, many=True).data)

    def api_parameters(self) -> list:
        """The filters as OpenAPI query parameters, for ``@extend_schema(parameters=...)``."""

        base = self.filterset.base_filters
        names = [n for n in base if n != "region" or self.filterset.region_field]
        return [
            OpenApiParameter(n, _parameter_schema(n, base[n]), description=str(base[n].label or ""))
            for n in names
        ]

    # The export -----------------------------------------------------------------------------------------

    def export_rows(self, rows: QuerySet, *, clear: bool, progress=None, total: int = 0):
        """(columns, row iterator) of the export: the table's exportable columns, every row, streamed."""
        table = self.table(rows.none(), clear=clear)
        bound = [c for c in table.columns.iterall() if not c.column.exclude_from_export]
        columns = [
            Column(c.name, str(c.header), width=24 if isinstance(c.column, PiiColumn) else 16) for c in bound
        ]

        def generate():
            for index, record in enumerate(rows.iterator(chunk_size=EXPORT_CHUNK)):
                if progress and index % EXPORT_CHUNK == 0:
                    progress(index, total)
                row = BoundRow(record, table=table)
                yield [_cell(row.get_cell_value(c.name)) for c in bound]

        plan = _plain_plan(table, bound, rows) if table.plain_export else None
        if plan is None:
            return columns, generate()
        return columns, _plain_rows(rows, plan, progress, total)

    def write(
        self, handle, *, user, filters: ListFilterSet, clear: bool, purpose: str = "", progress=None
    ) -> int:
        """Write the workbook into ``handle``; the number of rows written."""
        rows = filters.qs
        total = rows.count()
        columns, data = self.export_rows(rows, clear=clear, progress=progress, total=total)
        about = [
            (_("List"), str(self.title)),
            *[(_("Filter: %(name)s") % {"name": label}, value) for label, value in filters.named()],
            (_("Rows"), str(total)),
            (_("Exported at"), timezone.localtime().strftime("%Y-%m-%d %H:%M")),
            (_("Exported by"), user.get_full_name() or user.get_username()),
            (
                _("ID numbers and phones"),
                _("in clear; purpose: %(purpose)s") % {"purpose": purpose} if clear else _("masked"),
            ),
        ]
        if not filters.named():
            about.insert(1, (_("Filters"), _("none: every row of the jurisdiction")))
        write_workbook(handle, str(self.title), columns, data, about=about)
        return total

    def file_name(self) -> str:
        return f"{self.filename}-{timezone.localdate():%Y%m%d}.xlsx"


# --- The plain export: values read as tuples ---------------------------------------------------------------
#
# The cell-by-cell path above builds a model instance per row and asks django-tables2 for each cell (accessor
# resolution, choice display, signature matching): two thirds of a large export's time. A table whose
# exportable columns are plain (``plain_export = True``: fields, their choice labels, dates, masked numbers)
# is read with ``values_list`` instead, each column converted as django-tables2 would; a column that needs
# the rows of a chunk at once (a person's categories) has a ``values_<name>(values)`` method on the table,
# one query per chunk. The workbooks of both paths are compared cell for cell (clients/tests).

EXPORT_CHUNK = 2000
_PLAIN_COLUMNS = (tables.Column, tables.DateColumn, PiiColumn)


def _plain_plan(table: ListTable, bound: list, rows: QuerySet) -> list | None:
    """(accessor, convert, per chunk) of each exportable column, or None if one is not plain."""
    plan = []
    for column in bound:
        name, accessor = column.name, str(column.accessor).replace(".", "__")
        batch = getattr(table, f"values_{name}", None)
        if batch is not None:
            plan.append((accessor, batch, True))
            continue
        dressed = hasattr(table, f"value_{name}") or hasattr(table, f"render_{name}")
        if type(column.column) not in _PLAIN_COLUMNS or (dressed and name not in table.plain_columns):
            return None
        try:
            field = _model_field(rows.model, accessor)
        except FieldDoesNotExist:
            if accessor not in rows.query.annotations:
                return None
            field = None
        plan.append((accessor, _plain_value(table, column, field), False))
    return plan


def _model_field(model, accessor: str):
    *path, last = accessor.split("__")
    for part in path:
        model = model._meta.get_field(part).related_model
    return model._meta.pk if last == "pk" else model._meta.get_field(last)


def _plain_value(table: ListTable, bound_column, field) -> Callable:
    """One column's export value from the stored one, as ``BoundRow.get_cell_value`` gives it."""
    column = bound_column.column
    labels = None
    if getattr(field, "choices", None):  # get_<field>_display, each label translated once
        labels = {key: force_str(label, strings_only=True) for key, label in make_hashable(field.flatchoices)}
    shown: dict = {}  # a date column's value for what is not a date (its default, "—"), rendered once

    def convert(value):
        if labels is not None:
            value = labels.get(make_hashable(value), value)
        if value in column.empty_values:
            return None
        if isinstance(column, PiiColumn):
            return column.render(value, table)
        if isinstance(column, tables.DateColumn):
            if isinstance(value, dt.date):
                return value.isoformat()
            if value not in shown:
                shown[value] = BoundRow(None, table=table)._call_value(bound_column, value)
            return shown[value]
        return value

    return convert


def _plain_rows(rows: QuerySet, plan: list, progress, total: int):
    accessors = [accessor for accessor, _convert, _batch in plan]
    values = rows.prefetch_related(None).values_list(*accessors).iterator(chunk_size=EXPORT_CHUNK)
    done = 0
    while chunk := list(islice(values, EXPORT_CHUNK)):
        if progress:
            progress(done, total)
        done += len(chunk)
        cells = []
        for index, (_accessor, convert, batch) in enumerate(plan):
            found = [row[index] for row in chunk]
            cells.append(convert(found) if batch else [convert(value) for value in found])
        for row in zip(*cells, strict=True):
            yield [_cell(value) for value in row]


def _cell(value):
    if value is None:
        return ""
    if isinstance(value, (str, int, float, dt.date)) or hasattr(value, "as_tuple"):
        return value
    return str(value)


def _query(params: dict) -> str:

    return urlencode(params)


def paginate(table: ListTable, request) -> None:
    """Page numbers and a page size from the query string (one of PAGE_SIZES); a page past the end is the
    last page."""
    try:
        per_page = int(request.GET.get("per_page", PAGE_SIZE))
    except ValueError:
        per_page = PAGE_SIZE
    per_page = per_page if per_page in PAGE_SIZES else PAGE_SIZE
    try:
        table.paginate(per_page=per_page, page=int(request.GET.get("page", 1)))
    except (EmptyPage, PageNotAnInteger, ValueError):
        table.paginate(per_page=per_page, page=1)
        if table.paginator.num_pages > 1:
            table.paginate(per_page=per_page, page=table.paginator.num_pages)


def definition_get(name: str) -> ListDefinition:
    """The list named ``name``; every domain's ``lists.py`` is imported first (a job has no URL conf)."""
    autodiscover_modules("lists")
    try:
        return LISTS[name]
    except KeyError:
        raise Http404 from None


# --- The one export path ----------------------------------------------------------------------------------


class BadFilters(Exception):
    """A filter value the export cannot use (only a hand-made address carries one: the page shows the
    errors on its fields). Answered as 400 with the fields and their messages."""

    def __init__(self, filters: ListFilterSet):
        self.filters = filters


def _exported_filters(request, definition: ListDefinition) -> ListFilterSet:
    """The filters an export was asked with: the form's on a POST (the clear export's purpose, a job's
    confirmation), the address's otherwise."""
    data = request.POST if request.method == "POST" else request.GET
    filters = definition.filter(data, request.user, request)
    if not filters.is_valid():
        raise BadFilters(filters)
    filters.qs  # noqa: B018 -- a region beside the jurisdiction is a 404 here, before any form is shown
    return filters


def _bad_filters(request, exc: BadFilters) -> HttpResponse:
    form = exc.filters.form
    message = "；".join(
        f"{form.fields[name].label}：{' '.join(errors)}" for name, errors in form.errors.items()
    )
    context = {"status": 400, "title": _("The filters are not valid"), "message": message}
    return render(request, "error.html", context, status=400)


def _file(
    definition: ListDefinition, user, filters, *, clear: bool, purpose: str = ""
) -> tuple[HttpResponse, int]:
    """At most EXPORT_NOW_ROWS rows: written to a temporary file, answered as an attachment (Django's own
    Content-Disposition, which names a Chinese file name correctly)."""
    with tempfile.TemporaryFile() as handle:
        rows = definition.write(handle, user=user, filters=filters, clear=clear, purpose=purpose)
        handle.seek(0)
        data = handle.read()
    disposition = content_disposition_header(True, definition.file_name())
    return HttpResponse(data, content_type=XLSX_MIME, headers={"Content-Disposition": disposition}), rows


def _start_job(request, definition: ListDefinition, filters, *, clear: bool, purpose: str = ""):

    params = {"list": definition.name, "filters": filters.carried(), "clear": clear, "purpose": purpose}
    title = _("%(list)s export") % {"list": definition.title}
    job = job_start(
        actor=request.user, kind="lists.export", title=title, params=params, remote_addr=client_ip(request)
    )
    return redirect("jobs:detail", job_id=job.pk)


def _large(definition: ListDefinition, filters, user) -> bool:
    return user.can(Cap.JOBS_USE) and filters.qs[: EXPORT_NOW_ROWS + 1].count() > EXPORT_NOW_ROWS


@never_cache
@require_http_methods(["GET", "POST"])
def export_view(request, name: str):
    """The filtered list as Excel, masked. A large one asks to run as a job (POST) and goes to its page."""

    if not request.user.is_authenticated:
        return redirect_to_login(request)
    definition = definition_get(name)
    if not request.user.can(definition.capability):
        raise PermissionDenied
    try:
        filters = _exported_filters(request, definition)
    except BadFilters as exc:
        return _bad_filters(request, exc)
    if _large(definition, filters, request.user):
        if request.method == "POST":
            return _start_job(request, definition, filters, clear=False)
        return render(
            request,
            "includes/export_job.html",
            {"definition": definition, "carry": filters.carried(), "limit": EXPORT_NOW_ROWS},
        )
    response, rows = _file(definition, request.user, filters, clear=False)
    detail = {"what": definition.name, "rows": rows, "clear_pii": False, "filters": dict(filters.named())}
    audit_event(event=Event.EXPORT, request=request, detail=detail)
    return response


@never_cache
@require_http_methods(["GET", "POST"])
def export_clear_view(request, name: str):
    """The same export with ID numbers and phones in clear: its own action, for roles that may see personal
    data, with a stated purpose written to the audit trail (lib/personal_data.py)."""
    if not request.user.is_authenticated:
        return redirect_to_login(request)
    definition = definition_get(name)
    if not definition.has_pii:
        raise Http404
    if not (request.user.can(definition.capability) and may_see_clear(request.user)):
        raise PermissionDenied
    try:
        filters = _exported_filters(request, definition)
    except BadFilters as exc:
        return _bad_filters(request, exc)
    form = ClearExportForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        purpose = form.cleaned_data["purpose"]
        if _large(definition, filters, request.user):
            return _start_job(request, definition, filters, clear=True, purpose=purpose)
        response, rows = _file(definition, request.user, filters, clear=True, purpose=purpose)
        audit_clear_export(
            user=request.user,
            request=request,
            what=definition.name,
            rows=rows,
            purpose=purpose,
            filters=dict(filters.named()),
        )
        return response
    heading = _("%(list)s: export with ID numbers and phones in clear") % {"list": definition.title}
    return clear_export_page(request, form, heading=heading, carry=filters.carried())


def redirect_to_login(request):

    return to_login(request.get_full_path())


def _register_job() -> None:

    @job_handler("lists.export", audit=Event.EXPORT, retry_safe=True)
    def list_export(job, progress) -> dict:
        """A large export of a list, as its owner filtered it; clear only if the owner may still see personal
        data (the role may have changed since the job was asked for)."""
        user = job.created_by
        definition = definition_get(job.params["list"])
        if not user.can(definition.capability):
            raise JobError(_("You may no longer see this list."))
        clear = bool(job.params.get("clear")) and may_see_clear(user)
        filters = definition.filter(job.params.get("filters", {}), user)
        if not filters.is_valid():
            raise JobError(_("The filters of this export are not valid."))
        purpose = job.params.get("purpose", "")
        with tempfile.TemporaryFile() as handle:
            rows = definition.write(
                handle, user=user, filters=filters, clear=clear, purpose=purpose, progress=progress
            )
            progress(rows, rows)
            handle.seek(0)
            job_output_store(job, name=definition.file_name(), source=handle)
        audit = {"what": definition.name, "clear_pii": clear, "filters": dict(filters.named())}
        if clear:
            audit["purpose"] = purpose
        return {
            "ok": True,
            "message": _("%(rows)d rows exported.") % {"rows": rows},
            "rows": rows,
            "audit": audit,
        }


_register_job()

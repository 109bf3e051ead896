"""Paging long lists without counting millions of rows.

A province's people list would otherwise run COUNT(*) over two million rows on every page view, just to print
the total and the number of pages. ``CappedPaginator`` counts at most ``cap`` rows (a LIMIT inside the
count, which the list's own index answers) and says when there are more; the exact totals of a region are
on its figures pages, which read the rollups."""

from django.core.paginator import Paginator
from django.db import connections
from django.db.models import Expression, F, QuerySet
from django.db.models.query import ModelIterable
from django.utils.functional import cached_property

LIST_CAP = 10_000


class CappedPaginator(Paginator):
    def __init__(
        self,
        object_list,
        per_page,
        *,
        cap: int | None = None,
        ordered_count: bool = True,
        known_count: int | None = None,
        **kwargs,
    ):
        super().__init__(object_list, per_page, **kwargs)
        self.cap = cap or LIST_CAP
        # Counting in the list's order lets PostgreSQL walk the list's index; a selective filter with an
        # index of its own (a name search) counts faster without the order.
        self.ordered_count = ordered_count
        # The list's exact size when the caller has it from a rollup (the visit ledger's summaries): no count.
        self.known_count = known_count

    @cached_property
    def count(self) -> int:
        return min(self._counted, self.cap)

    @cached_property
    def _counted(self) -> int:
        if self.known_count is not None:
            return self.known_count
        rows = self.object_list if self.ordered_count else self.object_list.order_by()
        # The joins of select_related only widen the rows; a count needs none of them.
        return rows.select_related(None)[: self.cap + 1].count()

    @property
    def capped(self) -> bool:
        """More rows than the cap: the list shows the first ``cap`` of them."""
        return self._counted > self.cap


# --- A page merged from the partitions' own ordered scans -------------------------------------------------

# Pages whose last row lies deeper than this are read by the plain query (the merge reads up to this many rows of
# each partition). The deepest page a list shows: at prefecture a county's page 200 of 50 merged in 139 ms where
# the plain query took 623 ms (page 20: 11 against 468 ms), 11 of its 108 facilities holding records.
MERGE_DEPTH = LIST_CAP


class _PartitionKey(Expression):
    """The key of the partition being read, inside the merge's LATERAL subquery (``merge_p.merge_key``)."""

    def as_sql(self, compiler, connection):
        quote = connection.ops.quote_name
        return f"{quote('merge_p')}.{quote('merge_key')}", []


class MergedPages(QuerySet):
    """A queryset whose page (a slice: the paginators', the API's, ``[:n]``) is read, on PostgreSQL, as the merge
    of its partitions' own ordered index scans rather than as a walk of the list's index.

    A county's service records newest first: PostgreSQL walked the index of every record newest first and kept
    the county's (a prefecture: a dozen records read for each one shown; a province ten times more). Here the
    page's ids are one statement: for each facility of the county, its own first
    ``offset + limit`` rows in the list's order (the index ``(station, -served_on, -id)``), and of all of them
    the page, in the same order; then the rows themselves by those ids, through the list's own query (every
    filter, the scope, ``only()`` and ``select_related`` kept). The same rows in the same order as the plain
    query whenever every row of the list lies in one of the partitions (``among``): the selector that merges
    says so by filtering the list to them. Anything else is the plain query: another database (SQLite has no
    LATERAL), another order (a sorted column), a page deeper than :data:`MERGE_DEPTH`, values(), distinct.
    The count is the plain one (``count()`` never reads the page)."""

    _merge: tuple[str, QuerySet] | None = None

    def _clone(self):
        clone = super()._clone()
        clone._merge = self._merge
        return clone

    def _fetch_all(self):
        if self._result_cache is None:
            ids = self._merged_ids()
            if ids is not None:
                self._result_cache = self._read(ids)
                self._prefetch_done = True
        super()._fetch_all()

    def _read(self, ids: list) -> list:
        if not ids:
            return []
        rows = self._chain()
        rows.query.clear_limits()
        return list(rows.filter(pk__in=ids))

    def _ordering(self) -> list[str] | None:
        """The order in force as field names (``-`` for descending), if it is a total one of plain names."""
        query = self.query
        if query.extra_order_by:
            return None
        ordering = list(query.order_by) if query.order_by else []
        if not ordering and query.default_ordering:
            ordering = list(self.model._meta.ordering or [])
        if not ordering or not all(isinstance(o, str) and o.lstrip("-") and o[0] != "?" for o in ordering):
            return None
        pk = self.model._meta.pk
        if not any(o.lstrip("-") in ("pk", pk.name, pk.attname) for o in ordering):
            return None  # not a total order: the plain query's own choice among equal rows
        if not query.standard_ordering:  # reverse(): the same names, each the other way
            ordering = [o[1:] if o.startswith("-") else f"-{o}" for o in ordering]
        return ordering

    def _merged_ids(self) -> list | None:
        """The ids of the page, in order, by the merge; None when the plain query reads it."""
        query = self.query
        connection = connections[self.db]
        if (
            self._merge is None
            or connection.vendor != "postgresql"
            or self._iterable_class is not ModelIterable
            or query.high_mark is None
            or query.high_mark > MERGE_DEPTH
            or query.is_empty()
            or query.combinator
            or query.distinct
            or query.group_by
            or query.select_for_update
        ):
            return None
        ordering = self._ordering()
        if ordering is None:
            return None
        by, among = self._merge
        low, high = query.low_mark, query.high_mark
        keys = {f"merge_{i}": F(o.lstrip("-")) for i, o in enumerate(ordering)}
        inner = self._chain()
        inner.query.clear_limits()
        inner.query.standard_ordering = True  # ``ordering`` is the one in force, reverse() included
        inner = (
            inner.filter(**{by: _PartitionKey(output_field=self.model._meta.get_field(by).target_field)})
            .order_by(*ordering)
            .values(merge_pk=F("pk"), **keys)[:high]
        )
        partitions = among.order_by().values(merge_key=F("pk")).distinct()  # each partition read once
        inner_sql, inner_params = inner.query.get_compiler(self.db).as_sql()
        outer_sql, outer_params = partitions.query.get_compiler(self.db).as_sql()
        quote = connection.ops.quote_name
        order = ", ".join(
            f"merge_r.{quote(key)} {'DESC' if o.startswith('-') else 'ASC'}"
            for key, o in zip(keys, ordering, strict=True)
        )
        sql = (
            f"SELECT merge_r.merge_pk FROM ({outer_sql}) merge_p CROSS JOIN LATERAL ({inner_sql}) merge_r "
            f"ORDER BY {order} LIMIT %s OFFSET %s"
        )
        with connection.cursor() as cursor:
            cursor.execute(sql, (*outer_params, *inner_params, high - low, low))
            return [row[0] for row in cursor.fetchall()]


def merged_pages(rows: QuerySet, by: str, among: QuerySet) -> QuerySet:
    """``rows`` (every one of them in one of the partitions ``among``, rows of the model ``by`` points to),
    whose pages are read as the merge of the partitions' ordered scans (:class:`MergedPages`). A queryset of a
    class of its own keeps its class and the plain query."""
    if type(rows) is not QuerySet:
        return rows
    merged = rows._chain()
    merged.__class__ = MergedPages
    merged._merge = (by, among)
    return merged

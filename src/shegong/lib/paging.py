"""Paging long lists without counting millions of rows.

A province's people list would otherwise run COUNT(*) over two million rows on every page view, just to print
the total and the number of pages. ``CappedPaginator`` counts at most ``cap`` rows (a LIMIT inside the
count, which the list's own index answers) and says when there are more; the exact totals of a region are
on its figures pages, which read the rollups."""

from django.core.paginator import Paginator
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

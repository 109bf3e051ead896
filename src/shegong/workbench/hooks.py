"""Slots on the worker's workbench that other parts fill in (follow-up tasks, drafts).

Each entry is a callable ``slot(user) -> dict | None`` returning
``{"key": str, "title": str, "count": int, "url": str, "items": [{"label": str, "url": str, "note": str}]}``
(``None`` to show nothing). The workbench renders every slot with ``workbench/_slot.html``, in order.

To wire the follow-up tasks and drafts in (the ``visits`` branch), append at import time, e.g. in that app's
``ready()``::

    from shegong.workbench.hooks import WORKER_SLOTS
    WORKER_SLOTS.append(followup_slot)   # built on followup_list(user=...)

A slot must cost a fixed number of queries (the workbench's query count is pinned by a test).
"""

WORKER_SLOTS: list = []
ADMIN_SLOTS: list = []

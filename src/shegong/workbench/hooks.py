"""Slots on the worker's workbench that other parts fill in (follow-up tasks, drafts).

Each entry is a callable ``slot(user) -> dict | None`` returning
``{"key": str, "title": str, "count": int, "url": str, "items": [{"label": str, "url": str, "note": str}]}``
(``None`` to show nothing). The workbench renders every slot with ``workbench/_slot.html``, in order.

The worker sees their follow-up tasks and unsaved forms; administrators their follow-up tasks. Both see the
facts of their scope still to be completed (certificate numbers a ledger lacked).
A slot must cost a fixed number of queries (the workbench's query count is pinned by a test).
"""

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from shegong.clients.selectors import draft_list, followup_list
from shegong.workforce.selectors import certificates_to_complete

SHOWN = 5  # items listed per slot; the count links to all of them


def shown_and_count(rows) -> tuple[list, int]:
    """The first SHOWN rows and how many there are: one query when they are SHOWN or fewer (nearly always),
    a count besides when there are more."""
    shown = list(rows[: SHOWN + 1])
    return shown[:SHOWN], (len(shown) if len(shown) <= SHOWN else rows.count())


def _slot(key: str, title: str, count: int, url: str, items: list) -> dict:
    """A slot as the workbench renders it (the shape above)."""
    return {"key": key, "title": title, "count": count, "url": url, "items": items}


def followup_slot(user) -> dict:
    """The worker's own open follow-up tasks (跟进事项), soonest due first: one query (two with more than
    SHOWN)."""
    tasks = followup_list(user=user).select_related(None).select_related("person")
    tasks, count = shown_and_count(tasks.only("task", "due_on", "person__name"))
    today = timezone.localdate()
    items = [
        {
            "label": f"{task.person.name}：{task.task}",
            "url": reverse("clients:person_detail", args=[task.person_id]),
            "note": _("due %(day)s") % {"day": f"{task.due_on:%Y-%m-%d}"}
            + ("" if task.due_on >= today else " · " + _("overdue")),
        }
        for task in tasks
    ]
    return _slot("followups", _("My follow-up tasks"), count, reverse("clients:followup_list"), items)


def draft_slot(user) -> dict:
    """Forms the user began and did not save (kept on the server as they typed): one query (two with more
    than SHOWN)."""
    drafts, count = shown_and_count(draft_list(user=user))
    items = [
        {
            "label": d.title or d.url,
            "url": d.url,
            "note": f"{timezone.localtime(d.updated_at):%Y-%m-%d %H:%M}",
        }
        for d in drafts
    ]
    return _slot("drafts", _("Unsaved forms"), count, reverse("workbench:me"), items)


def certificate_number_slot(user) -> dict | None:
    """Facts to be completed (issue 15.7): certificates recorded without their number, which a ledger lacked;
    nothing is shown when there are none. Two queries at most."""
    pending = certificates_to_complete(user=user)
    count = pending.count()
    if not count:
        return None
    items = [
        {
            "label": f"{c.worker.name}：{c.get_level_display()}（{c.year}）",
            "url": reverse("workforce:worker_detail", args=[c.worker_id]),
            "note": _("certificate number to be completed"),
        }
        for c in pending[:SHOWN]
    ]
    url = items[0]["url"] if count == 1 else reverse("workforce:worker_list")
    return _slot("certificate_numbers", _("Certificate numbers to complete"), count, url, items)


WORKER_SLOTS: list = [followup_slot, draft_slot, certificate_number_slot]
ADMIN_SLOTS: list = [followup_slot, certificate_number_slot]

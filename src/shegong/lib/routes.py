"""The routes of one kind of record, declared once.

A domain's pages for a record follow one plan: the list at ``prefix``, the create page at ``prefix new/``, one
record at ``prefix <int:pk>/``, its edit page at ``<int:pk>/edit/`` and each action on it (a POST) at
``<int:pk>/ACTION/``. The view of each is ``NOUN_PAGE`` in the views module and the route's name is the
same, so ``record_pages("agencies/", views_agencies, "agency")`` stands for ``agency_list``,
``agency_create``, ``agency_detail`` and ``agency_edit``. The API's records (``api_records``) follow the same
plan with the API's names: the plural for the list, the noun for one record."""

from django.urls import URLPattern, path

PAGES = {"list": "", "create": "new/", "detail": "<int:pk>/", "edit": "<int:pk>/edit/"}
ALL_PAGES = tuple(PAGES)


def _actions(prefix: str, views, noun: str, actions) -> list[URLPattern]:
    return [
        path(f"{prefix}<int:pk>/{action}/", getattr(views, f"{noun}_{action}"), name=f"{noun}_{action}")
        for action in actions
    ]


def record_pages(prefix: str, views, noun: str, pages=ALL_PAGES, actions=()) -> list[URLPattern]:
    """The pages of one kind of record (``pages``, a choice of list, create, detail and edit), then its
    ``actions``; views and names ``NOUN_PAGE`` and ``NOUN_ACTION``."""
    routes = [
        path(prefix + PAGES[page], getattr(views, f"{noun}_{page}"), name=f"{noun}_{page}") for page in pages
    ]
    return routes + _actions(prefix, views, noun, actions)


def api_records(prefix: str, api, noun: str, plural: str, actions=()) -> list[URLPattern]:
    """An API's list of one kind of record (``NOUN_list``, named ``plural``) and one record (``NOUN_detail``,
    named ``noun``), then its ``actions`` (``NOUN_ACTION``)."""
    return [
        path(prefix, getattr(api, f"{noun}_list"), name=plural),
        path(f"{prefix}<int:pk>/", getattr(api, f"{noun}_detail"), name=noun),
        *_actions(prefix, api, noun, actions),
    ]

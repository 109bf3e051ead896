"""The navigation menu: each entry names the capability it needs, so a role sees only what it may use."""

from functools import lru_cache

from django.core.signals import setting_changed
from django.template.loader import render_to_string
from django.urls import NoReverseMatch, get_script_prefix, get_urlconf, reverse
from django.utils.translation import get_language, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from shegong.accounts.roles import Cap, Role

MENU = [
    ("core:home", _("Workbench"), None),
    ("regions:index", _("Regions"), Cap.REGIONS_VIEW),
    ("regions:population_import", _("Population import"), Cap.REGIONS_EDIT),
    ("network:index", _("Network dashboard"), Cap.DATA_VIEW),
    ("network:facility_list", _("Facilities"), Cap.DATA_VIEW),
    ("network:checklist_list", _("Standards"), Cap.DATA_VIEW),
    ("network:target_list", _("Targets"), Cap.DATA_VIEW),
    ("workforce:worker_list", _("Workforce"), Cap.DATA_VIEW),
    ("workforce:stats_index", _("Talent statistics"), Cap.DATA_VIEW),
    ("clients:person_list", _("People served"), Cap.DATA_VIEW),
    ("clients:visit_ledger", _("Visit ledger"), Cap.DATA_VIEW),
    ("workbench:notice_list", _("Supervision notices"), Cap.DATA_VIEW),
    ("casework:service_list", _("Service records"), Cap.DATA_VIEW),
    ("casework:case_list", _("Cases"), Cap.DATA_VIEW),
    ("casework:figures", _("Casework figures"), Cap.DATA_VIEW),
    ("community:figures", _("Community figures"), Cap.DATA_VIEW),
    ("community:activity_list", _("Community activities"), Cap.DATA_VIEW),
    ("community:volunteer_list", _("Volunteers"), Cap.DATA_VIEW),
    ("community:organisation_list", _("Community organisations"), Cap.DATA_VIEW),
    ("community:project_list", _("Charitable resources"), Cap.DATA_VIEW),
    ("projects:project_list", _("Service projects"), Cap.DATA_VIEW),
    ("evaluations:evaluation_list", _("Evaluations"), Cap.DATA_VIEW),
    ("evaluations:round_list", _("Evaluation rounds"), Cap.DATA_VIEW),
    ("bulletins:bulletin_list", _("Monthly bulletins"), Cap.DATA_VIEW),
    ("hotline:ticket_list", _("Hotline tickets"), Cap.DATA_VIEW),
    ("hotline:deadlines", _("Hotline deadlines"), Cap.DATA_VIEW),
    ("importer:index", _("Bring your ledgers in"), Cap.DATA_EDIT),
    ("jobs:list", _("Background jobs"), Cap.JOBS_USE),
    ("accounts:list", _("Accounts"), Cap.ACCOUNTS_MANAGE),
    ("accounts:security", _("Security administration"), Cap.SECURITY_MANAGE),
    ("audit:list", _("Audit trail"), Cap.AUDIT_VIEW),
]

# A social worker's menu holds what a worker uses in the field and at the station (issue 16.6), not every page
# the role may open: the figures, the network, the workforce, projects, evaluations and bulletins stay
# reachable by their links and addresses (capabilities are unchanged), they are only out of the worker's way.
ROLE_MENU = {
    Role.WORKER: frozenset(
        {
            "core:home",
            "regions:index",
            "clients:person_list",
            "clients:visit_ledger",
            "workbench:notice_list",
            "casework:service_list",
            "casework:case_list",
            "community:activity_list",
            "community:volunteer_list",
            "hotline:ticket_list",
            "importer:index",
            "jobs:list",
        }
    ),
}

# Top-level dropdowns: the URL namespaces each gathers. A namespace not listed stands alone in the navbar.
GROUPS = {
    "regions": (_("Regions"), ("regions",)),
    "network": (_("Station network"), ("network",)),
    "workforce": (_("Workforce"), ("workforce",)),
    "services": (_("Services"), ("clients", "casework", "hotline", "workbench")),
    "community": (_("Five-society linkage"), ("community",)),
    "management": (_("Projects and evaluation"), ("projects", "evaluations", "bulletins")),
}
NAMESPACE_GROUP = {namespace: key for key, (_label, namespaces) in GROUPS.items() for namespace in namespaces}
# Entries shown in the user's own menu (right of the navbar) instead of the main one.
USER_MENU = {"jobs:list"}

# The phone's bottom bar: the worker's five places (工作台, 服务对象, 走访, 服务, 我的), each an entry of MENU (so
# the capability filtering above applies) except 我的, the account page every user has. A role that holds
# fewer than three of them (the three administrators of 三员分立) gets no bottom bar.
BOTTOM_BAR = [
    ("core:home", pgettext_lazy("bottom bar", "Workbench"), "home"),
    ("clients:person_list", pgettext_lazy("bottom bar", "People"), "people"),
    ("clients:visit_ledger", pgettext_lazy("bottom bar", "Visits"), "visits"),
    ("casework:service_list", pgettext_lazy("bottom bar", "Services"), "services"),
]
ME = ("workbench:me", pgettext_lazy("bottom bar", "Me"), "me")


def menu_tree(user, items: list[dict] | None = None) -> list[dict]:
    """The menu as the navbar shows it: single links, and dropdowns of the grouped namespaces
    (``items``: menu_for(user), when already built)."""
    tree: list[dict] = []
    groups: dict[str, dict] = {}
    for item in items if items is not None else menu_for(user):
        if item["name"] in USER_MENU:
            continue
        namespace = item["name"].split(":")[0]
        key = NAMESPACE_GROUP.get(namespace)
        if key is None:
            tree.append(item)
            continue
        if key not in groups:
            label, namespaces = GROUPS[key]
            groups[key] = {"label": label, "namespaces": namespaces, "children": []}
            tree.append(groups[key])
        groups[key]["children"].append(item)
    # A group with one entry is just that entry.
    return [
        entry["children"][0] if "children" in entry and len(entry["children"]) == 1 else entry
        for entry in tree
    ]


def user_menu(user, items: list[dict] | None = None) -> list[dict]:
    return [item for item in (items if items is not None else menu_for(user)) if item["name"] in USER_MENU]


def menu_for(user) -> list[dict]:
    """The entries the user's role may use, with their URLs. The same for every user of a role: built once
    per role (and URL configuration) in each process, a fresh copy of each entry per call."""
    capabilities = tuple(sorted({cap for _n, _l, cap in MENU if cap is not None and user.can(cap)}))
    built = _menu(capabilities, getattr(user, "role", ""), get_urlconf(), get_script_prefix())
    return [dict(item) for item in built]


@lru_cache(maxsize=64)
def _menu(capabilities: tuple[str, ...], role: str, urlconf, prefix: str) -> tuple[dict, ...]:
    items = []
    trimmed = ROLE_MENU.get(role)
    for name, label, cap in MENU:
        if cap is not None and cap not in capabilities:
            continue
        if trimmed is not None and name not in trimmed:
            continue
        try:
            url = reverse(name, urlconf=urlconf)
        except NoReverseMatch:
            # A page being removed or not yet mounted must not take every page down with a 500;
            # test_every_menu_entry_names_a_page keeps the table honest.
            continue
        items.append({"url": url, "label": label, "name": name})
    return tuple(items)


# Pages that belong to a place of the bottom bar besides its own page.
BAR_PLACES = {
    "visits": ("clients:visit_ledger", "clients:visit_create", "clients:visit_list"),
    "services": ("casework:",),
    "people": ("clients:",),
    "me": ("workbench:me", "jobs:", "accounts:password_change"),
}


def _bar_active(icon: str, name: str, view_name: str) -> bool:
    if view_name == name:
        return True
    if icon == "people" and any(view_name.startswith(p) for p in BAR_PLACES["visits"]):
        return False
    return any(view_name.startswith(prefix) for prefix in BAR_PLACES.get(icon, ()))


def bottom_bar(user, items: list[dict] | None = None, view_name: str = "") -> list[dict]:
    """The phone's bottom bar from the user's own menu (``items``: menu_for(user), when already built)."""
    allowed = {item["name"]: item for item in (items if items is not None else menu_for(user))}
    bar = [
        {
            "url": allowed[name]["url"],
            "label": label,
            "name": name,
            "icon": icon,
            "active": _bar_active(icon, name, view_name),
        }
        for name, label, icon in BOTTOM_BAR
        if name in allowed
    ]
    if len(bar) < 3:
        return []
    name, label, icon = ME
    bar.append(
        {
            "url": reverse(name),
            "label": label,
            "name": name,
            "icon": icon,
            "active": _bar_active(icon, name, view_name),
        }
    )
    return bar


def breadcrumb_for(user, view_name: str, items: list[dict] | None = None) -> list[dict]:
    """Breadcrumbs of a page, from the menu: 工作台 › the group › the menu entry of the page (or of its
    namespace's first entry). Pages with more depth add their own crumbs after these."""
    items = items if items is not None else menu_for(user)
    if not view_name or view_name == "core:home":
        return []
    crumbs = [{"label": _("Workbench"), "url": "/"}]
    namespace = view_name.split(":")[0]
    group = NAMESPACE_GROUP.get(namespace)
    if group is not None:
        crumbs.append({"label": GROUPS[group][0], "url": ""})
    exact = next((i for i in items if i["name"] == view_name), None)
    if exact is not None:
        crumbs.append({"label": exact["label"], "url": ""})
    else:
        first = _list_of(view_name, items) or next(
            (i for i in items if i["name"].split(":")[0] == namespace), None
        )
        if first is not None:
            crumbs.append({"label": first["label"], "url": first["url"]})
    return crumbs


def shell_for(user, view_name: str) -> dict:
    """The page shell's navigation for a user on a page: the menu and its tree, the user's own menu, the bottom
    bar, the breadcrumbs, the names a tab is marked active for, and the side menu and bottom bar as HTML. They
    depend on the role's capabilities and the page only, never on the user's own data, so each (role, page) is
    worked out and rendered once per process: every page paid about 3 ms for re-rendering the same forty
    links."""
    capabilities = tuple(sorted({cap for _n, _l, cap in MENU if cap is not None and user.can(cap)}))
    return _shell(
        capabilities, getattr(user, "role", ""), view_name, get_urlconf(), get_script_prefix(), get_language()
    )


@lru_cache(maxsize=4096)
def _shell(capabilities, role, view_name, urlconf, prefix, language) -> dict:
    menu = [dict(item) for item in _menu(capabilities, role, urlconf, prefix)]
    tree = menu_tree(None, menu)
    bar = bottom_bar(None, menu, view_name)
    namespace = view_name.split(":")[0] if view_name else ""
    return {
        "menu": menu,
        "menu_tree": tree,
        "user_menu": user_menu(None, menu),
        "bottom_bar": bar,
        "crumbs": breadcrumb_for(None, view_name, menu),
        # The names a sub-navigation tab (includes/tab.html) is marked active for: the page and the list of its
        # record, so a deliberation's form and page keep 议事协商 marked as its list does.
        "active_tabs": (view_name, list_name(view_name)) if view_name else (),
        "shell_menu": render_to_string(
            "includes/shell_menu.html", {"menu_tree": tree, "view_name": view_name, "namespace": namespace}
        ),
        "shell_bar": render_to_string("includes/shell_bar.html", {"bottom_bar": bar}),
    }


# Lists that are tabs of their domain's pages rather than menu entries, by the tab's name: a page of one of their
# records (``…_create``, ``…_detail``) names its list, not the domain's first menu entry (the figures).
TABS = {
    "community:deliberation_list": _("Deliberation"),
    "community:group_list": _("Group work"),
    "community:team_list": _("Volunteer teams"),
}


def list_name(view_name: str) -> str:
    """The list of the record a page ``NOUN_ACTION`` is of: ``NOUN_list`` (a list page is its own list)."""
    return view_name.rsplit("_", 1)[0] + "_list"


def _list_of(view_name: str, items: list[dict]) -> dict | None:
    """The list of the record a page ``NOUN_ACTION`` is of (``NOUN_list``): its menu entry, else its tab."""
    listed = list_name(view_name)
    entry = next((i for i in items if i["name"] == listed), None)
    if entry is None and listed in TABS:
        entry = {"label": TABS[listed], "url": reverse(listed)}
    return entry


def _forget_menus(*, setting, **kwargs) -> None:
    """A test that swaps the URL configuration (or the templates) gets menus built against the new one."""
    if setting in ("ROOT_URLCONF", "TEMPLATES"):
        _menu.cache_clear()
        _shell.cache_clear()


def _connect() -> None:
    setting_changed.connect(_forget_menus, dispatch_uid="shegong.navigation.menus")


_connect()

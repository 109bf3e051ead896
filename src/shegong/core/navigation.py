"""The navigation menu: each entry names the capability it needs, so a role sees only what it may use."""

from django.utils.translation import gettext_lazy as _

from shegong.accounts.roles import Cap

MENU = [
    ("core:home", _("Home"), None),
    ("regions:index", _("Regions"), Cap.REGIONS_VIEW),
    ("regions:population_import", _("Population import"), Cap.REGIONS_EDIT),
    ("network:index", _("Network dashboard"), Cap.DATA_VIEW),
    ("network:facility_list", _("Facilities"), Cap.DATA_VIEW),
    ("network:checklist_list", _("Standards"), Cap.DATA_VIEW),
    ("network:target_list", _("Targets"), Cap.DATA_VIEW),
    ("workforce:worker_list", _("Workforce"), Cap.DATA_VIEW),
    ("workforce:stats_index", _("Talent statistics"), Cap.DATA_VIEW),
    ("clients:person_list", _("People served"), Cap.DATA_VIEW),
    ("clients:visit_ledger", _("Visits due"), Cap.DATA_VIEW),
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


# Top-level dropdowns: the URL namespaces each gathers. A namespace not listed stands alone in the navbar.
GROUPS = {
    "regions": (_("Regions"), ("regions",)),
    "network": (_("Station network"), ("network",)),
    "workforce": (_("Workforce"), ("workforce",)),
    "services": (_("Services"), ("clients", "casework", "hotline")),
    "community": (_("Five-society linkage"), ("community",)),
    "management": (_("Projects and evaluation"), ("projects", "evaluations", "bulletins")),
}
NAMESPACE_GROUP = {namespace: key for key, (_label, namespaces) in GROUPS.items() for namespace in namespaces}
# Entries shown in the user's own menu (right of the navbar) instead of the main one.
USER_MENU = {"jobs:list"}


def menu_tree(user) -> list[dict]:
    """The menu as the navbar shows it: single links, and dropdowns of the grouped namespaces."""
    tree: list[dict] = []
    groups: dict[str, dict] = {}
    for item in menu_for(user):
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


def user_menu(user) -> list[dict]:
    return [item for item in menu_for(user) if item["name"] in USER_MENU]


def menu_for(user) -> list[dict]:
    from django.urls import NoReverseMatch, reverse

    items = []
    for name, label, cap in MENU:
        if cap is not None and not user.can(cap):
            continue
        try:
            url = reverse(name)
        except NoReverseMatch:
            # A page being removed or not yet mounted must not take every page down with a 500;
            # test_every_menu_entry_names_a_page keeps the table honest.
            continue
        items.append({"url": url, "label": label, "name": name})
    return items

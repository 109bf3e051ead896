"""The accounts list (账号管理, the system administrator's): filters and table, declared once and read by the page
and the export (lib/lists.py)."""

import django_filters as f
import django_tables2 as t
from django.db.models import Q
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from shegong.accounts.roles import Cap, Role
from shegong.accounts.selectors import account_list
from shegong.lib.lists import ListDefinition, ListFilterSet, ListTable


class AccountFilters(ListFilterSet):
    region_field = None  # the administrator sees every account; a code is searched in ``q``
    q = f.CharFilter(label=_("Username, name or division code"), method="search", max_length=100)
    role = f.ChoiceFilter(label=_("Role"), choices=Role.choices, empty_label=_("All roles"))

    def search(self, qs, name, value):
        return qs.filter(
            Q(username__icontains=value) | Q(full_name__icontains=value) | Q(jurisdiction_id=value)
        )


class AccountTable(ListTable):
    username = t.Column(_("Username"), linkify=("accounts:edit", [t.A("pk")]))
    full_name = t.Column(_("Full name"))
    role = t.Column(_("Role"))
    jurisdiction = t.Column(_("Jurisdiction"), accessor="jurisdiction_id", default=_("Whole country"))
    is_active = t.Column(_("Status"))
    last_login = t.DateTimeColumn(verbose_name=_("Last login"), format="Y-m-d H:i")

    def render_jurisdiction(self, value, record):
        return format_html('{} <span class="text-muted small">{}</span>', record.jurisdiction.name, value)

    def value_jurisdiction(self, value, record):
        return f"{record.jurisdiction.name} {value}"

    def render_is_active(self, value):
        return _("Active") if value else format_html('<span class="text-danger">{}</span>', _("Deactivated"))

    def value_is_active(self, value):
        return str(_("Active") if value else _("Deactivated"))


ACCOUNTS = ListDefinition(
    "accounts.accounts",
    _("Accounts"),
    account_list,
    AccountFilters,
    AccountTable,
    capability=Cap.ACCOUNTS_MANAGE,
)

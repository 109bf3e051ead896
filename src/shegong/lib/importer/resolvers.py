"""Names instead of codes: divisions, stations, agencies and social workers found by name inside the user's
jurisdiction, tolerant of the suffixes ledgers add or leave out (村委会, 社区居民委员会, 街道办事处, 社工站 ...).

A resolver takes the distinct texts of a column and answers, for each, the object, or a message: not found,
or ambiguous with the candidates listed. A text of digits is taken as a code where the object has one.
"""

import re
from collections import defaultdict

from django.utils.translation import gettext as _

from shegong.accounts.models import Role, User
from shegong.lib.importer.cleaning import narrow, squash
from shegong.lib.scoping import code_prefix_q, scope_to_user
from shegong.network.models import Facility
from shegong.regions.models import Region

# Suffix → the short form it stands for (村民委员会 is a 村, 街道办事处 a 街道, a station's suffix nothing).
SUFFIXES = {
    "社区居民委员会": "社区",
    "社区居委会": "社区",
    "居民委员会": "社区",
    "居委会": "社区",
    "村民委员会": "村",
    "村委会": "村",
    "街道办事处": "街道",
    "办事处": "",
    "人民政府": "",
    "社会工作服务站": "",
    "社会工作站": "",
    "社工服务站": "",
    "社工站": "",
    "服务站": "",
    "工作站": "",
    "社会工作服务中心": "",
    "服务中心": "",
    "指导中心": "",
}
TAILS = ("社区", "村", "街道", "镇", "乡", "居")


def name_keys(name: str) -> list[str]:
    """The keys a name is known by, most exact first: 黄草村民委员会 → 黄草村民委员会, 黄草村, 黄草."""
    text = re.sub(r"[（(][^）)]*[）)]", "", squash(name))
    keys = [squash(name)]
    core = text
    for suffix in sorted(SUFFIXES, key=len, reverse=True):
        if core.endswith(suffix) and len(core) > len(suffix):
            core = core[: -len(suffix)] + SUFFIXES[suffix]
            break
    keys.append(core)
    for tail in TAILS:
        if core.endswith(tail) and len(core) > len(tail) + 1:
            keys.append(core[: -len(tail)])
            break
    result = []
    for key in keys:
        if key and key not in result:
            result.append(key)
    return result


class NameIndex:
    """Objects by each of their name keys."""

    def __init__(self, objects, name=lambda o: o.name, label=str, code=None):
        self.by_key: dict[str, list] = defaultdict(list)
        self.by_code = {}
        self.label = label
        for obj in objects:
            for key in name_keys(name(obj)):
                if obj not in self.by_key[key]:
                    self.by_key[key].append(obj)
            if code is not None:
                self.by_code[code(obj)] = obj

    def find(self, text: str, within=None):
        """(object, None) or (None, message)."""
        plain = narrow(text).strip()
        if plain.isdigit() and self.by_code:
            found = self.by_code.get(plain)
            if found is not None:
                return found, None
            return None, _("no “%(text)s” in your jurisdiction") % {"text": text}
        for key in name_keys(plain):
            found = self.by_key.get(key, [])
            if within is not None:
                found = [o for o in found if within(o)]
            if len(found) == 1:
                return found[0], None
            if len(found) > 1:
                return None, _("“%(text)s” is ambiguous: %(candidates)s; write the full name or the code") % {
                    "text": text,
                    "candidates": "、".join(self.label(o) for o in found[:8]),
                }
        return None, _("no “%(text)s” in your jurisdiction") % {"text": text}


def _region_label(region) -> str:
    parent = getattr(region, "parent", None)
    return f"{region.name}（{parent.name if parent else ''} {region.code}）"


def regions(user, levels=(4, 5)) -> NameIndex:
    qs = Region.objects.filter(level__in=levels).select_related("parent")
    if user.jurisdiction_code:
        qs = qs.filter(code_prefix_q("code", user.jurisdiction_code))
    return NameIndex(qs, label=_region_label, code=lambda r: r.code)


def stations(user) -> NameIndex:
    qs = scope_to_user(Facility.objects.select_related("region"), user)
    return NameIndex(qs, label=lambda f: f"{f.name}（{f.region.name}）")


def accounts(user) -> NameIndex:
    """Accounts (social workers and staff) of the user's jurisdiction, by full name."""
    qs = User.objects.filter(is_active=True, role__in=[Role.WORKER, Role.ADMIN]).exclude(full_name="")
    if user.jurisdiction_code:
        qs = qs.filter(code_prefix_q("jurisdiction_id", user.jurisdiction_code))
    return NameIndex(
        qs.select_related("jurisdiction"),
        name=lambda u: u.full_name,
        label=lambda u: f"{u.full_name}（{u.username}，{u.jurisdiction.name if u.jurisdiction else ''}）",
    )


RESOLVERS = {
    "region": regions,
    "village": lambda user: regions(user, (5,)),
    "township": lambda user: regions(user, (4,)),
    "division": lambda user: regions(user, (3, 4, 5)),
    "area": lambda user: regions(user, (1, 2, 3, 4, 5)),
    "station": stations,
    "account": accounts,
}

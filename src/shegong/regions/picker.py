"""The one way a region is chosen on a page: a field whose posted value is the division code, shown as a
picker that cascades 省/市/县/乡/村 inside the user's jurisdiction and searches by name or pinyin initials.

Forms declare ``RegionField(levels=(Level.VILLAGE,))``; list filter bars include
``templates/regions/picker/filter.html``. The picker asks ``regions:pick`` (scoped to the user) for the
children of a region or for the regions matching what was typed; ``static/shegong/region-picker.js`` does
the rest. Without JavaScript nothing can be chosen, which the CSP-bound pages of this product accept."""

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from shegong.accounts.roles import Cap
from shegong.lib.escape import printable
from shegong.lib.forms import as_id
from shegong.lib.scoping import lineage, scope_to_user
from shegong.regions.models import CODE_LENGTHS, Level, Region
from shegong.regions.selectors import region_find

ALL_LEVELS = tuple(Level.values)
SEARCH_LIMIT = 30


def region_label(code: str) -> str:
    """How a chosen region reads in the picker: its names from the county down (兴义市 黄草街道 坝佑村), or
    from the top for a region above a county. Division names are public facts, so no scope is needed."""
    return region_labels([code]).get(code, "")


def region_labels(codes) -> dict[str, str]:
    """:func:`region_label` of each of ``codes``, with one query."""
    lineages = {code: chain for code in codes if (chain := lineage(code))}
    wanted = {c for chain in lineages.values() for c in chain}
    names = dict(Region.objects.filter(code__in=wanted).values_list("code", "name"))
    return {
        code: " ".join(names.get(c, c) for c in ([c for c in chain if len(c) >= 6] or chain))
        for code, chain in lineages.items()
    }


def breadcrumbs(regions, code: str) -> list[dict]:
    """The path down to ``code`` among ``regions`` (those the user may see), as the picker's crumbs show it."""
    names = dict(regions.filter(code__in=lineage(code)).values_list("code", "name"))
    return [{"code": c, "name": names[c]} for c in lineage(code) if c in names]


def picker_context(
    context: dict, *, url: str, label: str, placeholder, levels: str = "", under: str = ""
) -> dict:
    """The context of ``regions/picker/widget.html`` for a widget's ``context``: the search box asks ``url``
    (an endpoint answering with ``regions/picker/choices.html``) and shows ``label``; ``under``, when given, is
    where the box opens browsing once something is chosen (else the chosen code's parent)."""
    widget_attrs = context["widget"]["attrs"]
    widget_attrs["aria_label"] = widget_attrs.pop("aria-label", "")
    context["widget"].update(
        {
            "url": url,
            "levels": levels,
            "label": label,
            "placeholder": placeholder,
            "css": widget_attrs.pop("class", "form-control"),
            "under": under,
        }
    )
    return context


class RegionPicker(forms.Widget):
    """A hidden input holding the code and a search box showing the region's names."""

    template_name = "regions/picker/widget.html"

    def __init__(self, attrs=None, levels=ALL_LEVELS, placeholder=None):
        super().__init__(attrs)
        self.levels = tuple(levels)
        self.placeholder = placeholder

    def id_for_label(self, id_):
        return f"{id_}_picker" if id_ else id_

    def format_value(self, value):
        if isinstance(value, Region):
            return value.code
        return "" if value is None else str(value).strip()

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        code = context["widget"]["value"] or ""
        return picker_context(
            context,
            url=reverse("regions:pick"),
            levels=",".join(str(level) for level in self.levels),
            label=region_label(code) if code else "",
            placeholder=self.placeholder or _("Type a name or pinyin initials, or choose below"),
        )

    def render(self, name, value, attrs=None, renderer=None):
        return render_to_string(self.template_name, self.get_context(name, value, attrs))


class RegionField(forms.CharField):
    """The one region field: the division code chosen with the picker (digits only, of one of ``levels``).
    It cleans to the code; the view resolves it in the user's jurisdiction with ``regions.selectors.region_find``
    (or ``lib.scoping.region_field``), so services keep taking what they took."""

    default_error_messages = {
        "digits": _("A division code is digits only."),
        "level": _("Choose a %(levels)s."),
    }

    def __init__(self, *, levels=ALL_LEVELS, placeholder=None, **kwargs):
        self.levels = tuple(levels)
        kwargs.setdefault("max_length", 12)
        kwargs.setdefault("widget", RegionPicker(levels=self.levels, placeholder=placeholder))
        super().__init__(**kwargs)

    def clean(self, value):
        value = super().clean(value)
        value = (value or "").strip()
        if not value:
            return value
        if not (value.isascii() and value.isdigit()):
            raise forms.ValidationError(self.error_messages["digits"], code="digits")
        if len(value) not in {CODE_LENGTHS[Level(level)] for level in self.levels}:
            names = "、".join(str(Level(level).label) for level in self.levels)
            raise forms.ValidationError(self.error_messages["level"], code="level", params={"levels": names})
        return value


def region_chosen(
    *, user, data, field: str, capability: str = Cap.DATA_EDIT, levels=None, message=None
) -> Region:
    """The division a form's cleaned ``data`` names in ``field`` (``region_find``; an empty field is the user's
    jurisdiction). A division the user may not use is a ValidationError on that field, which ``lib.forms``
    shows beside it like the service's own errors; ``message`` may name the code (``%(code)s``)."""
    code = (data.get(field) or "").strip() or user.jurisdiction_code
    region = region_find(user=user, code=code, capability=capability, levels=levels)
    if region is None:
        message = message or gettext("No division with this code in your jurisdiction.")
        raise ValidationError({field: message % {"code": code} if "%(code)s" in message else message})
    return region


def parse_levels(raw: str) -> tuple[int, ...]:
    levels = tuple(level for level in (as_id(x) for x in (raw or "").split(",")) if level in ALL_LEVELS)
    return levels or ALL_LEVELS


def search_term(text: str | None) -> str:
    """What a picker searches for: the typed text trimmed to 30 characters, without control characters (a NUL
    put in the address would stop PostgreSQL, which holds none in a string)."""
    return printable((text or "").strip())[:30].strip()


def pick(*, user, term: str = "", under: str = "", levels=ALL_LEVELS) -> dict:
    """What the picker shows: the path down to ``under`` and its children, or the regions matching ``term``
    (name, pinyin initials or code prefix) — always inside the user's jurisdiction, never below the deepest
    level asked for. ``None``-safe for a national user (the provinces are the top)."""

    scoped = scope_to_user(Region.objects.all(), user, Cap.REGIONS_VIEW).filter(level__lte=max(levels))
    own = user.jurisdiction_code
    term = search_term(term)
    if term:
        q = Q(name__contains=term) | Q(initials__startswith=term.upper())
        if term.isascii() and term.isdigit():
            q |= Q(code__startswith=term)
        rows = list(scoped.filter(q).order_by("level", "code")[:SEARCH_LIMIT])
        crumbs = []
    else:
        current = scoped.filter(code=under).first() if under else None
        if current is None and own:
            rows = list(scoped.filter(code=own))
        elif current is None:
            rows = list(scoped.filter(level=Level.PROVINCE).order_by("code"))
        else:
            rows = list(scoped.filter(parent_id=current.code).order_by("code"))
        crumbs = breadcrumbs(scoped, current.code) if current is not None else []
    deepest = max(levels)
    with_children = set(
        Region.objects.filter(parent_id__in=[r.code for r in rows if r.level < deepest])
        .values_list("parent_id", flat=True)
        .distinct()
    )
    path_codes = {c for r in rows for c in lineage(r.code)[:-1] if len(c) >= len(own)}
    names = dict(Region.objects.filter(code__in=path_codes).values_list("code", "name"))
    labels = region_labels([r.code for r in rows])
    return {
        "term": term,
        "crumbs": crumbs,
        "rows": [
            {
                "code": r.code,
                "name": r.name,
                "level": r.level_label,
                # Found by a search, a row says where it lies; browsed, the crumbs above say it.
                "path": " ".join(names[c] for c in lineage(r.code)[:-1] if c in names and len(c) >= 6)
                if term
                else "",
                "label": labels.get(r.code, ""),
                "pickable": r.level in levels,
                "drillable": r.code in with_children,
            }
            for r in rows
        ],
    }

"""The one station chooser: a form's station field (社工站, centre or village room) offering
``selectors.station_choices``. A social worker or a county has a short list and keeps a plain select; over
PICKER_FROM stations (a prefecture has hundreds, a province thousands — megabytes of options on a phone) the
field is the region picker's search box over a hidden input holding the station's id. A field of several
stations (a ModelMultipleChoiceField, e.g. the stations a project covers) keeps its multi-select, or over
PICKER_FROM becomes the same box adding each station chosen as a removable chip, a hidden input of the field's
name. The form posts the same names and values either way, so the field judges them as before.

Forms call :func:`station_field`; the box asks ``network:station_pick``, which answers with the region
picker's markup (``templates/regions/picker/choices.html``), so ``static/shegong/region-picker.js`` serves both.
A form offering another list than ``station_choices`` (a case's referral targets, the stations a worker may be
posted to) names it with ``source``: the list registered under that name by :func:`station_list`, which the
endpoint answers from too, so the box never offers a station the form would refuse, nor one it would accept and
the box hide.
"""

from collections.abc import Callable
from typing import NamedTuple

from django import forms
from django.db.models import Q
from django.db.models.functions import Substr
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from shegong.accounts.roles import Cap
from shegong.lib.forms import ModelMultipleChoiceField, as_id
from shegong.lib.scoping import LEVEL_LENGTHS, code_prefix_q, scope_to_user
from shegong.network.models import TOWNSHIP_KINDS
from shegong.network.selectors import station_choices
from shegong.regions.models import Region
from shegong.regions.picker import (
    SEARCH_LIMIT,
    RegionPicker,
    breadcrumbs,
    picker_context,
    region_labels,
    search_term,
)

# Up to this many stations the field is a select; over it, the search box.
PICKER_FROM = 60
# The capabilities forms choose stations for; the picker's endpoint answers for these alone.
PICKER_CAPABILITIES = (Cap.DATA_EDIT, Cap.NETWORK_MANAGE)


class StationList(NamedTuple):
    """A list of stations a form offers: the capability its endpoint asks, and ``stations(user=, of=)``
    giving the queryset the form validates against and the division a browse opens at (``of``: the id of the
    record the list is for, e.g. a case, or None)."""

    capability: str
    stations: Callable


# The lists beyond station_choices, by name; each domain registers its own next to the form offering it.
STATION_LISTS: dict[str, StationList] = {}


def station_list(name: str, capability: str = Cap.DATA_EDIT):
    """Register ``stations(*, user, of) -> (queryset, division code)`` as the list ``name``."""

    def register(stations):
        STATION_LISTS[name] = StationList(capability, stations)
        return stations

    return register


def default_station(stations):
    """The user's own township station, the usual answer; else the first one they may use."""

    return stations.filter(kind__in=TOWNSHIP_KINDS).first() or stations.first()


def station_field(
    field, stations, *, capability: str = Cap.DATA_EDIT, source: str = "", of=None, default: bool = False
) -> None:
    """Make ``field`` (a ModelChoiceField, or a StationsField for several) the station chooser
    over ``stations`` — ``station_choices`` for ``capability``, or fewer of them; or the list registered as
    ``source`` (for record ``of``) — with the user's own township station chosen when ``default``."""
    multiple = isinstance(field, forms.ModelMultipleChoiceField)
    widget = StationSelect(
        attrs=field.widget.attrs, capability=capability, source=source, of=of, multiple=multiple
    )
    widget.is_required = field.required
    field.widget = widget
    field.queryset = stations  # also hands the choices to the widget
    if default:
        station = default_station(stations)
        field.initial = [station] if multiple else station


class StationsField(ModelMultipleChoiceField):
    """Several stations, for :func:`station_field` (an id no database row can have is refused by the base)."""


class StationSelect(forms.Select):
    """A select of the stations, or, over PICKER_FROM of them, the region picker's box over their id; with
    ``multiple``, a multi-select, or the box over a chip (a hidden input) for each station chosen."""

    def __init__(
        self, attrs=None, capability: str = Cap.DATA_EDIT, source: str = "", of=None, multiple: bool = False
    ):
        super().__init__(attrs)
        self.capability = capability
        self.source = source
        self.of = of
        self.allow_multiple_selected = multiple
        self._counted = None

    def value_from_datadict(self, data, files, name):
        if self.allow_multiple_selected:
            return forms.SelectMultiple.value_from_datadict(self, data, files, name)
        return super().value_from_datadict(data, files, name)

    def value_omitted_from_data(self, data, files, name):
        # A multi-select posts nothing when nothing is chosen, which is not leaving the field out.
        return False if self.allow_multiple_selected else super().value_omitted_from_data(data, files, name)

    def is_long(self) -> bool:
        queryset = getattr(self.choices, "queryset", None)
        if queryset is None:
            return False
        if self._counted is None or self._counted[0] is not queryset:
            self._counted = (queryset, queryset.count())
        return self._counted[1] > PICKER_FROM

    def id_for_label(self, id_, index="0"):
        return f"{id_}_picker" if id_ and self.is_long() else super().id_for_label(id_, index)

    def get_context(self, name, value, attrs):
        if not self.is_long():
            return super().get_context(name, value, attrs)
        context = forms.Widget.get_context(self, name, value, attrs)
        # The stations named, in the order given, leaving out any not in the list (as the field will).
        ids = [
            pk for pk in map(as_id, value if isinstance(value, list | tuple) else [value]) if pk is not None
        ]
        found = self.choices.queryset.in_bulk(ids)
        chosen = list(dict.fromkeys(found[pk] for pk in ids if pk in found))
        widget_attrs = context["widget"]["attrs"]
        # A text box, not a select, whatever class the form's layout gives a select.
        widget_attrs["class"] = widget_attrs.get("class", "form-control").replace(
            "form-select", "form-control"
        )
        widget_attrs.pop("size", None)
        last = chosen[-1] if chosen else None
        if self.allow_multiple_selected:
            context["widget"].update(value="", chips=[{"code": s.pk, "label": s.name} for s in chosen])
            placeholder = _("Type a name or pinyin initials to add a station")
        else:
            context["widget"]["value"] = last.pk if last else ""
            placeholder = _("Type a station, township or village name, or pinyin initials")
        return picker_context(
            context,
            url=self.url(),
            label="" if self.allow_multiple_selected or not last else last.name,
            placeholder=placeholder,
            under=last.region_id if last else "",
        )

    def url(self) -> str:
        if self.source:
            kwargs = {"source": self.source} | ({"of": self.of} if self.of is not None else {})
            return reverse("network:station_pick_from", kwargs=kwargs)
        if self.capability != Cap.DATA_EDIT:
            return reverse("network:station_pick", kwargs={"capability": self.capability})
        return reverse("network:station_pick")

    def render(self, name, value, attrs=None, renderer=None):
        if not self.is_long():
            return super().render(name, value, attrs, renderer)
        return render_to_string(RegionPicker.template_name, self.get_context(name, value, attrs))


def station_pick(
    *, user, capability: str = Cap.DATA_EDIT, source: str = "", of=None, term: str = "", under: str = ""
) -> dict:
    """What the station picker shows, as the region picker's choices: the stations matching ``term`` (by
    name, or by the name or pinyin initials of their division or of the one above it, e.g. a township's
    village rooms), at most SEARCH_LIMIT; or, browsing, the stations of division ``under`` (the user's
    jurisdiction when empty or outside it) and the divisions below it that hold stations. Never anything
    outside ``station_choices(user=user, capability=capability)``, or, given ``source``, outside that list
    (whose division then stands for the jurisdiction)."""
    if source:
        stations, own = STATION_LISTS[source].stations(user=user, of=of)
    else:
        stations, own = station_choices(user=user, capability=capability), user.jurisdiction_code
    term = search_term(term)
    if term:
        initials = term.upper()
        match = Q(name__contains=term)
        for division in ("region", "region__parent"):
            match |= Q(**{f"{division}__name__contains": term}) | Q(
                **{f"{division}__initials__startswith": initials}
            )
        found = stations.filter(match).order_by("region__level", "region_id", "kind", "name")[:SEARCH_LIMIT]
        return {"term": term, "crumbs": [], "rows": _station_rows(list(found), paths=True)}
    current = under if under.startswith(own) and under.isdigit() else own
    rows = _station_rows(list(stations.filter(region_id=current).order_by("kind", "name")), paths=False)
    below = next((n for n in LEVEL_LENGTHS if n > len(current)), None)
    if below:
        held = (
            stations.filter(code_prefix_q("region_id", current))
            .exclude(region_id=current)
            .order_by()
            .annotate(division=Substr("region_id", 1, below))
            .values("division")
        )
        rows += [
            {"code": r.code, "name": r.name, "label": r.name, "pickable": False}
            for r in Region.objects.filter(code__in=held).order_by("code")
        ]
    regions = scope_to_user(Region.objects.all(), user, Cap.REGIONS_VIEW)
    return {"term": "", "crumbs": breadcrumbs(regions, current) if current != own else [], "rows": rows}


def _station_rows(stations: list, *, paths: bool) -> list[dict]:
    """Choices.html's rows for ``stations``: chosen by id, shown by name (with their division's names when
    found by a search), opening at their division when the box is focused again."""
    labels = region_labels({s.region_id for s in stations}) if paths else {}
    return [
        {
            "code": s.pk,
            "name": s.name,
            "path": labels.get(s.region_id, ""),
            "label": s.name,
            "pickable": True,
            "under": s.region_id,
        }
        for s in stations
    ]

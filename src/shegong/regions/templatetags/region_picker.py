from django import template
from django.utils.translation import gettext as _

from shegong.regions.picker import ALL_LEVELS, RegionPicker

register = template.Library()


@register.simple_tag
def region_picker(
    name: str, value="", levels=ALL_LEVELS, placeholder=None, css: str = "form-control", id: str = ""
):
    """The region picker for a list's filter bar: ``{% region_picker "region" filters.region %}``; the bar
    submits the chosen division code under ``name`` as before."""
    if isinstance(levels, str):
        levels = tuple(int(x) for x in levels.split(",") if x)
    widget = RegionPicker(levels=levels, placeholder=placeholder or _("Region: name or pinyin initials"))
    attrs = {"id": id or f"id_filter_{name}", "class": css, "aria-label": _("Region")}
    return widget.render(name, value or "", attrs=attrs)

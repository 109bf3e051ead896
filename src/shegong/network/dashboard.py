"""What the dashboard shows besides the figures themselves: chart series and the Excel export of its table."""

from django.urls import reverse
from django.utils.translation import gettext as _

from shegong.lib.excel import Column, build_workbook
from shegong.network.coverage import Figures, NetworkFigures
from shegong.network.models import FacilityStatus, Kind
from shegong.regions.models import Level


def chart_data(figures: NetworkFigures) -> dict:
    """The series of the bar chart and the treemap, with the URL each child's bar or tile drills into.
    Children at village level have no dashboard of their own; their tiles open the facility list."""
    drill = figures.child_level is not None and figures.child_level < Level.VILLAGE
    # One reverse() for all children rather than one each (a township has up to a few hundred villages).
    if drill:
        sample_code = "0" * len(figures.children[0].code) if figures.children else "00"
        dashboard_url = reverse("network:dashboard", kwargs={"code": sample_code})
        head, tail = dashboard_url.rsplit(sample_code, 1)
    else:
        head, tail = reverse("network:facility_list") + "?region=", ""
    rows = []
    for child in figures.children:
        rows.append(
            {
                "code": child.code,
                "name": child.name,
                "url": f"{head}{child.code}{tail}",
                "coverage": child.township_coverage,
                "operating": child.operating_rate,
                "village": child.village_coverage,
                "stations": child.stations_built,
                "townships": child.townships,
                "covered": child.covered,
            }
        )
    return {
        "labels": {
            "coverage": _("Township coverage (%)"),
            "operating": _("Operating rate (%)"),
            "village": _("Village room coverage (%)"),
            "treemap": _("Built township stations"),
        },
        "rows": rows,
    }


def _row(figures: Figures) -> list:
    return [
        figures.code,
        figures.name,
        figures.townships,
        figures.covered,
        figures.township_coverage,
        figures.stations_built,
        figures.stations_operating,
        figures.operating_rate,
        figures.villages,
        figures.villages_with_room,
        figures.village_coverage,
        figures.total(),
        figures.assessed,
        figures.compliance_rate,
    ]


def figures_workbook(figures: NetworkFigures) -> bytes:
    columns = [
        Column("code", _("Division code"), kind="code", width=14),
        Column("name", _("Name"), width=22),
        Column("townships", _("Townships in scope"), kind="int", width=12),
        Column("covered", _("Townships covered"), kind="int", width=12),
        Column("coverage", _("Township coverage (%)"), width=12),
        Column("built", _("Stations built"), kind="int", width=12),
        Column("operating", _("Stations operating"), kind="int", width=12),
        Column("operating_rate", _("Operating rate (%)"), width=12),
        Column("villages", _("Villages in scope"), kind="int", width=12),
        Column("rooms", _("Villages with a room"), kind="int", width=12),
        Column("village_coverage", _("Village room coverage (%)"), width=12),
        Column("facilities", _("All facilities"), kind="int", width=12),
        Column("assessed", _("Assessed"), kind="int", width=10),
        Column("compliance", _("Fully compliant (%)"), width=12),
    ]
    rows = [_row(child) for child in figures.children]
    total = _row(figures.total)
    total[1] = _("Total: %(name)s") % {"name": figures.total.name or _("all")}
    rows.append(total)
    note = _(
        "Network figures counted from the registry on the day of export. Coverage counts in-scope townships "
        "with a station that is built, operating or suspended."
    )
    return build_workbook(_("Network"), columns, rows, note)


def count_table(figures: Figures) -> list[dict]:
    """Facilities by level (rows) and status (columns), for the dashboard's counts table."""

    return [
        {
            "kind": kind,
            "label": label,
            "cells": [(status, figures.count(kind, status)) for status in FacilityStatus.values],
            "total": figures.count(kind),
        }
        for kind, label in Kind.choices
    ]

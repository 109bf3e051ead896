"""Excel exports of community records. ID numbers and phones are always masked here; every export is
written to the audit trail by the view."""

from django.utils.translation import gettext as _

from shegong.lib.excel import Column, build_workbook


def export_volunteers(rows) -> bytes:
    columns = [
        Column("name", _("Full name")),
        Column("id", _("ID number"), width=22),
        Column("phone", _("Phone"), width=14),
        Column("region", _("Division code where registered"), kind="code"),
        Column("region_name", _("Registered in")),
        Column("station", _("Station"), width=24),
        Column("status", _("Status")),
        Column("points", _("Points balance"), kind="int"),
    ]
    data = [
        [
            v.name,
            v.id_number_masked,
            v.phone_masked,
            v.region_id,
            v.region.name,
            v.station.name if v.station else "",
            v.get_status_display(),
            v.points_balance,
        ]
        for v in rows
    ]
    return build_workbook(_("Volunteers"), columns, data)


def export_activities(rows) -> bytes:
    columns = [
        Column("no", _("Activity number"), kind="int"),
        Column("date", _("Date"), kind="date"),
        Column("title", _("Title"), width=30),
        Column("kind", _("Activity type")),
        Column("station", _("Station"), width=24),
        Column("place", _("Place")),
        Column("participants", _("Participants"), kind="int"),
        Column("beneficiaries", _("Beneficiaries"), kind="int"),
    ]
    data = [
        [
            a.pk,
            a.held_on,
            a.title,
            a.get_kind_display(),
            a.station.name,
            a.place,
            a.participants,
            a.beneficiaries,
        ]
        for a in rows
    ]
    return build_workbook(_("Community activities"), columns, data)


def export_hours(rows) -> bytes:
    columns = [
        Column("no", _("Activity number"), kind="int"),
        Column("date", _("Date"), kind="date"),
        Column("activity", _("Activity"), width=30),
        Column("name", _("Full name")),
        Column("id", _("ID number"), width=22),
        Column("hours", _("Hours")),
        Column("points", _("Points"), kind="int"),
    ]
    data = [
        [
            s.activity_id,
            s.activity.held_on,
            s.activity.title,
            s.volunteer.name,
            s.volunteer.id_number_masked,
            str(s.confirmed_hours),
            s.points,
        ]
        for s in rows
    ]
    return build_workbook(_("Volunteer hours"), columns, data)


def export_donations(rows) -> bytes:
    columns = [
        Column("date", _("Received on"), kind="date"),
        Column("station", _("Receiving station"), width=24),
        Column("donor", _("Donor"), width=20),
        Column("kind", _("Source")),
        Column("form", _("Form")),
        Column("value", _("Value (yuan)")),
        Column("items", _("Items"), width=20),
        Column("beneficiaries", _("Who benefited"), width=20),
    ]
    data = [
        [
            d.received_on,
            d.station.name,
            d.donor,
            d.get_donor_kind_display(),
            d.get_form_display(),
            float(d.value),
            d.items,
            d.beneficiaries,
        ]
        for d in rows
    ]
    return build_workbook(_("Donations"), columns, data)

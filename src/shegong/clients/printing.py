"""The paper forms a station keeps: a person's file (一人一档) and a visit record (走访记录表), as A4 PDF with
the signature lines the paper versions carry.

Fonts: the open CJK fonts embedded as subsets, as in the bulletin (lib/cjk_font.py ``register``: Noto Serif CJK
for the text, Noto Sans CJK for the headings), so that the paper reads the same on every reader and printer
(``pdffonts`` shows ``emb yes``). The subset must hold every character drawn, so the story is made twice: once
to collect its text, then with the fonts registered for that text. Protected values are printed masked for every role, as on screen (lib/personal_data.py); roles
without ``pii.view`` get the village only, not the street address. Each print is audited by the view.
"""

from django.utils import timezone
from django.utils.translation import gettext as _
from reportlab.lib import colors
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import KeepTogether, Paragraph, Spacer, Table, TableStyle

from shegong.casework.selectors import service_record_list
from shegong.clients import selectors
from shegong.clients.presenters import masked
from shegong.lib.cjk_font import register
from shegong.lib.escape import pdf_text
from shegong.lib.pdf import a4_pdf
from shegong.lib.personal_data import may_see_clear

WIDTH = 170  # mm of text on A4 with 20 mm margins
# The first pass (collecting the text) draws nothing, so any font ReportLab always has will do.
PROBE = {"serif": "Helvetica", "sans": "Helvetica"}


def _styles(fonts=PROBE):
    serif, sans = fonts["serif"], fonts["sans"]
    return {
        "title": ParagraphStyle(
            "title", fontName=sans, fontSize=18, leading=26, alignment=1, spaceAfter=2 * mm
        ),
        "sub": ParagraphStyle(
            "sub", fontName=serif, fontSize=9, leading=13, alignment=1, textColor=colors.grey
        ),
        "h": ParagraphStyle(
            "h", fontName=sans, fontSize=12, leading=18, spaceBefore=4 * mm, spaceAfter=2 * mm
        ),
        "cell": ParagraphStyle("cell", fontName=serif, fontSize=10, leading=14),
        "small": ParagraphStyle("small", fontName=serif, fontSize=8, leading=11, textColor=colors.grey),
    }


def _text(value) -> str:
    return "—" if value in (None, "") else str(value)


def _story_text(flowables) -> str:
    """Every character the story draws: paragraphs, table cells, kept-together blocks."""
    parts = []
    for flowable in flowables:
        if isinstance(flowable, Paragraph):
            parts.append(flowable.text)
        elif isinstance(flowable, Table):
            parts.append(_story_text(cell for row in flowable._cellvalues for cell in row))
        elif isinstance(flowable, KeepTogether):
            parts.append(_story_text(flowable._content))
    return "".join(parts)


def _grid(rows, widths, style, *, header: bool = False) -> Table:
    data = [[Paragraph(pdf_text(_text(cell)), style) for cell in row] for row in rows]
    table = Table(data, colWidths=[w * mm for w in widths], repeatRows=1 if header else 0)
    commands = [
        ("GRID", (0, 0), (-1, -1), 0.5, colors.black),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("TOPPADDING", (0, 0), (-1, -1), 3),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
    ]
    if header:
        commands.append(("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#EEEEEE")))
    table.setStyle(TableStyle(commands))
    return table


def _pairs(pairs, style) -> Table:
    """Label/value pairs two to a row, as paper forms lay them out."""
    rows = []
    for i in range(0, len(pairs), 2):
        row = []
        for label, value in pairs[i : i + 2]:
            row += [label, value]
        while len(row) < 4:
            row += [""]
        rows.append(row)
    table = _grid(rows, [25, 60, 25, 60], style)
    table.setStyle(
        TableStyle(
            [
                ("BACKGROUND", (0, 0), (0, -1), colors.HexColor("#F3F3F3")),
                ("BACKGROUND", (2, 0), (2, -1), colors.HexColor("#F3F3F3")),
            ]
        )
    )
    return table


def _signatures(labels, style) -> KeepTogether:
    """Signature lines: 签名 ____ 日期 ____ for each signer, as the paper forms have."""
    rows = [[f"{label}（签名）：", "", _("Date") + "：", "    年    月    日"] for label in labels]
    data = [[Paragraph(pdf_text(cell), style) for cell in row] for row in rows]
    table = Table(data, colWidths=[52 * mm, 52 * mm, 16 * mm, 50 * mm], rowHeights=12 * mm)
    table.setStyle(
        TableStyle(
            [
                ("LINEBELOW", (1, 0), (1, -1), 0.6, colors.black),
                ("LINEBELOW", (3, 0), (3, -1), 0.6, colors.black),
                ("VALIGN", (0, 0), (-1, -1), "BOTTOM"),
            ]
        )
    )
    return KeepTogether([table])


def _footer_text(user) -> str:
    return _("Printed by %(user)s on %(date)s") % {
        "user": str(user),
        "date": timezone.localtime().strftime("%Y-%m-%d %H:%M"),
    }


def _footer(user, font: str):
    printed = _footer_text(user)

    def draw(canvas, doc):
        canvas.saveState()
        canvas.setFont(font, 8)
        canvas.drawString(20 * mm, 10 * mm, _text(printed))
        canvas.drawRightString(190 * mm, 10 * mm, _("Page %(n)d") % {"n": doc.page})
        canvas.restoreState()

    return draw


def _render(make_story, user, title: str) -> bytes:
    """Make the story once to learn its characters, register the embedded subset fonts for them, make it again
    with those fonts and build the PDF."""
    text = _story_text(make_story(_styles())) + _footer_text(user) + _("Page %(n)d") + title
    fonts = {"serif": register("serif", text), "sans": register("sans", text)}
    return a4_pdf(
        make_story(_styles(fonts)),
        margins=(20, 20, 18, 18),
        on_page=_footer(user, fonts["serif"]),
        title=title,
        author="Shegong",
        initialFontName=fonts["serif"],
    )


def _address(person, user) -> str:
    place = f"{person.region.parent.name if person.region.parent_id else ''}{person.region.name}"
    if may_see_clear(user) and person.address:
        return f"{place} {person.address}"
    return place


def person_file_pdf(*, person, user) -> bytes:
    """一人一档: the file, household, recent visits and services, follow-up tasks, signature lines."""
    return _render(lambda s: _person_story(person, user, s), user, _("Person's file"))


def _person_story(person, user, s) -> list:
    shown = masked(person)
    story = [
        Paragraph(pdf_text(_("Person's file (one person, one file)")), s["title"]),
        Paragraph(pdf_text(_("File number %(n)s") % {"n": f"{person.pk:08d}"}), s["sub"]),
        Paragraph(pdf_text(_("Basic information")), s["h"]),
        _pairs(
            [
                (_("Name of the person"), person.name),
                (_("Sex"), person.get_sex_display()),
                (_("ID number"), shown["id_number"]),
                (_("Date of birth"), person.birth_date and person.birth_date.isoformat()),
                (_("Phone"), shown["phone"]),
                (_("Risk level"), person.get_risk_level_display()),
                (_("Address"), _address(person, user)),
                (_("Categories"), "、".join(c.name for c in person.categories.all())),
                (_("Care ability"), person.get_care_ability_display()),
                (_("Disability"), person.get_disability_display()),
                (_("Guardian"), person.guardian_name),
                (_("Guardian's phone"), shown["guardian_phone"] if person.guardian_name else ""),
                (_("Registered on"), person.registered_on.isoformat()),
                (_("Reason for the risk level"), person.risk_reason),
            ],
            s["cell"],
        ),
    ]
    household = list(selectors.household_list(user=user, person=person))
    story.append(Paragraph(pdf_text(_("Household")), s["h"]))
    rows = [[_("Name of the person"), _("Relation"), _("Lives in the household"), _("Note")]]
    rows += [
        [m.name, m.get_relation_display(), _("Yes") if m.lives_together else _("No"), m.note]
        for m in household
    ]
    if not household:
        rows.append([_("None on file."), "", "", ""])
    story.append(_grid(rows, [35, 30, 35, 70], s["cell"], header=True))

    visits = list(selectors.visit_list(user=user, person=person)[:10])
    story.append(Paragraph(pdf_text(_("Recent visits")), s["h"]))
    rows = [[_("Date of visit"), _("Mode"), _("Visitor"), _("Findings")]]
    rows += [
        [v.visited_on.isoformat(), v.get_mode_display(), str(v.visitor), v.findings or v.needs]
        for v in visits
    ]
    if not visits:
        rows.append([_("No visits yet."), "", "", ""])
    story.append(_grid(rows, [25, 22, 28, 95], s["cell"], header=True))

    records = list(service_record_list(user=user, person=person)[:10])
    story.append(Paragraph(pdf_text(_("Recent services")), s["h"]))
    rows = [[_("Date of service"), _("Service item"), _("Duration (minutes)"), _("Note")]]
    rows += [[r.served_on.isoformat(), r.item.name, r.duration_minutes, r.note] for r in records]
    if not records:
        rows.append([_("No service records."), "", "", ""])
    story.append(_grid(rows, [25, 50, 25, 70], s["cell"], header=True))

    tasks = list(selectors.followup_list(user=user, owner=False, person=person))
    if tasks:
        story.append(Paragraph(pdf_text(_("Open follow-up tasks")), s["h"]))
        rows = [[_("Follow-up task"), _("Owner"), _("Due on")]]
        rows += [[t.task, str(t.owner), t.due_on.isoformat()] for t in tasks]
        story.append(_grid(rows, [100, 40, 30], s["cell"], header=True))

    story += [
        Spacer(1, 8 * mm),
        _signatures([_("Person served or guardian"), _("Social worker"), _("Station head")], s["cell"]),
    ]
    return story


def visit_record_pdf(*, visit, user) -> bytes:
    """走访记录表: who, when, how; the checklist answers; findings and needs; follow-up; signature lines."""
    return _render(lambda s: _visit_story(visit, user, s), user, _("Visit record"))


def _visit_story(visit, user, s) -> list:
    person = visit.person
    shown = masked(person)
    story = [
        Paragraph(pdf_text(_("Visit record")), s["title"]),
        Paragraph(pdf_text(_("Record number %(n)s") % {"n": f"{visit.pk:08d}"}), s["sub"]),
        _pairs(
            [
                (_("Person served"), person.name),
                (_("ID number"), shown["id_number"]),
                (_("Address"), _address(person, user)),
                (_("Categories"), "、".join(c.name for c in person.categories.all())),
                (_("Date of visit"), visit.visited_on.isoformat()),
                (_("Mode"), visit.get_mode_display()),
                (_("Visitor"), str(visit.visitor)),
                (_("Next visit due"), visit.next_due and visit.next_due.isoformat()),
            ],
            s["cell"],
        ),
        Paragraph(pdf_text(_("Visit checklist")), s["h"]),
    ]
    answers = list(visit.answers.all())
    rows = [[_("Aspect checked"), _("Question"), _("Result of the check")]]
    rows += [[a.item.get_topic_display(), a.item.question, a.get_answer_display()] for a in answers]
    if not answers:
        rows.append(["", _("Not looked at"), ""])
    story.append(_grid(rows, [25, 105, 40], s["cell"], header=True))
    story.append(Paragraph(pdf_text(_("Findings")), s["h"]))
    story.append(_grid([[visit.findings]], [170], s["cell"]))
    story.append(Paragraph(pdf_text(_("Needs spotted")), s["h"]))
    story.append(_grid([[visit.needs]], [170], s["cell"]))
    tasks = list(visit.followups.all())
    story.append(Paragraph(pdf_text(_("Follow-up task")), s["h"]))
    rows = [[_("Follow-up task"), _("Owner"), _("Due on")]]
    rows += [[t.task, str(t.owner), t.due_on.isoformat()] for t in tasks]
    if not tasks:
        rows.append([_("None"), "", ""])
    story.append(_grid(rows, [100, 40, 30], s["cell"], header=True))
    photos = visit.photos.count()
    if photos:
        story.append(
            Paragraph(
                pdf_text(_("%(n)d photos kept with the record in the system.") % {"n": photos}), s["small"]
            )
        )
    story += [Spacer(1, 8 * mm), _signatures([_("Visitor"), _("Person served or family")], s["cell"])]
    return story

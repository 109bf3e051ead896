"""The workforce's ledgers through the one import engine (lib/importer): social workers, certificates,
agencies, trainings and attendance, as counties keep them (title rows, names of stations instead of codes,
本科 for 大学本科, dates as ledgers write them). Look-ups are made once for the whole file in ``prepare``
(workers by the lookup hash of the ID number, sessions by title and date), never per row; each row is written
through the workforce's services."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from shegong.accounts.roles import Cap
from shegong.lib.importer import Ledger, register
from shegong.lib.importer import columns as col
from shegong.lib.importer.cleaning import CellError, as_text, narrow
from shegong.lib.importer.common import before_update, errors_on
from shegong.lib.pii import by_lookup_hash, lookup_hash, parse_resident_id
from shegong.lib.scoping import scope_to_user
from shegong.workforce import services, services_agencies, services_training
from shegong.workforce.inputs import AGENCY, CERTIFICATE, WORKER
from shegong.workforce.models import (
    Agency,
    Assignment,
    Attendance,
    Certificate,
    CertLevel,
    Education,
    EmploymentType,
    Post,
    Rating,
    TrainingKind,
    TrainingSession,
    Worker,
)

NAME = ("姓名", "社工姓名", "人员姓名", "名字")


# What a ledger that only names workers (certificates, attendance) reads of them: no encrypted column, so no
# decryption of every worker's ID number and phone.
NAMED = ("id", "name", "region_id", "id_number_hash")


# WorkerLedger's columns: the headers ledgers write for them, and the spellings of their choices
EDUCATION = ("学历", "文化程度", "最高学历")
EDUCATION_WORDS = {
    Education.BACHELOR: ("本科", "大本", "学士"),
    Education.COLLEGE: ("专科", "大学专科", "高职"),
    Education.MASTER: ("研究生", "硕士", "硕士研究生"),
    Education.DOCTOR: ("博士", "博士研究生"),
    Education.SENIOR: ("高中", "中专", "职高", "技校"),
    Education.JUNIOR: ("初中", "初中及以下", "小学"),
}
EMPLOYMENT_TYPE = ("用工性质", "用工方式", "人员类别", "人员性质", "用工类型", "身份类别")
EMPLOYMENT_TYPE_WORDS = {
    EmploymentType.RESIDENT: ("驻站", "专职", "驻站社工"),
    EmploymentType.DISPATCHED: ("派遣", "劳务派遣"),
    EmploymentType.AGENCY: ("机构社工", "机构人员"),
    EmploymentType.PUBLIC_WELFARE: ("公益岗", "公益性岗位"),
    EmploymentType.COMMUNITY: ("社区工作者", "社工专干"),
    EmploymentType.OTHER: ("其他",),
}
POST = ("岗位", "职务", "岗位职务")
POST_WORDS = {Post.HEAD: ("站长", "负责人"), Post.SOCIAL_WORKER: ("社工",), Post.SUPERVISOR: ("督导",)}
STATION_WORDS = ("所在社工站", "社工站", "所属站点", "服务站点", "工作站点", "所在站点", "站点名称", "驻站")
JOINED_ON = ("入职时间", "入职日期", "到岗时间", "上岗时间", "参加工作时间", "入职")

# CertificateLedger's columns: the headers ledgers write for them, and the spellings of their choices
LEVEL = ("证书等级", "等级", "证书级别", "级别", "职业水平等级", "证书类别")
LEVEL_WORDS = {
    CertLevel.ASSISTANT: ("助理", "初级", "助理社工师"),
    CertLevel.INTERMEDIATE: ("中级", "社工师", "中级社会工作师"),
    CertLevel.SENIOR: ("高级", "高级社工师"),
}
OBTAINED_ON = ("取得时间", "取证时间", "发证日期", "发证时间", "获证时间", "取得日期", "签发日期")
YEAR = ("取得年份", "取证年份", "考试年份", "年度")
NUMBER = ("证书编号", "证书号", "证书号码", "管理号", "证书管理号")

# AgencyLedger's columns: the headers ledgers write for them, and the spellings of their choices
AGENCY_NAME = ("机构名称", "名称", "社工机构", "社会组织名称", "单位名称")
CREDIT_CODE = ("统一社会信用代码", "信用代码", "社会信用代码", "登记证号")
AUTHORITY = ("登记管理机关", "登记机关", "业务主管单位", "登记部门")
REGION = ("所在地", "所属区划", "登记地", "所在县（市、区）", "区划", "注册地")
REGISTERED_ON = ("成立日期", "登记日期", "成立时间", "注册时间", "登记时间")
RATING = ("评估等级", "等级", "社会组织评估等级")
RATING_WORDS = {Rating.A3: ("AAA", "3a"), Rating.A4: ("AAAA",), Rating.A5: ("AAAAA",)}
RATING_YEAR = ("评估年度", "评级年份", "评估年份")
LEGAL_REPRESENTATIVE = ("法定代表人", "法人", "法人代表")
STAFF_COUNT = ("员工人数", "从业人员", "人数", "工作人员数", "专职人员数")

# TrainingLedger's columns: the headers ledgers write for them, and the spellings of their choices
TITLE = ("培训名称", "培训主题", "培训内容", "名称", "主题", "培训班名称")
KIND = ("培训类型", "类型", "培训类别", "类别", "培训方式")
KIND_WORDS = {
    TrainingKind.PRE_SERVICE: ("岗前", "入职培训"),
    TrainingKind.ROTATION: ("轮训", "集中轮训"),
    TrainingKind.EXAM_PREP: ("考前辅导", "考前培训", "考试辅导"),
    TrainingKind.PRACTICE: ("实训", "实务实训"),
    TrainingKind.SUPERVISION: ("督导", "专业督导"),
}
ORGANISER = ("主办单位", "组织单位", "举办单位", "承办单位", "培训单位")
HELD_ON = ("培训日期", "培训时间", "日期", "时间", "举办时间")
HOURS = ("学时", "培训学时", "时长", "课时", "学时数")
ONLINE = ("是否线上", "线上", "培训形式", "形式")
ONLINE_CHOICES = [("1", gettext_lazy("Online")), ("0", gettext_lazy("In person"))]
ONLINE_WORDS = {"1": ("是", "网络", "线上培训"), "0": ("否", "线下", "现场", "集中")}
OUTSIDERS = ("其他参训人数", "外单位人数", "其他人员人数")
TRAINING_REGION = ("所属区划", "举办地", "地区", "县（市、区）", "乡镇（街道）")

# AttendanceLedger's columns: the headers ledgers write for them, and the spellings of their choices
ATTENDANCE_TITLE = ("培训名称", "培训主题", "培训班名称", "培训班", "培训")


def _workers_by_id(user, rows, only=None) -> dict:
    """Workers in the user's scope for the ID numbers of ``rows`` (one query per 5,000 numbers); ``only``
    the columns to read (all by default)."""
    numbers = {row.values["id_number"] for row in rows if row.values.get("id_number")}
    scoped = scope_to_user(Worker.objects.all(), user, Cap.DATA_EDIT)
    if only:
        scoped = scoped.only(*only)
    return by_lookup_hash(scoped, "id_number_hash", numbers)


def _check_name(row, worker) -> bool:
    """A mistyped ID number that happens to be another worker's would credit the wrong person."""
    name = row.values.get("name")
    if name and name.replace(" ", "") != worker.name.replace(" ", ""):
        row.error("name", _("the worker with this ID number is called %(name)s") % {"name": worker.name})
        return False
    return True


@register
class WorkerLedger(Ledger):
    key = "workforce.workers"
    title = gettext_lazy("Social workers")
    models = (Worker, Assignment)
    batch_size = 500  # new workers go in by bulk insert (write_many), a short transaction per batch
    note = gettext_lazy(
        "One row per worker. The ID number is checked (its last character is a check digit); sex and birth "
        "date come from it. A worker already registered (same ID number) is updated, never registered twice; "
        "a different station moves the worker there today. Name the station as in the station registry."
    )
    fields = [
        WORKER.column("name", NAME, label=gettext_lazy("Full name"), width=12),
        col.id_number(required=True),
        col.phone(),
        WORKER.column("education", EDUCATION, spellings=EDUCATION_WORDS),
        WORKER.column("major", ("专业", "所学专业"), width=14),
        WORKER.column("employment_type", EMPLOYMENT_TYPE, spellings=EMPLOYMENT_TYPE_WORDS),
        # Optional here: an empty cell takes the usual post (workforce/inputs.py).
        WORKER.column("post", POST, spellings=POST_WORDS, required=False, width=10),
        col.station(synonyms=STATION_WORDS),
        WORKER.column("joined_on", JOINED_ON),
        WORKER.column("note", ("备注",), width=20),
    ]

    def prepare(self, rows, ctx):
        today = services.today()
        candidates = [r for r in rows if not r.errors]
        existing = _workers_by_id(ctx.user, candidates)
        outside = {
            row.values["id_number"]
            for row in candidates
            if lookup_hash(row.values["id_number"]) not in existing
        }
        # Files kept outside the user's jurisdiction: one person has one file, which only its keepers change.
        taken = set(by_lookup_hash(Worker.objects.only("id_number_hash"), "id_number_hash", outside))
        seen: dict[str, int] = {}
        for row in candidates:
            v = row.values
            digest = lookup_hash(v["id_number"])
            if digest in seen:
                row.error("id_number", _("the same ID number is on row %(row)d") % {"row": seen[digest]})
                continue
            seen[digest] = row.number
            if digest in taken:
                row.error(
                    "id_number",
                    _("this person's file is kept outside your jurisdiction; ask its keepers to move them"),
                )
                continue
            v["worker"] = existing.get(digest)
            if v.get("joined_on") and v["joined_on"] > today:
                row.error("joined_on", _("The date is in the future."))
            facility = v.get("station")
            if facility is not None and facility.status not in services.STAFFABLE_STATUSES:
                row.error(
                    "station",
                    _(
                        "%(name)s is %(status)s; workers can be assigned only to stations being built or built."
                    )
                    % {"name": facility.name, "status": facility.get_status_display()},
                )
            if v.get("worker") is None and facility is None and ctx.user.jurisdiction is None:
                row.error("station", _("Choose a station or a division."))

    def fingerprint(self, row):
        values = dict(row.values)
        values.pop("worker", None)
        return "|".join(str(getattr(values.get(f.key), "pk", values.get(f.key)) or "") for f in self.fields)

    def write_many(self, rows, ctx):
        """New workers of a batch at once (bulk inserts); those already registered go through write()."""
        new = [row for row in rows if row.values.get("worker") is None]
        entries = [(self._values(row), row.values.get("station"), ctx.user.jurisdiction) for row in new]
        created = services.workers_register_many(actor=ctx.user, entries=entries) if entries else []
        return created, [row for row in rows if row.values.get("worker") is not None]

    def _values(self, row) -> dict:
        v = row.values
        values = col.entry(
            v,
            "name",
            "id_number",
            "employment_type",
            education="",
            major="",
            post=Post.SOCIAL_WORKER,
            note="",
        )
        if v.get("phone"):
            values["phone"] = v["phone"]
        if v.get("joined_on"):
            values["joined_on"] = v["joined_on"]
        resident = parse_resident_id(v["id_number"])
        values.update(birth_date=resident.birth_date, sex=resident.sex)
        return values

    def write(self, row, ctx):
        v = row.values
        values = self._values(row)
        if v.get("worker") is not None:
            before_update(ctx, Worker, [v["worker"].pk])
            before_update(ctx, Assignment, list(v["worker"].assignments.values_list("pk", flat=True)))
        return services.worker_import_save(
            actor=ctx.user,
            values=values,
            worker=v.get("worker"),
            facility=v.get("station"),
            region=ctx.user.jurisdiction,
        )


@register
class CertificateLedger(Ledger):
    key = "workforce.certificates"
    title = gettext_lazy("Certificates")
    models = (Certificate,)
    note = gettext_lazy(
        "One row per certificate of a registered worker, found by the ID number (the name, if given, must be "
        "the worker's). The date on the certificate, or the year if only that is known. Recording a level "
        "again corrects it. A certificate number not collected yet may be left empty: the certificate is "
        "recorded and the number stays on the workbench as a to-do until it is given (never made up)."
    )
    fields = [
        col.text("name", gettext_lazy("Full name"), NAME, 50, width=12),
        col.id_number(required=True),
        CERTIFICATE.column(
            "level", LEVEL, spellings=LEVEL_WORDS, label=gettext_lazy("Certificate level"), width=22
        ),
        col.date("obtained_on", gettext_lazy("Date obtained"), OBTAINED_ON),
        # Optional here: a row may give the date obtained instead of the year.
        CERTIFICATE.column("year", YEAR, required=False),
        # Optional here: a number not collected yet is a to-do on the workbench (workforce/inputs.py).
        CERTIFICATE.column("number", NUMBER, required=False, width=22),
    ]

    def prepare(self, rows, ctx):
        today = services.today()
        workers = _workers_by_id(ctx.user, [r for r in rows if not r.errors], only=NAMED)
        numbers: dict[str, int] = {}
        keys: dict[tuple, int] = {}
        for row in rows:
            if row.errors:
                continue
            v = row.values
            v["number"] = (v.get("number") or "").upper().replace(" ", "")  # empty: to be completed
            worker = workers.get(lookup_hash(v["id_number"]))
            if worker is None:
                row.error("id_number", _("no worker with this ID number in your jurisdiction"))
                continue
            if not _check_name(row, worker):
                continue
            v["worker"] = worker
            date = v.get("obtained_on")
            if date is not None:
                if date > today:
                    row.error("obtained_on", _("The date is in the future."))
                elif date.year < 2008:
                    row.error("obtained_on", _("The year should be between 2008 and this year."))
                v["year"] = date.year
            elif v.get("year") is None:
                row.error("obtained_on", _("Give the date obtained (or at least the year)."))
            elif v["year"] > today.year:
                row.error("year", _("The year should be between 2008 and this year."))
            if v["number"] and v["number"] in numbers:
                row.error(
                    "number",
                    _("the same certificate number is on row %(row)d") % {"row": numbers[v["number"]]},
                )
            if v["number"]:
                numbers.setdefault(v["number"], row.number)
            key = (worker.pk, v["level"])
            if key in keys:
                row.error(
                    "level",
                    _("this worker's certificate of this level is on row %(row)d") % {"row": keys[key]},
                )
            keys.setdefault(key, row.number)
        taken = dict(Certificate.objects.filter(number__in=list(numbers)).values_list("number", "worker_id"))
        for row in rows:
            worker = row.values.get("worker")
            owner = taken.get(row.values.get("number"))
            if not row.errors and worker is not None and owner is not None and owner != worker.pk:
                row.error("number", _("this certificate number is registered to another worker"))

    def fingerprint(self, row):
        v = row.values
        return (
            f"{v.get('id_number')}|{v.get('level')}|{v.get('year')}|{v.get('obtained_on')}|{v.get('number')}"
        )

    def _entry(self, row) -> dict:
        return col.entry(row.values, "worker", "level", "year", "number", obtained_on=None)

    def write_many(self, rows, ctx):
        """The batch through certificates_save_many; certificates on file are journaled first."""
        entries = [self._entry(row) for row in rows]
        levels = {(e["worker"].pk, e["level"]) for e in entries}
        on_file = Certificate.objects.filter(worker__in={e["worker"].pk for e in entries}).values_list(
            "pk", "worker_id", "level"
        )
        before_update(ctx, Certificate, [pk for pk, worker, level in on_file if (worker, level) in levels])
        created, _updated = services.certificates_save_many(actor=ctx.user, entries=entries)
        return created, []

    def write(self, row, ctx):
        v = row.values
        before_update(
            ctx,
            Certificate,
            Certificate.objects.filter(worker=v["worker"], level=v["level"]).values_list("pk", flat=True),
        )
        return [
            services.certificate_save(
                actor=ctx.user,
                worker=v["worker"],
                level=v["level"],
                year=v["year"],
                number=v["number"],
                obtained_on=v.get("obtained_on"),
            )
        ]


def _credit_code(value, ctx):
    try:
        return services_agencies.credit_code_clean(narrow(as_text(value)))
    except ValidationError as exc:
        raise CellError(exc.messages[0]) from exc


@register
class AgencyLedger(Ledger):
    key = "workforce.agencies"
    title = gettext_lazy("Social work agencies")
    models = (Agency,)
    note = gettext_lazy(
        "One row per social work agency, found again by its unified social credit code: an agency already "
        "registered is updated. The division where it is registered by name or code (your jurisdiction if "
        "left out)."
    )
    fields = [
        AGENCY.column("name", AGENCY_NAME, width=28),
        # A column of its own kind: the code read and checked by credit_code_clean, as on the page.
        col.column(
            "credit_code",
            AGENCY.limits("credit_code").label,
            CREDIT_CODE,
            required=True,
            clean=_credit_code,
            width=22,
        ),
        AGENCY.column("authority", AUTHORITY, width=20),
        col.division(REGION, gettext_lazy("Registered in")),
        AGENCY.column("registered_on", REGISTERED_ON),
        AGENCY.column("rating", RATING, spellings=RATING_WORDS, width=8),
        AGENCY.column("rating_year", RATING_YEAR),
        AGENCY.column("legal_representative", LEGAL_REPRESENTATIVE, width=10),
        AGENCY.column("contact_name", ("联系人", "负责人")),
        AGENCY.column("contact_phone", ("联系电话", "电话", "手机号", "联系方式")),
        AGENCY.column("staff_count", STAFF_COUNT, width=8),
        AGENCY.column("note", ("备注",), width=20),
    ]

    def prepare(self, rows, ctx):
        today = services.today()
        codes = {r.values["credit_code"] for r in rows if not r.errors}
        known = {a.credit_code: a for a in Agency.objects.filter(credit_code__in=codes)}
        seen: dict[str, int] = {}
        for row in rows:
            if row.errors:
                continue
            v = row.values
            if v["credit_code"] in seen:
                row.error(
                    "credit_code",
                    _("the same credit code is on row %(row)d") % {"row": seen[v["credit_code"]]},
                )
                continue
            seen[v["credit_code"]] = row.number
            agency = known.get(v["credit_code"])
            if agency is not None and not agency.region_id.startswith(ctx.user.jurisdiction_code):
                row.error("credit_code", _("An agency with this credit code is already registered."))
                continue
            v["agency"] = agency
            if v.get("region") is None:
                v["region"] = agency.region if agency is not None else ctx.user.jurisdiction
                if v["region"] is None:
                    row.error("region", _("is required"))
            if v.get("registered_on") and v["registered_on"] > today:
                row.error("registered_on", _("The date is in the future."))
            if v.get("rating") and not v.get("rating_year"):
                row.error("rating_year", _("Give the year of the rating."))
            if v.get("rating_year") and v["rating_year"] > today.year:
                row.error("rating_year", _("The year should be between 2000 and this year."))

    def fingerprint(self, row):
        values = {k: v for k, v in row.values.items() if k != "agency"}
        return "|".join(str(getattr(values.get(f.key), "pk", values.get(f.key)) or "") for f in self.fields)

    def _values(self, row) -> dict:
        v = row.values
        values = {
            key: v.get(key) or ("" if key not in ("registered_on", "rating_year", "staff_count") else None)
            for key in services_agencies.AGENCY_FIELDS
            if key != "credit_code"
        }
        values["credit_code"] = v["credit_code"]
        return values

    def write_many(self, rows, ctx):
        """The batch through agencies_save_many; agencies on file are journaled first."""
        before_update(ctx, Agency, [r.values["agency"].pk for r in rows if r.values.get("agency")])
        entries = [(row.values.get("agency"), row.values["region"], self._values(row)) for row in rows]
        created, _updated = services_agencies.agencies_save_many(actor=ctx.user, entries=entries)
        return created, []

    def write(self, row, ctx):
        v = row.values
        values = self._values(row)
        agency = v.get("agency")
        if agency is None:
            return [services_agencies.agency_create(actor=ctx.user, region=v["region"], values=values)]
        before_update(ctx, Agency, [agency.pk])
        services_agencies.agency_update(actor=ctx.user, agency=agency, values=values, region=v["region"])
        return []


@register
class TrainingLedger(Ledger):
    key = "workforce.trainings"
    title = gettext_lazy("Training sessions")
    models = (TrainingSession,)
    note = gettext_lazy(
        "One row per training session: title, type, organiser, date and hours. Its attendees go in the "
        "attendance ledger, which names the session by its title and date."
    )
    fields = [
        col.text("title", gettext_lazy("Title"), TITLE, 100, required=True, width=28),
        col.choice(
            "kind", gettext_lazy("Type"), TrainingKind.choices, KIND_WORDS, KIND, required=True, width=12
        ),
        col.text("organiser", gettext_lazy("Organiser"), ORGANISER, 100, required=True, width=20),
        col.date("held_on", gettext_lazy("Date"), HELD_ON, required=True),
        col.column("hours", gettext_lazy("Hours"), HOURS, kind="decimal", required=True, width=8),
        col.choice("online", gettext_lazy("Online"), ONLINE_CHOICES, ONLINE_WORDS, ONLINE, width=8),
        col.number("outsiders", gettext_lazy("Other participants (headcount)"), OUTSIDERS, 100_000),
        col.division(TRAINING_REGION),
        col.note(),
    ]

    def prepare(self, rows, ctx):
        titles = {r.values["title"] for r in rows if not r.errors}
        known = set(
            scope_to_user(TrainingSession.objects.all(), ctx.user, Cap.DATA_EDIT)
            .filter(title__in=titles)
            .values_list("region_id", "title", "held_on")
        )
        for row in rows:
            if row.errors:
                continue
            v = row.values
            if v.get("region") is None:
                v["region"] = ctx.user.jurisdiction
                if v["region"] is None:
                    row.error("region", _("is required"))
                    continue
            if (v["region"].code, v["title"], v["held_on"]) in known:
                row.error("title", _("this training on this date is already registered"))

    def _entry(self, row) -> dict:
        values = col.entry(
            row.values, "region", "title", "kind", "organiser", "held_on", "hours", outsiders=0, note=""
        )
        return {**values, "online": row.values.get("online") == "1"}

    def write_many(self, rows, ctx):
        return services_training.trainings_create_many(
            actor=ctx.user, entries=[self._entry(row) for row in rows]
        ), []

    def write(self, row, ctx):
        with errors_on(region_code="region"):
            return [services_training.training_create(actor=ctx.user, **self._entry(row))]


@register
class AttendanceLedger(Ledger):
    key = "workforce.attendance"
    title = gettext_lazy("Training attendance")
    models = (Attendance,)
    note = gettext_lazy(
        "One row per registered worker who attended a session: the session by its title and date (as "
        "registered), the worker by the ID number; the name, if given, must be the worker's."
    )
    fields = [
        col.text("title", gettext_lazy("Training session"), ATTENDANCE_TITLE, 100, required=True, width=28),
        col.date("held_on", gettext_lazy("Date"), ("培训日期", "培训时间", "日期", "时间"), required=True),
        col.text("name", gettext_lazy("Full name"), NAME, 50, width=12),
        col.id_number(required=True),
    ]

    def prepare(self, rows, ctx):
        good = [r for r in rows if not r.errors]
        workers = _workers_by_id(ctx.user, good, only=NAMED)
        titles = {r.values["title"] for r in good}
        sessions: dict[tuple, list] = {}
        for session in scope_to_user(TrainingSession.objects.all(), ctx.user, Cap.DATA_EDIT).filter(
            title__in=titles
        ):
            sessions.setdefault((session.title, session.held_on), []).append(session)
        attended = set(
            Attendance.objects.filter(
                session__in=[s for found in sessions.values() for s in found]
            ).values_list("session_id", "worker_id")
        )
        seen: dict[tuple, int] = {}
        for row in good:
            v = row.values
            found = sessions.get((v["title"], v["held_on"]), [])
            if not found:
                row.error(
                    "title",
                    _(
                        "no training “%(title)s” on %(date)s in your jurisdiction; import or add the session first"
                    )
                    % {"title": v["title"], "date": v["held_on"].isoformat()},
                )
            elif len(found) > 1:
                row.error(
                    "title",
                    _("several trainings “%(title)s” on %(date)s: %(regions)s")
                    % {
                        "title": v["title"],
                        "date": v["held_on"].isoformat(),
                        "regions": "、".join(s.region_id for s in found),
                    },
                )
            worker = workers.get(lookup_hash(v["id_number"]))
            if worker is None:
                row.error("id_number", _("no worker with this ID number in your jurisdiction"))
                continue
            if not _check_name(row, worker) or row.errors:
                continue
            v["session"], v["worker"] = found[0], worker
            key = (found[0].pk, worker.pk)
            if key in seen:
                row.error("", _("the same as row %(row)d") % {"row": seen[key]})
                continue
            seen[key] = row.number
            v["already"] = key in attended

    def fingerprint(self, row):
        v = row.values
        return f"{v.get('title')}|{v.get('held_on')}|{v.get('id_number')}"

    def write_many(self, rows, ctx):
        pairs = [(row.values["session"], row.values["worker"]) for row in rows]
        return services_training.attendances_add_many(actor=ctx.user, pairs=pairs), []

    def write(self, row, ctx):
        v = row.values
        attendance, created = services_training.attendance_add(
            actor=ctx.user, session=v["session"], worker=v["worker"]
        )
        return [attendance] if created else []

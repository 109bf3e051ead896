"""Inserting many new rows at once: PostgreSQL's COPY, Django's bulk_create elsewhere.

``bulk_create`` on PostgreSQL prepares every field of every object through the ORM and sends the rows as
arrays to unnest; for an import of 100,000 files of 35 columns that is as much time as the checks. COPY takes
the values as they are. The ids come from the table's own sequence first, so the objects get their primary
keys as with bulk_create. SQLite (the embedded, county-sized default) keeps bulk_create.
"""

from collections.abc import Iterable

from auditlog.cid import get_cid
from auditlog.context import auditlog_disabled, auditlog_value
from auditlog.diff import model_instance_diff
from auditlog.models import LogEntry
from auditlog.registry import auditlog
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.db import connection, models
from django.utils.encoding import smart_str

# Field classes whose attribute value psycopg writes as it is; any other field (an encrypted one, JSON, a
# date-time with auto_now, a subclass with its own get_prep_value) goes through the field's own preparation.
_AS_IS = (
    models.CharField,
    models.TextField,
    models.BooleanField,
    models.IntegerField,
    models.DateField,
    models.ForeignKey,
    models.AutoField,
    models.BigAutoField,
)


def _as_is(field: models.Field) -> bool:
    if isinstance(field, models.DateTimeField):  # a DateField subclass with its own preparation
        return False
    if isinstance(field, models.DateField) and (field.auto_now or field.auto_now_add):
        return False
    return type(field).get_prep_value in {klass.get_prep_value for klass in _AS_IS} and isinstance(
        field, _AS_IS
    )


def insert(model: type[models.Model], objects: list[models.Model]) -> None:
    """Insert ``objects`` (new, unsaved instances of ``model``) and set their primary keys. Sends no
    signals, as bulk_create sends none; the caller has checked the objects."""
    if not objects:
        return
    if connection.vendor != "postgresql":
        model.objects.bulk_create(objects)
        return
    meta = model._meta
    pk = meta.pk
    # A column the database computes (a GeneratedField) is written by no one.
    fields = [field for field in meta.concrete_fields if not field.generated]
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
            [meta.db_table, pk.column, len(objects)],
        )
        for obj, (key,) in zip(objects, cursor.fetchall(), strict=True):
            setattr(obj, pk.attname, key)
        plain = [(field.attname, None) if _as_is(field) else (None, field) for field in fields]
        columns = ", ".join(connection.ops.quote_name(field.column) for field in fields)
        with cursor.copy(f"COPY {connection.ops.quote_name(meta.db_table)} ({columns}) FROM STDIN") as copy:
            for obj in objects:
                copy.write_row(
                    [
                        getattr(obj, attname)
                        if field is None
                        else field.get_db_prep_save(field.pre_save(obj, True), connection)
                        for attname, field in plain
                    ]
                )
    for obj in objects:
        obj._state.adding = False
        obj._state.db = connection.alias


def update(model: type[models.Model], objects: list[models.Model], fields: list[str]) -> None:
    """Store ``fields`` of ``objects`` (rows on file of ``model``) in one prepared UPDATE run for all, which
    Django's bulk_update (one CASE per field and row) takes far longer to build. Sends no signals (as
    bulk_update); the caller has checked the objects and writes their audit rows (:func:`audit`)."""
    if not objects:
        return
    meta = model._meta
    columns = [meta.get_field(name) for name in fields]
    for field in columns:
        if getattr(field, "auto_now", False):
            raise ValueError(f"{field.name}: set auto_now fields explicitly")
    quote = connection.ops.quote_name
    sql = "UPDATE {} SET {} WHERE {} = %s".format(
        quote(meta.db_table),
        ", ".join(f"{quote(field.column)} = %s" for field in columns),
        quote(meta.pk.column),
    )
    params = [
        [field.get_db_prep_save(getattr(obj, field.attname), connection) for field in columns]
        + [meta.pk.get_db_prep_save(obj.pk, connection)]
        for obj in objects
    ]
    with connection.cursor() as cursor:
        cursor.executemany(sql, params)


def audit(objects: list[models.Model], *, olds: list | None = None, fields: list[str] | None = None) -> None:
    """The audit-trail rows (django-auditlog) that save() would have written for ``objects`` inserted with
    bulk_create / :func:`insert` (``olds`` None: "created") or changed with bulk_update (``olds``: each object
    as it was before, in the same order; ``fields``: the fields changed), which send no signals. Actor and
    address come from the request's or the job's auditlog context, as for save(); rows whose diff is empty
    are left out, as auditlog leaves them out. One insert for all."""
    if not objects:
        return
    model = type(objects[0])
    if auditlog_disabled.get() or not auditlog.contains(model):
        return
    context = auditlog_value.get({})
    actor = context.get("actor")
    if not isinstance(actor, get_user_model()):
        actor = None
    extra = {key: context[key] for key in ("remote_addr", "remote_port") if context.get(key) is not None}
    content_type = ContentType.objects.get_for_model(model)
    action = LogEntry.Action.CREATE if olds is None else LogEntry.Action.UPDATE
    json_changes = getattr(settings, "AUDITLOG_STORE_JSON_CHANGES", False)
    cid = get_cid()
    entries = []
    for number, obj in enumerate(objects):
        old = None if olds is None else olds[number]
        changes = model_instance_diff(old, obj, fields_to_check=fields, use_json_for_changes=json_changes)
        if not changes:
            continue
        entries.append(
            LogEntry(
                content_type=content_type,
                object_pk=smart_str(obj.pk),
                object_id=obj.pk if isinstance(obj.pk, int) else None,
                object_repr=smart_str(obj),
                serialized_data=LogEntry.objects._get_serialized_data_or_none(obj),
                action=action,
                changes=changes,
                cid=cid,
                actor=actor,
                actor_email=getattr(actor, "email", None) if actor is not None else None,
                **extra,
            )
        )
    LogEntry.objects.bulk_create(entries, batch_size=500)


def create_audited(model: type[models.Model], objects: list[models.Model]) -> list[models.Model]:
    """``bulk_create`` (500 rows a statement) with the audit rows save() would have written (:func:`audit`)."""
    model.objects.bulk_create(objects, batch_size=500)
    audit(objects)
    return objects


def checked(rows: Iterable[models.Model], **clean) -> list[models.Model]:
    """The new rows of a batch, each checked as it is made (``rows`` may be a generator): ``full_clean(**clean)``,
    ``exclude`` naming the rows the caller read already. The first that fails raises its ValidationError."""
    batch = []
    for row in rows:
        row.full_clean(**clean)
        batch.append(row)
    return batch


def create_checked(
    model: type[models.Model], rows: Iterable[models.Model], *, audited: bool = False, **clean
) -> list[models.Model]:
    """A ledger batch's one insert: every row :func:`checked` (one fails, nothing is written), then
    ``bulk_create`` (500 rows a statement), with the audit rows save() would have written when ``audited``."""
    batch = checked(rows, **clean)
    if audited:
        return create_audited(model, batch)
    return model.objects.bulk_create(batch, batch_size=500)

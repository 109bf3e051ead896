"""Inserting many new rows at once: PostgreSQL's COPY, Django's bulk_create elsewhere.

``bulk_create`` on PostgreSQL prepares every field of every object through the ORM and sends the rows as
arrays to unnest; for an import of 100,000 files of 35 columns that is as much time as the checks. COPY takes
the values as they are. The ids come from the table's own sequence first, so the objects get their primary
keys as with bulk_create. SQLite (the embedded, county-sized default) keeps bulk_create.
"""

from django.db import connection, models

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
    fields = list(meta.concrete_fields)
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

"""Database functions Django does not ship, each written for PostgreSQL and SQLite (the two databases we run)."""

from django.db import connection
from django.db.models import DateField, Func


class AddDays(Func):
    """A date plus a whole number of days, on PostgreSQL and SQLite (NULL when either is NULL)."""

    output_field = DateField()

    def as_postgresql(self, compiler, connection, **extra):
        return self.as_sql(compiler, connection, template="(%(expressions)s)", arg_joiner=" + ", **extra)

    def as_sqlite(self, compiler, connection, **extra):
        return self.as_sql(
            compiler, connection, template="date(%(expressions)s || ' days')", arg_joiner=", '+' || ", **extra
        )


def rows_differing(fresh: str, fresh_params, kept: str, kept_params=()) -> int:
    """How many rows of two SELECTs of the same columns differ, counted both ways (EXCEPT each way): a
    rollup's stored rows against a recount from the records, 0 when the rollup is current."""
    sql = (
        f"SELECT COUNT(*) FROM (SELECT * FROM ({fresh}) f EXCEPT SELECT * FROM ({kept}) s) a"
        f" UNION ALL SELECT COUNT(*) FROM (SELECT * FROM ({kept}) s EXCEPT SELECT * FROM ({fresh}) f) b"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [*fresh_params, *kept_params, *kept_params, *fresh_params])
        return sum(row[0] for row in cursor.fetchall())

"""Database functions Django does not ship, each written for PostgreSQL and SQLite (the two databases we run)."""

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

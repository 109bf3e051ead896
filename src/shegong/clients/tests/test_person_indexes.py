"""The people table carries the indexes its searches and lists use, and no more: every index is paid for on
each insert of a large import (migration 0006)."""

import pytest
from django.db import IntegrityError, connection, transaction

from shegong.clients.models import Person
from shegong.clients.tests.factories import make_person

pytestmark = pytest.mark.django_db


def _indexes() -> dict[str, dict]:
    with connection.cursor() as cursor:
        found = connection.introspection.get_constraints(cursor, Person._meta.db_table)
    return {name: info for name, info in found.items() if info["index"]}


def test_one_index_per_searched_column_and_none_on_the_region_alone():
    indexes = _indexes()
    by_columns: dict[tuple, list[str]] = {}
    for name, info in indexes.items():
        by_columns.setdefault(tuple(info["columns"]), []).append(name)
    for column in ("pinyin", "initials", "id_number_last4", "phone_hash", "phone_last4"):
        assert len(by_columns.get((column,), [])) == 1, (column, by_columns.get((column,)))
    # The ID number hash: the unique index of one file per ID number, and a plain one for lookups of many
    # hashes at once (a partial index cannot serve "IN (...)" of a long list).
    assert sorted(by_columns[("id_number_hash",)]) == [
        "clients_one_file_per_id_number",
        "clients_person_id_hash",
    ]
    assert indexes["clients_one_file_per_id_number"]["unique"]
    assert ("region_id",) not in by_columns
    assert ("region_id", "pinyin", "id") in by_columns
    assert ("region_id", "risk_level") in by_columns
    assert indexes["clients_person_risk_list"]["columns"] == ["risk_level", "region_id", "pinyin", "id"]
    if connection.vendor == "postgresql":
        # Fourteen besides the primary key: the three composites, the unique one, the six above, the creator's,
        # the name prefix, the responsible worker's (a worker's own people on the workbench and the visit
        # ledger, migration 0012) and the open files' next visit day (the ledger's order, migration 0018)
        # (before 0006 there were nineteen).
        assert any(info["columns"] == ["responsible_id"] for info in indexes.values())
        assert indexes["clients_person_due"]["columns"] == ["visit_due_on", "id"]
        assert len([n for n, info in indexes.items() if not info["primary_key"]]) == 14, sorted(indexes)


def test_the_database_still_refuses_a_second_file_for_an_id_number():
    person = make_person()
    twin = Person(name="某某", region_id=person.region_id, id_number_hash=person.id_number_hash)
    with pytest.raises(IntegrityError), transaction.atomic():
        Person.objects.bulk_create([twin])


def test_the_visit_list_reads_its_newest_page_from_an_index(users):
    """The visit list (page and API) orders by newest first: migration 0014's index serves that order, so a
    region's first page is not a sort of every visit in it (prefecture: 250 ms sorting 679,339 on disk)."""
    from shegong.clients import selectors
    from shegong.clients.models import Visit

    with connection.cursor() as cursor:
        found = connection.introspection.get_constraints(cursor, Visit._meta.db_table)
    assert found["clients_visit_newest"]["columns"] == ["visited_on", "id"]
    assert found["clients_visit_newest"]["orders"] == ["DESC", "DESC"]
    if connection.vendor == "postgresql":
        page = selectors.visit_list(user=users["county"])[:50]
        sql, params = page.query.sql_with_params()
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("SET LOCAL enable_sort = off")  # a plan that must sort says so at any price
            cursor.execute("EXPLAIN " + sql, params)
            plan = "\n".join(row[0] for row in cursor.fetchall())
        assert "clients_visit_newest" in plan and "Sort" not in plan, plan

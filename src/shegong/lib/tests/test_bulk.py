"""lib/bulk.insert writes new rows as the ORM would (COPY on PostgreSQL, bulk_create on SQLite)."""

import datetime as dt

import pytest
from django.db import connection
from django.utils import timezone

from shegong.clients.models import Category, Person
from shegong.lib import bulk
from shegong.lib.pii import lookup_hash
from shegong.regions.models import Region

pytestmark = pytest.mark.django_db

VILLAGE = "522301001001"


def test_insert_sets_keys_and_stores_what_the_orm_would_store():
    region = Region.objects.get(code=VILLAGE)
    before = timezone.now() - dt.timedelta(seconds=1)
    people = [
        Person(
            name=f"测试{n}",
            pinyin=f"ceshi{n}",
            region=region,
            id_number=f"52230119500101{n:03d}X",
            id_number_hash=lookup_hash(f"52230119500101{n:03d}X"),
            phone="13800000000" if n == 0 else "",
            birth_date=dt.date(1950, 1, 1),
            disability_grade=2 if n == 1 else None,
            note="一行\t带制表符\n和换行\\",
            visit_interval=30,
        )
        for n in range(3)
    ]
    bulk.insert(Person, people)

    assert all(p.pk for p in people) and len({p.pk for p in people}) == 3
    assert not people[0]._state.adding
    stored = {p.pk: p for p in Person.objects.filter(pk__in=[p.pk for p in people])}
    for person in people:
        again = stored[person.pk]
        assert (again.name, again.pinyin, again.region_id) == (person.name, person.pinyin, VILLAGE)
        assert again.id_number == person.id_number  # decrypted on read: it was stored as ciphertext
        assert again.note == "一行\t带制表符\n和换行\\"
        assert (again.birth_date, again.visit_interval, again.active) == (dt.date(1950, 1, 1), 30, True)
        assert again.created_at >= before and again.updated_at >= before
        assert again.registered_on == timezone.localdate()
    assert stored[people[0].pk].phone == "13800000000"
    assert stored[people[1].pk].disability_grade == 2
    with connection.cursor() as cursor:
        cursor.execute("SELECT id_number FROM clients_person WHERE id = %s", [people[0].pk])
        raw = cursor.fetchone()[0]
    assert raw and raw != people[0].id_number

    # The table's sequence moved past the keys taken: the next file saved the ordinary way gets a new one.
    later = Person.objects.create(name="后来", region=region)
    assert later.pk > max(p.pk for p in people)

    # Rows of a many-to-many table, whose objects hold nothing but keys.
    through = Person.categories.through
    category = Category.objects.first()
    bulk.insert(through, [through(person_id=p.pk, category_id=category.pk) for p in people])
    assert set(Person.objects.filter(categories=category).values_list("pk", flat=True)) == {
        p.pk for p in people
    }


def test_insert_of_nothing_writes_nothing():
    bulk.insert(Person, [])
    assert not Person.objects.exists()

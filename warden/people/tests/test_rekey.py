from __future__ import annotations

import pytest
from django.core.management import call_command
from django.db import connection

from warden.people import crypto
from warden.people.models import ContactPoint, Person
from warden.people.selectors import person_find
from warden.people.tests.helpers import EMAIL, contact, person

pytestmark = pytest.mark.django_db


def raw(table: str, column: str) -> str:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {column} FROM {table}")  # noqa: S608
        return str(cursor.fetchone()[0])


def test_rekey_moves_values_to_the_new_key_and_refreshes_lookups(settings):
    dana = person("Dana")
    contact(dana, "email", EMAIL)
    old_id = raw("people_person", "given_name").split("$")[0]

    new = crypto.new_key()
    settings.WARDEN_FIELD_ENCRYPTION_KEYS = [new, *settings.WARDEN_FIELD_ENCRYPTION_KEYS]
    settings.WARDEN_BLIND_INDEX_KEY = "a new blind index key"
    assert not person_find(channel="email", value=EMAIL).exists()
    call_command("people_rekey", stdout=None)

    assert raw("people_person", "given_name").split("$")[0] == crypto.key_id(
        crypto.parse_key(new)) != old_id  # fmt: skip
    assert list(person_find(channel="email", value=EMAIL)) == [dana]
    settings.WARDEN_FIELD_ENCRYPTION_KEYS = [new]
    assert Person.objects.get().given_name == "Dana"
    assert ContactPoint.objects.get().value == EMAIL

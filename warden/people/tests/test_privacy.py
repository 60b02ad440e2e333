"""The raw database holds no plain names, email addresses or phone numbers."""

from __future__ import annotations

import pytest
from django.db import connection

from warden.people.tests.helpers import contact, person, trip

pytestmark = pytest.mark.django_db

PEOPLE = [
    ("Dana", "Levi", "dana.levi@example.org", "+972 54 321 1234", "+972543211234"),
    ("Mehmet", "Yılmaz", "mehmet@example.com.tr", "+90 532 123 45 67", "+905321234567"),
    ("Noam", "Cohen", "NOAM.COHEN@example.net", "+44 7400 123456", "+447400123456"),
]
TABLES = [
    "people_person",
    "people_contactpoint",
    "people_trip",
    "people_organisation",
    "audit_auditevent",
]


def every_stored_text() -> str:
    """Every column of every row, as the database returns it, in one string."""
    texts: list[str] = []
    with connection.cursor() as cursor:
        for table in TABLES:
            cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")  # noqa: S608
            texts.extend(str(value) for row in cursor.fetchall() for value in row)
    return "\n".join(texts)


def test_no_plain_personal_data_reaches_the_database():
    for given, family, email, phone, _e164 in PEOPLE:
        someone = person(given, family)
        contact(someone, "email", email)
        contact(someone, "sms", phone)
        trip(someone, city_geonameid=745044)

    stored = every_stored_text()

    folded = stored.lower()
    # Ciphertext is base64: short secrets are compared case-sensitively (as a name would be
    # stored), long ones in any case, so that random ciphertext cannot match by chance.
    for given, family, email, phone, e164 in PEOPLE:
        for secret in (given, family):
            assert secret not in stored, secret
        for secret in (email, email.split("@")[0], phone, e164, e164[1:]):
            assert secret.lower() not in folded, secret
    assert "istanbul" in folded  # the test can see plain text where there is some

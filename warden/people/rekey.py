"""Re-encrypt personal data under the current key and recompute blind indexes.

Run after putting a new key first in ``FIELD_ENCRYPTION_KEYS`` or changing
``BLIND_INDEX_KEY`` (``warden people_rekey``); afterwards the old key may be removed.
"""

from __future__ import annotations

from django.db import transaction

from warden.audit.services import record
from warden.people.contacts import lookup_of
from warden.people.models import ContactPoint, Person

BATCH = 2000


def _people_batch(after: int) -> tuple[int, int]:
    people = list(Person.objects.filter(pk__gt=after).order_by("pk")[:BATCH])
    for person in people:
        Person.objects.filter(pk=person.pk).update(
            given_name=person.given_name, family_name=person.family_name
        )
    return (people[-1].pk if people else after), len(people)


def _contacts_batch(after: int) -> tuple[int, int]:
    points = list(ContactPoint.objects.filter(pk__gt=after).order_by("pk")[:BATCH])
    for point in points:
        ContactPoint.objects.filter(pk=point.pk).update(
            value=point.value, lookup=lookup_of(point.channel, point.value)
        )
    return (points[-1].pk if points else after), len(points)


def rekey() -> dict[str, int]:
    """Rewrite every encrypted value and blind index, one transaction per batch."""
    counts = {}
    for name, step in (("people", _people_batch), ("contact_points", _contacts_batch)):
        last, total = 0, 0
        while True:
            with transaction.atomic():
                last, done = step(last)
            total += done
            if done < BATCH:
                break
        counts[name] = total
    record(actor=None, action="people.rekey", after=counts)
    return counts

"""A model field whose value is encrypted in the database (see ``warden.people.crypto``)."""

from __future__ import annotations

from typing import Any

from django.db import models
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.models.expressions import Expression

from warden.people import crypto


class EncryptedTextField(models.TextField):
    """Text stored encrypted; reads give the plain text back.

    The ciphertext is bound to ``<app label>.<model>.<field>``, its *purpose*: code that
    writes rows in bulk (``warden.people.seeding``) encrypts with ``purpose_of(Model, name)``.
    Lookups other than ``isnull`` are meaningless on it: use a blind index for exact search.
    """

    description = "Encrypted text"

    def contribute_to_class(
        self, cls: type[models.Model], name: str, private_only: bool = False
    ) -> None:
        super().contribute_to_class(cls, name, private_only=private_only)
        self.purpose = f"{cls._meta.label_lower}.{name}"

    def from_db_value(
        self, value: str | None, expression: Expression, connection: BaseDatabaseWrapper
    ) -> str | None:
        if value is None:
            return None
        return crypto.decrypt(value, purpose=self.purpose)

    def get_prep_value(self, value: Any) -> Any:
        value = super().get_prep_value(value)
        if value is None:
            return None
        return crypto.encrypt(str(value), purpose=self.purpose)


def purpose_of(model: type[models.Model], name: str) -> str:
    field = model._meta.get_field(name)
    assert isinstance(field, EncryptedTextField)
    return field.purpose

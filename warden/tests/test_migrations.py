"""Every model change has its migration."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command


@pytest.mark.django_db
def test_no_migration_is_missing():
    out = StringIO()
    try:
        call_command("makemigrations", "--check", "--dry-run", stdout=out, stderr=out)
    except SystemExit:
        pytest.fail(f"Changes without a migration (run `warden makemigrations`):\n{out.getvalue()}")

    assert "No changes detected" in out.getvalue()

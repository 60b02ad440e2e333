"""Sent after a publication or withdrawal has been committed.

Receivers do work outside the database (re-rendering public snapshots, later: alerting);
they never change what was decided, and the worker repeats anything they miss.
"""

from __future__ import annotations

from django.dispatch import Signal

# kwargs: country_codes (list[str]) — the countries whose public pages changed.
publication_committed = Signal()

"""Imports: an organisation's roster (CSV) and itineraries (iCalendar).

Both validate the whole file first and write nothing unless every row is valid; then one
transaction writes everything through the services. Problems come back as an
``ImportReport`` listing each one with its row (or event), column (or property) and reason.
"""

from __future__ import annotations

from warden.people.imports.common import ImportReport, RowError, UnreadableFile
from warden.people.imports.itinerary import itinerary_import
from warden.people.imports.roster import ROSTER_COLUMNS, roster_import

__all__ = [
    "ROSTER_COLUMNS",
    "ImportReport",
    "RowError",
    "UnreadableFile",
    "itinerary_import",
    "roster_import",
]

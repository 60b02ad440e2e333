"""Welfare services: answers, check-in rounds and cases. Each writes its audit event."""

from warden.welfare.services.answers import (
    NOTE_MAX,
    answer_record,
    departure_record,
    latest_status,
    officer_answer_record,
)
from warden.welfare.services.cases import (
    case_assign,
    case_note_add,
    case_open,
    case_resolve,
    case_severity_set,
)
from warden.welfare.services.rounds import (
    RoundDetails,
    default_details,
    default_texts,
    round_close,
    round_open,
    round_open_for_edition,
)

__all__ = [
    "NOTE_MAX",
    "RoundDetails",
    "answer_record",
    "case_assign",
    "case_note_add",
    "case_open",
    "case_resolve",
    "case_severity_set",
    "default_details",
    "default_texts",
    "departure_record",
    "latest_status",
    "officer_answer_record",
    "round_close",
    "round_open",
    "round_open_for_edition",
]

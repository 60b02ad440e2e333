"""Alerting services: messages are created with what they announce; the worker sends them."""

from warden.alerting.services.messages import (
    MessageText,
    edition_texts,
    message_cancel,
    message_create,
    messages_for_edition,
    messages_for_statement,
    notify_by_default,
)

__all__ = [
    "MessageText",
    "edition_texts",
    "message_cancel",
    "message_create",
    "messages_for_edition",
    "messages_for_statement",
    "notify_by_default",
]

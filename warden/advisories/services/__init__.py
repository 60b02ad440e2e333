"""Writes for advisories. Import from here: ``from warden.advisories import services``."""

from warden.advisories.services.authorities import authority_create, default_authority
from warden.advisories.services.content import AreaContent, EditionContent, TextContent
from warden.advisories.services.editions import (
    TwoPersonRuleError,
    current_edition,
    edition_content,
    edition_draft,
    edition_publish,
    edition_return,
    edition_revise,
    edition_submit,
    edition_withdraw,
)
from warden.advisories.services.reviews import review_reminders_send
from warden.advisories.services.statements import (
    StatementContent,
    statement_draft,
    statement_publish,
    statement_return,
    statement_revise,
    statement_submit,
    statement_withdraw,
)

__all__ = [
    "AreaContent",
    "EditionContent",
    "StatementContent",
    "TextContent",
    "TwoPersonRuleError",
    "authority_create",
    "current_edition",
    "default_authority",
    "edition_content",
    "edition_draft",
    "edition_publish",
    "edition_return",
    "edition_revise",
    "edition_submit",
    "edition_withdraw",
    "review_reminders_send",
    "statement_draft",
    "statement_publish",
    "statement_return",
    "statement_revise",
    "statement_submit",
    "statement_withdraw",
]

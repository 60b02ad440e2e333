"""No double standard: staff are not ordered out of a country whose public advisory is
below level 3, unless a draft raising it is submitted in the same action.

What staff are told about a threat must also reach citizens when it applies to them, so
the advisory has to say at least "reconsider travel" by the time departure is ordered.
"""

from __future__ import annotations

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from warden.advisories import services as advisories
from warden.advisories.models import Edition, Status
from warden.advisories.rules import author_ids
from warden.missions.models import Post
from warden.missions.rules import MATCHING_LEVEL

PENDING = (Status.DRAFT, Status.RETURNED)


def published_level(post: Post) -> int | None:
    current = advisories.current_edition(post.country)
    return current.level if current is not None else None


def _refusal(post: Post) -> ValidationError:
    level = published_level(post)
    message = _(
        "No double standard: the public advisory for %(country)s is at level %(level)s. "
        "Ordering a departure needs level %(needed)s or higher, or a draft raising it "
        "submitted with this request."
    ) % {
        "country": post.country.local_name(),
        "level": level if level is not None else _("none"),
        "needed": MATCHING_LEVEL,
    }
    return ValidationError({"advisory": ValidationError(message, code="double_standard")})


def _check_draft(post: Post, edition: Edition) -> None:
    if edition.country_id != post.country_id or edition.is_exercise:
        raise ValidationError({"advisory": _("Choose a real edition for the post's country.")})
    if edition.level < MATCHING_LEVEL:
        raise ValidationError(
            {
                "advisory": _("The edition must raise the level to %(needed)s or higher.")
                % {"needed": MATCHING_LEVEL}
            }
        )
    if edition.status not in (*PENDING, Status.SUBMITTED, Status.PUBLISHED):
        raise ValidationError({"advisory": _("This edition can no longer be used.")})


def advisory_match(*, acting_user: User, post: Post, edition: Edition | None) -> Edition | None:
    """Check the rule at request time; submit ``edition`` if it is still a draft.

    Returns the edition that carries the matching level (None when the published advisory
    already does). Runs in the caller's transaction, so a refused order submits nothing.
    """
    if edition is not None:
        edition = Edition.objects.select_for_update().get(pk=edition.pk)
        _check_draft(post, edition)
        if edition.status in PENDING:
            if acting_user.pk not in author_ids(edition):
                raise ValidationError(
                    {"advisory": _("Submit only a draft you wrote; ask its author to submit it.")}
                )
            edition = advisories.edition_submit(acting_user=acting_user, edition=edition)
        return edition
    level = published_level(post)
    if level is None or level < MATCHING_LEVEL:
        raise _refusal(post)
    return None


def advisory_still_matches(post: Post, edition: Edition | None) -> None:
    """At approval: the published level, or the edition submitted with the request."""
    level = published_level(post)
    if level is not None and level >= MATCHING_LEVEL:
        return
    if edition is not None:
        edition.refresh_from_db()
        if edition.level >= MATCHING_LEVEL and edition.status in (
            Status.SUBMITTED,
            Status.PUBLISHED,
        ):
            return
    raise _refusal(post)

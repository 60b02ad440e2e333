"""Posts and the people posted there; the after-action report when a post is back to normal."""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from warden.accounts.roles import authorize
from warden.audit.services import record
from warden.geo.models import Country
from warden.missions import rules
from warden.missions.models import AfterActionReport, Post, PostStatus, StaffMember
from warden.people.models import Person

Category = StaffMember.Category


@dataclass(frozen=True)
class PostDetails:
    name: str
    kind: str
    country: str
    city: str
    latitude: float
    longitude: float
    names: dict[str, str] | None = None
    geonameid: int | None = None


def _post_problems(details: PostDetails) -> dict[str, str]:
    problems = {}
    if not details.name.strip():
        problems["name"] = _("Enter the post's name.")
    if details.kind not in Post.Kind.values:
        problems["kind"] = _("Choose embassy, consulate general, consulate or office.")
    if not Country.objects.filter(pk=details.country).exists():
        problems["country"] = _("Choose a country.")
    if not (-90 <= details.latitude <= 90 and -180 <= details.longitude <= 180):
        problems["latitude"] = _("The coordinates are out of range.")
    return problems


@transaction.atomic
def post_create(*, acting_user: User | None, details: PostDetails) -> Post:
    """Open a post; ``acting_user`` None is the system (the demo)."""
    if acting_user is not None:
        authorize(acting_user, "post.manage")
    problems = _post_problems(details)
    if problems:
        raise ValidationError(problems)
    post = Post.objects.create(
        name=details.name.strip(),
        names=details.names or {},
        kind=details.kind,
        country_id=details.country,
        city=details.city.strip(),
        geonameid=details.geonameid,
        latitude=details.latitude,
        longitude=details.longitude,
    )
    record(
        actor=acting_user,
        action="missions.post.create",
        obj=post,
        after={"kind": post.kind, "country": post.country_id, "geonameid": post.geonameid},
    )
    return post


@dataclass(frozen=True)
class StaffDetails:
    category: str
    role_title: str = ""
    is_emergency: bool = False
    family_of: StaffMember | None = None
    is_head_of_mission: bool = False
    on_committee: bool = False


def _staff_problems(post: Post, person: Person, details: StaffDetails) -> dict[str, str]:
    problems = {}
    if details.category not in Category.values:
        problems["category"] = _("Choose employee, family member or locally employed staff.")
    family = details.category == Category.FAMILY_MEMBER
    if family and (details.family_of is None or details.family_of.post_id != post.pk):
        problems["family_of"] = _("Name the employee at this post they are a family member of.")
    elif family and details.family_of and details.family_of.category != Category.EMPLOYEE:
        problems["family_of"] = _("Family members belong to an employee.")
    if details.is_emergency and details.category != Category.EMPLOYEE:
        problems["is_emergency"] = _("Only employees are emergency staff.")
    if details.is_head_of_mission and post.staff.filter(is_head_of_mission=True).exists():
        problems["is_head_of_mission"] = _("This post has a head of mission already.")
    if post.staff.filter(person=person).exists():
        problems["person"] = _("This person is on the post's staff already.")
    return problems


@transaction.atomic
def staff_add(
    *, acting_user: User | None, post: Post, person: Person, details: StaffDetails
) -> StaffMember:
    """Add an employee, family member or locally employed staff member to a post."""
    if acting_user is not None:
        authorize(acting_user, "post.manage")
    problems = _staff_problems(post, person, details)
    if problems:
        raise ValidationError(problems)
    member = StaffMember.objects.create(
        post=post,
        person=person,
        category=details.category,
        role_title=details.role_title.strip(),
        is_emergency=details.is_emergency,
        family_of=details.family_of if details.category == Category.FAMILY_MEMBER else None,
        is_head_of_mission=details.is_head_of_mission,
        on_committee=details.on_committee,
    )
    record(
        actor=acting_user,
        action="missions.staff.add",
        obj=member,
        after={
            "post": post.pk,
            "person": person.pk,
            "category": member.category,
            "emergency": member.is_emergency,
            "family_of": member.family_of_id,
        },
    )
    return member


def report_due(post: Post) -> bool:
    """A post back to normal after a drawdown owes an after-action report on that return."""
    decision = post.current_decision
    return (
        post.status == PostStatus.NORMAL
        and decision is not None
        and decision.from_status in (*rules.DEPARTED, PostStatus.RESUMING)
        and not AfterActionReport.objects.filter(decision=decision).exists()
    )


@transaction.atomic
def after_action_report_write(
    *, acting_user: User, post: Post, summary: str, went_well: str = "", to_improve: str = ""
) -> AfterActionReport:
    authorize(acting_user, "post.report")
    post = Post.objects.select_for_update().get(pk=post.pk)
    if not report_due(post) or post.current_decision is None:
        raise ValidationError(
            _("An after-action report is written once a post is back to normal after a drawdown.")
        )
    if not summary.strip():
        raise ValidationError({"summary": _("Say what happened.")})
    report = AfterActionReport.objects.create(
        post=post,
        decision=post.current_decision,
        summary=summary.strip(),
        went_well=went_well.strip(),
        to_improve=to_improve.strip(),
        author=acting_user,
    )
    record(
        actor=acting_user,
        action="missions.report.write",
        obj=report,
        after={"post": post.pk, "decision": report.decision_id},
    )
    return report

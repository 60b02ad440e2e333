"""Atom feeds: all changes, per country, and the index of current CAP alerts."""

from __future__ import annotations

import calendar
from datetime import UTC, datetime
from typing import Any

import feedparser
import pytest
from django.conf import settings
from django.contrib.auth.models import User
from django.test import Client

from warden.advisories import services
from warden.advisories.models import Edition
from warden.geo.models import Country
from warden.site.cap import cap_time
from warden.site.tests.test_cap import checked, publish_exercise, publish_statement
from warden.test import publish

pytestmark = pytest.mark.django_db

SITE = settings.SITE_URL
CAP = f"{SITE}/cap"
FEEDS = ["/feeds/advisories.atom", "/feeds/tr.atom", "/cap/feed.atom"]


@pytest.fixture
def client() -> Client:
    return Client()


@pytest.fixture
def history(authority: Any, turkey: Country, alice: User, bob: User) -> dict[str, Any]:
    """TR level 2 then 4, a statement about TR, and France at level 1."""
    first = publish(turkey, 2, author=alice, approver=bob, change_note="First advice.")
    second = publish(turkey, 4, author=alice, approver=bob, change_note="Attacks in İstanbul.")
    statement = publish_statement(alice, bob)
    france = publish(Country.objects.get(pk="FR"), 1, author=alice, approver=bob)
    return {"first": first, "second": second, "statement": statement, "france": france}


def parse(client: Client, url: str) -> Any:
    response = client.get(url)
    assert response.status_code == 200, response.status_code
    assert response["Content-Type"] == "application/atom+xml; charset=utf-8"
    feed = feedparser.parse(response.content)
    assert feed.bozo == 0, feed.get("bozo_exception")
    assert feed.version == "atom10"
    return feed


def ids(feed: Any) -> list[str]:
    return [entry.id for entry in feed.entries]


def updated(entry: Any) -> datetime:
    return datetime.fromtimestamp(calendar.timegm(entry.updated_parsed), UTC)


# --- All changes --------------------------------------------------------------------------


def test_the_changes_feed_lists_every_publication_newest_first(client, history):
    feed = parse(client, "/feeds/advisories.atom")
    assert feed.feed.title == "National Security Council (test): travel advisories"
    statement = history["statement"].pk
    assert ids(feed) == [
        f"{CAP}/nsc.test.edition.FR.1.xml",
        f"{CAP}/nsc.test.statement.{statement}.xml",
        f"{CAP}/nsc.test.edition.TR.2.xml",
        f"{CAP}/nsc.test.edition.TR.1.xml",
    ]
    latest_tr = feed.entries[2]
    assert latest_tr.title == "Türkiye: level 4 — High threat"
    assert latest_tr.summary == "Attacks in İstanbul."
    assert latest_tr.link == f"{SITE}/countries/TR/"
    assert latest_tr.author == "National Security Council (test)"
    assert latest_tr.updated == cap_time(history["second"].published_at).replace("-00:00", "+00:00")
    assert feed.entries[1].title == "Leave Türkiye"


def test_summaries_are_escaped_text(client, authority, turkey, alice, bob):
    publish(turkey, 2, author=alice, approver=bob, change_note="Crime <rising> & protests.")
    feed = parse(client, "/feeds/advisories.atom")
    # Atom summaries are type="html": the HTML shows the note as written, markup included.
    assert feed.entries[0].summary == "Crime &lt;rising&gt; &amp; protests."


def test_a_withdrawal_appears_with_the_edition_it_reinstates(client, history, bob):
    services.edition_withdraw(acting_user=bob, edition=history["second"], reason="Revised.")
    feed = parse(client, "/feeds/advisories.atom")
    reinstated, cancel = feed.entries[:2]
    assert reinstated.id == f"{CAP}/nsc.test.edition.TR.1.reinstated.2.xml"
    assert reinstated.title == "Türkiye: level 2 — Increased precautions (in force again)"
    assert reinstated.summary == "Edition 2 was withdrawn; edition 1 applies again."
    assert cancel.id == f"{CAP}/nsc.test.edition.TR.2.cancel.xml"
    assert cancel.title == "Withdrawn: Türkiye: level 4 — High threat"
    assert cancel.summary == "Revised."


def test_the_changes_feed_keeps_the_latest_hundred(client, authority, turkey, alice, bob):
    for level in [1, 2] * 51:
        publish(turkey, level, author=alice, approver=bob)
    feed = parse(client, "/feeds/advisories.atom")
    assert len(feed.entries) == 100
    assert feed.entries[0].id == f"{CAP}/nsc.test.edition.TR.102.xml"


# --- One country --------------------------------------------------------------------------


def test_a_country_feed_lists_only_that_country(client, history):
    feed = parse(client, "/feeds/tr.atom")
    assert feed.feed.title == "Türkiye: travel advisory"
    assert feed.feed.link == f"{SITE}/countries/TR/"
    assert feed.feed.id == f"{SITE}/feeds/tr.atom"
    assert [e.title for e in feed.entries] == [
        "Leave Türkiye",
        "Türkiye: level 4 — High threat",
        "Türkiye: level 2 — Increased precautions",
    ]


def test_a_country_without_advisories_has_an_empty_feed(client, history):
    feed = parse(client, "/feeds/de.atom")
    assert feed.entries == []
    assert feed.feed.updated  # the publication stamp, not "now"


def test_country_feeds_are_lower_case_and_known(client, history):
    upper = client.get("/feeds/TR.atom")
    assert upper.status_code == 301
    assert upper["Location"] == "/feeds/tr.atom"
    assert client.get("/feeds/xx.atom").status_code == 404
    assert client.get("/feeds/tur.atom").status_code == 404


# --- The CAP index ------------------------------------------------------------------------


def test_the_cap_index_links_each_current_alert(client, history):
    feed = parse(client, "/cap/feed.atom")
    statement = history["statement"].pk
    assert sorted(ids(feed)) == sorted(
        [
            f"{CAP}/nsc.test.edition.FR.1.xml",
            f"{CAP}/nsc.test.edition.TR.2.xml",
            f"{CAP}/nsc.test.statement.{statement}.xml",
        ]
    )
    for entry in feed.entries:
        [link] = [link for link in entry.links if link.rel == "alternate"]
        assert link.type == "application/cap+xml"
        assert link.href == entry.id
        alert = checked(client.get(link.href.removeprefix(SITE)).content)
        assert updated(entry) == alert.sent.to_datetime()


def test_the_cap_index_follows_withdrawals(client, history, bob):
    services.edition_withdraw(acting_user=bob, edition=history["second"], reason="Revised.")
    feed = parse(client, "/cap/feed.atom")
    statement = history["statement"].pk
    assert sorted(ids(feed)) == sorted(
        [
            f"{CAP}/nsc.test.edition.FR.1.xml",
            f"{CAP}/nsc.test.edition.TR.1.reinstated.2.xml",
            f"{CAP}/nsc.test.edition.TR.2.cancel.xml",
            f"{CAP}/nsc.test.statement.{statement}.xml",
        ]
    )
    for entry in feed.entries:
        checked(client.get(entry.link.removeprefix(SITE)).content)


# --- Exercises, caching -------------------------------------------------------------------


@pytest.mark.parametrize("url", FEEDS)
def test_exercise_items_never_appear(client, history, turkey, alice, bob, url):
    before = ids(parse(client, url))
    drill: Edition = publish_exercise(turkey, 3, alice, bob)
    publish_statement(alice, bob, exercise=True)
    feed = parse(client, url)
    assert ids(feed) == before
    assert drill.is_exercise and not any("level 3" in e.title for e in feed.entries)


@pytest.mark.parametrize("url", FEEDS)
def test_no_entry_appears_twice(client, history, turkey, alice, bob, url):
    services.edition_withdraw(acting_user=bob, edition=history["second"], reason="Revised.")
    publish(turkey, 3, author=alice, approver=bob)
    entries = ids(parse(client, url))
    assert entries and len(entries) == len(set(entries))


@pytest.mark.parametrize("url", FEEDS)
def test_feeds_answer_304_and_change_at_once(client, history, turkey, alice, bob, url):
    first = client.get(url)
    assert "public" in first["Cache-Control"] and "max-age=60" in first["Cache-Control"]
    assert first["Last-Modified"].endswith("GMT")
    assert client.get(url, HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 304
    assert client.get(url, HTTP_IF_MODIFIED_SINCE=first["Last-Modified"]).status_code == 304
    edition = publish(turkey, 3, author=alice, approver=bob, change_note="Escalation.")
    after = client.get(url, HTTP_IF_NONE_MATCH=first["ETag"])
    assert after.status_code == 200
    assert after["ETag"] != first["ETag"]
    newest = feedparser.parse(after.content).entries[0]
    assert newest.id == f"{CAP}/nsc.test.edition.TR.{edition.number}.xml"

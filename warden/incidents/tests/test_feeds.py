"""Feed polling against a real HTTP server on localhost: 200, 304, malformed, duplicates."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest

from warden.audit.models import AuditEvent
from warden.incidents.models import Feed, FeedPoll, Proposal, Source
from warden.incidents.services import feeds_poll_step
from warden.incidents.services.feeds import feed_poll
from warden.ops.worker import STEPS

pytestmark = pytest.mark.django_db

ETAG = '"v1"'
MODIFIED = "Wed, 18 Oct 2023 06:00:00 GMT"


def rss(*items: tuple[str, str]) -> bytes:
    entries = "".join(
        f"<item><title>{title}</title><link>{link}</link>"
        f"<pubDate>Wed, 18 Oct 2023 06:00:00 +0300</pubDate>"
        f"<description>Thousands of demonstrators gathered outside the Israeli embassy in "
        f"Ankara on Tuesday night, {title}, the Anadolu news agency reported.</description>"
        f"</item>"
        for title, link in items
    )
    return (
        f'<?xml version="1.0"?><rss version="2.0"><channel><title>Wire</title>'
        f"<link>https://news.example.org</link><description>d</description>{entries}"
        f"</channel></rss>"
    ).encode()


class FeedServer:
    """Serves ``routes[path] = (status, body)``; answers 304 when the ETag matches."""

    def __init__(self) -> None:
        self.routes: dict[str, tuple[int, bytes]] = {}
        self.requests: list[dict[str, Any]] = []
        server = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                server.requests.append({"path": self.path, **dict(self.headers)})
                status, body = server.routes.get(self.path, (404, b"not found"))
                if status == 200 and self.headers.get("If-None-Match") == ETAG:
                    self.send_response(304)
                    self.end_headers()
                    return
                self.send_response(status)
                self.send_header("Content-Type", "application/rss+xml")
                self.send_header("ETag", ETAG)
                self.send_header("Last-Modified", MODIFIED)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args: Any) -> None:
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}"

    def __enter__(self) -> FeedServer:
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


@pytest.fixture
def server() -> Iterator[FeedServer]:
    with FeedServer() as running:
        yield running


def feed(server: FeedServer, path: str = "/feed.xml", **extra: Any) -> Feed:
    return Feed.objects.create(
        name=path, url=f"{server.url}{path}", outlet="Example Wire", reliability="B", **extra
    )


def test_a_new_feed_becomes_sources_and_proposals(server):
    server.routes["/feed.xml"] = (
        200,
        rss(("first", "https://news.example.org/1"), ("second", "https://news.example.org/2")),
    )
    poll = feed_poll(feed(server))

    assert (poll.outcome, poll.http_status, poll.new_sources, poll.duplicates) == ("ok", 200, 2, 0)
    source = Source.objects.get(url="https://news.example.org/1")
    assert (source.kind, source.outlet, source.reliability) == ("feed", "Example Wire", "B")
    assert source.published_at is not None and source.published_at.isoformat().startswith(
        "2023-10-18T03:00"
    )
    assert Proposal.objects.filter(status="pending").count() == 2
    assert AuditEvent.objects.filter(action="incidents.source.add", actor_id=None).count() == 2


def test_the_second_poll_is_conditional_and_answered_304(server):
    server.routes["/feed.xml"] = (200, rss(("first", "https://news.example.org/1")))
    subject = feed(server)
    feed_poll(subject)
    subject.refresh_from_db()
    assert (subject.etag, subject.last_modified) == (ETAG, MODIFIED)

    poll = feed_poll(subject)

    assert (poll.outcome, poll.http_status, poll.new_sources) == ("not_modified", 304, 0)
    assert server.requests[-1]["If-None-Match"] == ETAG
    assert server.requests[-1]["If-Modified-Since"] == MODIFIED
    assert Source.objects.count() == 1


def test_entries_seen_before_are_duplicates_by_address_or_content(server):
    server.routes["/a.xml"] = (200, rss(("first", "https://news.example.org/1")))
    # The same story under another address (syndication), and the same address again.
    server.routes["/b.xml"] = (
        200,
        rss(("first", "https://other.example.org/copy"), ("first", "https://news.example.org/1")),
    )
    feed_poll(feed(server, "/a.xml"))
    poll = feed_poll(feed(server, "/b.xml"))

    assert (poll.new_sources, poll.duplicates) == (0, 2)
    assert Source.objects.count() == 1


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        (b"this is not a feed at all", "syntax error"),
        (b"<html><body><p>Not found</p></body></html>", "it is not an RSS or Atom feed"),
    ],
)
def test_a_malformed_feed_is_a_recorded_error(server, body, expected):
    server.routes["/feed.xml"] = (200, body)
    subject = feed(server)

    poll = feed_poll(subject)

    subject.refresh_from_db()
    assert poll.outcome == FeedPoll.Outcome.ERROR
    assert expected in poll.error
    assert (subject.last_outcome, subject.failures) == ("error", 1)
    assert subject.last_error == poll.error
    assert subject.etag == ""  # nothing read, so the next poll is not conditional
    assert not Source.objects.exists()


def test_a_broken_feed_that_still_has_entries_is_read_with_a_warning(server):
    body = rss(("first", "https://news.example.org/1")).replace(b"</channel></rss>", b"")
    server.routes["/feed.xml"] = (200, body)
    subject = feed(server)

    poll = feed_poll(subject)

    subject.refresh_from_db()
    assert (poll.outcome, poll.new_sources) == ("ok", 1)
    assert "The feed is malformed" in poll.error and "1 entries were read" in poll.error
    assert subject.last_error == poll.error


def test_a_server_error_is_recorded_with_its_status(server):
    server.routes["/feed.xml"] = (503, b"down")
    poll = feed_poll(feed(server))

    assert (poll.outcome, poll.http_status) == ("error", 503)
    assert "503" in poll.error
    assert poll.duration_ms >= 0


def test_an_unreachable_feed_is_a_recorded_error(db):
    subject = Feed.objects.create(name="x", url="http://127.0.0.1:9/feed.xml", outlet="x")
    poll = feed_poll(subject)

    assert poll.outcome == "error" and "Could not download it" in poll.error


def test_the_worker_step_polls_active_feeds_only(server):
    server.routes["/feed.xml"] = (200, rss(("first", "https://news.example.org/1")))
    feed(server)
    feed(server, "/paused.xml", is_active=False)

    assert feeds_poll_step() is True
    assert [r["path"] for r in server.requests] == ["/feed.xml"]
    assert feeds_poll_step() is False  # 304: nothing new


def test_the_worker_runs_the_step_at_its_interval(settings):
    step = next(s for s in STEPS if s.name == "incident_feeds")
    settings.WARDEN_INCIDENT_FEED_INTERVAL = 321

    assert step.interval is not None and step.interval() == 321.0

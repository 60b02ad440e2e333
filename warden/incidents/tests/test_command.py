"""`warden intake <file>` prints the proposals as JSON."""

from __future__ import annotations

import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from warden.incidents.demo import DEMO_FEED

pytestmark = pytest.mark.django_db


def run(*args: str) -> dict:
    out = StringIO()
    call_command("intake", *args, stdout=out)
    return json.loads(out.getvalue())


def test_it_prints_places_with_country_codes_events_sources_and_claims(tmp_path, posts):
    path = tmp_path / "article.txt"
    path.write_text(
        "Several hundred protesters threw stones at the Israeli consulate general in Istanbul "
        "on Tuesday night, witnesses told AFP.",
        encoding="utf-8",
    )

    output = run(str(path), "--published", "2023-10-18T08:00:00+03:00", "--outlet", "Wire")

    (proposal,) = output["proposals"]
    assert sorted((p["kind"], p["country"]) for p in proposal["places"]) == [
        ("city", "TR"),
        ("post", "TR"),
    ]
    assert proposal["event"]["type"] == "riots"
    assert proposal["date"]["value"] == "2023-10-17"
    assert [s["name"] for s in proposal["sources"]] == ["AFP"]
    assert proposal["claims"][0]["relay_chain"] == ["witnesses", "AFP", "Wire"]


def test_it_reads_each_entry_of_the_demo_feed(posts):
    output = run(str(DEMO_FEED))

    assert len(output["proposals"]) == 4
    places = [{p["key"] for p in proposal["places"]} for proposal in output["proposals"]]
    assert "post:TR:ankara:embassy" in places[0]
    assert "post:TR:istanbul:consulate_general" in places[1]
    assert "PS:gaza" in places[2]


def test_a_missing_file_is_a_clear_error(tmp_path):
    with pytest.raises(CommandError, match="Cannot read"):
        run(str(tmp_path / "missing.txt"))


def test_a_malformed_feed_file_is_a_clear_error(tmp_path):
    path = tmp_path / "broken.xml"
    path.write_bytes(b"<html><body><p>Not found</p></body></html>")

    with pytest.raises(CommandError, match="Not a readable feed"):
        run(str(path))

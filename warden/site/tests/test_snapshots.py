from __future__ import annotations

import json

import pytest

from warden.site import snapshots
from warden.test import publish

pytestmark = pytest.mark.django_db


@pytest.fixture
def snapshot_root(settings, tmp_path):
    settings.WARDEN_SNAPSHOT_DIR = str(tmp_path / "public")
    settings.SITE_URL = "http://localhost"
    return tmp_path / "public"


def test_a_publication_renders_the_countrys_snapshots_after_commit(
    snapshot_root, authority, turkey, alice, bob, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        edition = publish(turkey, 4, author=alice, approver=bob)
    api = json.loads((snapshot_root / "api/v1/countries/TR/index.json").read_text())
    assert "Level 4 summary." in json.dumps(api, ensure_ascii=False)
    page = (snapshot_root / "countries/TR/index.html").read_text()
    assert "Level 4 summary." in page
    assert 'dir="rtl"' in (snapshot_root / "he/countries/TR/index.html").read_text()
    assert (snapshot_root / "feeds/tr.atom").exists()
    assert (snapshot_root / "feeds/advisories.atom").exists()
    cap_file = snapshot_root / snapshots.cap_paths(["TR"])[0].lstrip("/")
    assert cap_file.exists() and b"<alert" in cap_file.read_bytes()
    assert str(edition.number) in cap_file.name
    assert snapshots.refresh_if_stale() is False


def test_the_worker_step_catches_up_when_the_receiver_missed_a_change(
    snapshot_root, authority, turkey, alice, bob, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        publish(turkey, 2, author=alice, approver=bob)
    with django_capture_on_commit_callbacks(execute=False):  # the receiver never runs
        publish(turkey, 4, author=alice, approver=bob)
    assert "Level 2 summary." in (snapshot_root / "countries/TR/index.html").read_text()
    assert snapshots.refresh_if_stale() is True
    assert "Level 4 summary." in (snapshot_root / "countries/TR/index.html").read_text()
    assert snapshots.refresh_if_stale() is False


def test_file_names_follow_the_web_server_lookup(tmp_path):
    assert snapshots.file_for(tmp_path, "/countries/TR/", "text/html; charset=utf-8") == (
        tmp_path / "countries/TR/index.html"
    )
    assert snapshots.file_for(tmp_path, "/api/v1/countries/TR", "application/json") == (
        tmp_path / "api/v1/countries/TR/index.json"
    )
    assert snapshots.file_for(tmp_path, "/feeds/tr.atom", "application/atom+xml") == (
        tmp_path / "feeds/tr.atom"
    )


def test_nothing_is_written_when_snapshots_are_off(settings, authority, turkey, alice, bob):
    settings.WARDEN_SNAPSHOT_DIR = ""
    publish(turkey, 2, author=alice, approver=bob)
    assert snapshots.refresh() is None
    assert snapshots.refresh_if_stale() is False

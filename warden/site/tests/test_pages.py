"""The public pages, read through the test client: content, languages, exercise, caching."""

from __future__ import annotations

import json
import re
from datetime import timedelta
from typing import Any

import pytest
from django.test import Client, RequestFactory
from django.urls import resolve
from django.utils import timezone, translation

from warden.advisories import services
from warden.advisories.scales import PRESETS
from warden.geo.models import Country, CustomArea
from warden.site.selectors import contrast_ratio, ink_for
from warden.site.views.assets import outlines_version
from warden.site.views.common import language_links
from warden.test import content, publish
from warden.testing.staff import verified_client

pytestmark = pytest.mark.django_db


def text_of(response: Any) -> str:
    return response.content.decode()


def statement(cast: dict[str, Any], *, codes: tuple[str, ...], texts: dict[str, Any]) -> Any:
    draft = services.statement_draft(
        acting_user=cast["alice"],
        content=services.StatementContent(countries=codes, texts=texts),
    )
    services.statement_submit(acting_user=cast["alice"], statement=draft)
    return services.statement_publish(acting_user=cast["bob"], statement=draft)


def exercise(country: Country, level: int, cast: dict[str, Any], **overrides: Any) -> Any:
    edition = services.edition_draft(
        acting_user=cast["alice"],
        country=country,
        content=content(level, **overrides),
        is_exercise=True,
    )
    services.edition_submit(acting_user=cast["alice"], edition=edition)
    return services.edition_publish(acting_user=cast["bob"], edition=edition)


@pytest.fixture
def raised(cast, authority, turkey) -> Any:
    """Turkey raised from level 2 to level 4, temporarily, with a statement."""
    publish(turkey, 2, author=cast["alice"], approver=cast["bob"])
    edition = publish(
        turkey,
        4,
        author=cast["alice"],
        approver=cast["bob"],
        reasons=("T", "U"),
        change_note="Raised after the demonstrations at the consulate.",
        is_temporary=True,
        expected_end=timezone.localdate() + timedelta(days=30),
        texts={
            "en": services.TextContent(
                "All Israelis in Turkey should leave the country as soon as possible.",
                "Leave as soon as possible.\nAvoid demonstrations.",
            ),
            "he": services.TextContent(
                "על כל הישראלים השוהים בטורקיה לעזוב בהקדם האפשרי.",
                "יש לעזוב בהקדם האפשרי.\nיש להימנע מהפגנות.",
            ),
        },
    )
    statement(
        cast,
        codes=("TR",),
        texts={
            "en": ("Leave Turkey now", "All Israelis in Turkey should leave the country."),
            "he": ("לעזוב את טורקיה", "על כל הישראלים בטורקיה לעזוב את המדינה."),
        },
    )
    return edition


# --- Home ------------------------------------------------------------------------------


def test_it_lists_turkey_at_level_4_on_the_home_page(client: Client, raised) -> None:
    response = client.get("/")
    assert response.status_code == 200
    page = text_of(response)
    row = re.search(r'<tr id="country-TR">.*?</tr>', page, re.S)
    assert row is not None
    assert "level-badge level-4" in row[0]
    assert "Level 4" in row[0] and "High threat" in row[0]
    assert 'href="/countries/TR/"' in row[0]


def test_it_gives_the_map_each_countrys_level(client: Client, raised) -> None:
    page = text_of(client.get("/"))
    attribute = re.search(r'data-map-data="([^"]*)"', page)
    assert attribute is not None
    data = json.loads(attribute[1].replace("&quot;", '"').replace("&amp;", "&"))
    assert data["levels"] == {"TR": 4}
    assert data["scale"]["4"]["color"] == "#c0162c"
    assert data["names"]["TR"] == Country.objects.get(code="TR").name
    assert f"/outlines/countries.geojson?v={outlines_version()}" in page


def test_it_shows_the_legend_in_the_scales_words(client: Client, raised) -> None:
    page = text_of(client.get("/"))
    legend = page[page.index('class="legend-list"') :]
    for number, wording in [(1, "Take basic precautions."), (4, "do not travel; those there")]:
        assert f"legend-item level-{number}" in legend
        assert wording in legend
    assert "Level 4: High threat" in legend


def test_it_lists_the_latest_changes_and_statements(client: Client, raised) -> None:
    page = text_of(client.get("/"))
    changes = page[page.index('id="changes"') : page.index('id="statements"')]
    assert '2</span> <span class="arrow">→</span>' in changes
    assert "Level changed from 2 to 4" in changes
    assert "Raised after the demonstrations at the consulate." in changes
    statements = page[page.index('id="statements"') : page.index('id="countries"')]
    assert "Leave Turkey now" in statements


@pytest.mark.parametrize("query", ["turk", "TUR", "tr", "טורקיה", "Turkey"])
def test_it_finds_countries_in_every_language(client: Client, raised, query: str) -> None:
    home = text_of(client.get("/"))
    assert '<form class="search" action="/search/" method="get"' in home
    page = text_of(client.get("/search/", {"q": query}))
    results = page[page.index('class="search-results"') :]
    assert 'href="/countries/TR/"' in results
    assert "Level 4" in results
    assert f'value="{query}"' in page


def test_it_says_when_nothing_matches(client: Client, raised) -> None:
    page = text_of(client.get("/search/", {"q": "Atlantis"}))
    assert "No country matches “Atlantis”" in page


def test_the_hebrew_search_stays_in_hebrew(client: Client, raised) -> None:
    page = text_of(client.get("/he/search/", {"q": "טורק"}))
    assert '<form class="search" action="/he/search/"' in page
    assert 'href="/he/countries/TR/"' in page and "איום גבוה" in page


# --- Country page ------------------------------------------------------------------------


def test_it_shows_the_current_level_and_its_advice(client: Client, raised) -> None:
    response = client.get("/countries/TR/")
    assert response.status_code == 200
    page = text_of(response)
    panel = page[page.index('class="level-panel') : page.index('class="level-facts"')]
    assert "level-4" in panel and "Level 4" in panel and "High threat" in panel
    assert "High threat: do not travel; those there should leave." in panel
    assert "All Israelis in Turkey should leave the country as soon as possible." in page
    assert "Avoid demonstrations." in page
    assert "Terrorism" in page and "Civil unrest" in page
    assert "Terrorist attacks have taken place" in page


def test_it_shows_the_review_date_and_the_temporary_notice(client: Client, raised) -> None:
    page = text_of(client.get("/countries/TR/"))
    raised.refresh_from_db()
    assert raised.review_due is not None and raised.expected_end is not None
    assert f'datetime="{raised.review_due.isoformat()}"' in page
    assert "Next review by" in page
    notice = page[page.index("notice-temporary") :]
    assert "Temporary measure." in notice
    assert raised.expected_end.strftime("%B %Y") in notice


def test_it_shows_the_statements_about_the_country(client: Client, raised) -> None:
    page = text_of(client.get("/countries/TR/"))
    statements = page[page.index('id="statements"') : page.index('id="history"')]
    assert "Leave Turkey now" in statements
    assert "All Israelis in Turkey should leave the country." in statements


def test_it_shows_the_full_history(client: Client, raised, cast) -> None:
    services.edition_withdraw(acting_user=cast["carol"], edition=raised, reason="Sent too early.")
    page = text_of(client.get("/countries/TR/"))
    history = page[page.index('id="history"') :]
    first = re.search(r'<tr id="edition-1">.*?</tr>', history, re.S)
    second = re.search(r'<tr id="edition-2">.*?</tr>', history, re.S)
    assert first and second
    assert "Current" in first[0] and "Set to level 2." in first[0]
    assert "Withdrawn" in second[0] and "Sent too early." in second[0]
    assert "Raised after the demonstrations" in second[0]
    assert "/countries/TR/diff/?from=1&amp;to=2" in second[0]
    assert 'name="from"' in history and 'name="to"' in history


def test_it_lists_and_maps_areas_with_their_own_level(client: Client, raised, cast) -> None:
    border = CustomArea.objects.create(
        code="TR-X-SYRIA-BORDER",
        country_id="TR",
        name="Syrian border zone",
        kind=CustomArea.Kind.CIRCLE,
        center_lat=36.7,
        center_lon=37.1,
        radius_km=40,
    )
    publish(
        raised.country,
        3,
        author=cast["alice"],
        approver=cast["bob"],
        areas=(
            services.AreaContent(code="TR-34", level=2, notes={"en": "Istanbul is calmer."}),
            services.AreaContent(code=border.code, level=4),
        ),
    )
    page = text_of(client.get("/countries/TR/"))
    areas = page[page.index('id="areas"') : page.index('id="advice-heading"')]
    assert "İstanbul" in areas and "Istanbul is calmer." in areas
    assert "Syrian border zone" in areas
    data = json.loads(
        re.search(r'data-map-data="([^"]*)"', areas)[1].replace("&quot;", '"')  # type: ignore[index]
    )
    assert data["country"] == "TR" and data["level"]["number"] == 3
    [circle] = data["areas"]
    assert circle["type"] == "circle" and circle["radius_m"] == 40000
    assert circle["center"] == [36.7, 37.1] and circle["level"] == 4


def test_it_redirects_a_lower_case_code(client: Client, raised) -> None:
    response = client.get("/countries/tr/")
    assert response.status_code == 301
    assert response["Location"] == "/countries/TR/"
    response = client.get("/countries/tr/diff/?from=1&to=2")
    assert response["Location"] == "/countries/TR/diff/?from=1&to=2"


@pytest.mark.parametrize("path", ["/countries/ZZ/", "/countries/T1/", "/countries/ZZ/diff/"])
def test_it_answers_404_for_an_unknown_country(client: Client, db, path: str) -> None:
    assert client.get(path).status_code == 404


def test_it_says_when_a_country_has_no_level(client: Client, raised) -> None:
    page = text_of(client.get("/countries/FR/"))
    assert "No level has been published for this country." in page


# --- Diff --------------------------------------------------------------------------------


def test_it_shows_what_changed_between_two_editions(client: Client, raised) -> None:
    response = client.get("/countries/TR/diff/", {"from": 1, "to": 2})
    assert response.status_code == 200
    page = text_of(response)
    fields = page[page.index('class="table diff-fields"') :]
    level_row = re.search(r"<th scope=\"row\">Level</th>.*?</tr>", fields, re.S)
    assert level_row is not None
    assert '<del><span class="visually-hidden">Before: </span>2</del>' in level_row[0]
    assert '<ins><span class="visually-hidden">After: </span>4</ins>' in level_row[0]
    added = '<span class="diff-mark" aria-hidden="true">+</span><ins>'
    removed = '<span class="diff-mark" aria-hidden="true">−</span><del>'
    assert f'{added}<span class="visually-hidden">Added: </span>Avoid demonstrations.' in page
    assert f'{removed}<span class="visually-hidden">Removed: </span>Level 2 full advice.' in page


def test_it_compares_the_current_edition_with_the_one_before_by_default(
    client: Client, raised
) -> None:
    page = text_of(client.get("/countries/TR/diff/"))
    assert "Edition 1" in page and "Edition 2" in page
    assert '<option value="1" selected>' in page and '<option value="2" selected>' in page


@pytest.mark.parametrize("query", [{"from": 9, "to": 2}, {"to": "x"}, {"from": 1, "to": 3}])
def test_it_answers_404_for_an_unknown_edition(client: Client, raised, query) -> None:
    assert client.get("/countries/TR/diff/", query).status_code == 404


# --- Languages ---------------------------------------------------------------------------


def test_the_hebrew_page_is_right_to_left(client: Client, raised) -> None:
    response = client.get("/he/countries/TR/")
    assert response.status_code == 200
    page = text_of(response)
    assert '<html lang="he" dir="rtl">' in page
    assert "איום גבוה" in page
    assert "איום גבוה: אין לנסוע; השוהים במקום מתבקשים לצאת ממנו." in page
    assert "על כל הישראלים השוהים בטורקיה לעזוב בהקדם האפשרי." in page
    assert "לעזוב את טורקיה" in page
    assert Country.objects.get(code="TR").local_name("he") in page
    assert "fallback-note" not in page


def test_it_links_to_the_same_page_in_the_other_language(client: Client, raised) -> None:
    english = text_of(client.get("/countries/TR/diff/?from=1&to=2"))
    assert 'hreflang="he" href="/he/countries/TR/diff/?from=1&amp;to=2"' in english
    hebrew = text_of(client.get("/he/countries/TR/"))
    assert 'hreflang="en" href="/countries/TR/"' in hebrew


def test_it_falls_back_to_english_with_a_note(client: Client, cast, authority, turkey) -> None:
    publish(
        turkey,
        3,
        author=cast["alice"],
        approver=cast["bob"],
        texts={"en": services.TextContent("English summary only.", "English advice only.")},
    )
    page = text_of(client.get("/he/countries/TR/"))
    assert "fallback-note" in page
    assert "טרם פורסמו בעברית" in page  # the note itself is in the reader's language
    assert 'lang="en" dir="ltr"' in page
    assert "English summary only." in page
    assert "fallback-note" not in text_of(client.get("/countries/TR/"))


# --- Exercise ----------------------------------------------------------------------------


@pytest.fixture
def drill(cast, raised) -> Any:
    return exercise(
        raised.country,
        1,
        cast,
        change_note="Drill: lowered for the exercise.",
        texts={"en": services.TextContent("Drill summary.", "Drill advice.")},
    )


def test_exercise_editions_never_appear_on_public_pages(client: Client, drill) -> None:
    for path in ["/", "/countries/TR/", "/countries/TR/diff/", "/he/countries/TR/"]:
        page = text_of(client.get(path))
        assert "Drill" not in page, path
        assert "EXERCISE" not in page, path
    assert client.get("/countries/TR/diff/", {"from": 1, "to": 3}).status_code == 404


def test_staff_see_the_exercise_view_marked_exercise(drill, cast) -> None:
    staff = verified_client(cast["dave"])
    response = staff.get("/exercise/countries/TR/")
    assert response.status_code == 200
    page = text_of(response)
    assert "<title>EXERCISE · " in page
    assert 'class="exercise-banner"' in page
    assert '<strong class="exercise-label">EXERCISE</strong>' in page
    assert '<span class="exercise-tag">EXERCISE</span> Türkiye</h1>' in page
    assert "Drill summary." in page and "Level 1" in page
    assert "All Israelis in Turkey" not in page
    cache_control = response["Cache-Control"]
    assert "private" in cache_control and "no-store" in cache_control
    diff = staff.get("/exercise/countries/TR/diff/")
    assert diff.status_code == 200 and "EXERCISE" in text_of(diff)
    assert "no-store" in diff["Cache-Control"]


def test_the_exercise_view_needs_a_verified_staff_session(client: Client, drill, cast) -> None:
    response = client.get("/exercise/countries/TR/")
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]
    assert "no-store" in response["Cache-Control"]
    client.force_login(cast["dave"])  # password only, no second factor
    assert client.get("/exercise/countries/TR/").status_code == 302
    assert verified_client(cast["mallory"]).get("/exercise/countries/TR/").status_code == 403


# --- Caching and assets ------------------------------------------------------------------


@pytest.mark.parametrize(
    "path", ["/", "/countries/TR/", "/countries/TR/diff/", "/he/", "/search/?q=tur"]
)
def test_it_answers_304_when_nothing_changed(client: Client, raised, path: str) -> None:
    first = client.get(path)
    assert first.status_code == 200
    assert "public" in first["Cache-Control"]
    again = client.get(path, headers={"if-none-match": first["ETag"]})
    assert again.status_code == 304
    assert again.content == b""


def test_a_publication_changes_the_etag(client: Client, raised, cast) -> None:
    before = client.get("/countries/TR/")["ETag"]
    publish(raised.country, 3, author=cast["alice"], approver=cast["bob"])
    assert client.get("/countries/TR/", headers={"if-none-match": before}).status_code == 200


def test_it_serves_the_outlines_for_a_year(client: Client, db) -> None:
    response = client.get(f"/outlines/countries.geojson?v={outlines_version()}")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/geo+json"
    assert "immutable" in response["Cache-Control"]
    data = json.loads(response.content)
    codes = {f.get("id") for f in data["features"]}
    assert {"TR", "IL", "US", "RU", "MC", "SG"} <= codes
    assert len(codes - {None}) > 230


def test_it_serves_the_level_colours_as_a_stylesheet(client: Client, authority) -> None:
    response = client.get("/levels.css")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/css")
    css = response.content.decode()
    assert ".level-4{--level-color:#c0162c;--level-ink:#ffffff}" in css
    assert ".level-2{--level-color:#e0b000;--level-ink:#0b0c0c}" in css
    assert client.get("/levels.css", headers={"if-none-match": response["ETag"]}).status_code == 304


@pytest.mark.parametrize("color", [lv["color"] for scale in PRESETS.values() for lv in scale])
def test_level_text_is_readable_on_its_colour(color: str) -> None:
    assert contrast_ratio(color, ink_for(color)) >= 4.5


def test_pages_load_only_their_own_scripts(client: Client, raised) -> None:
    page = text_of(client.get("/countries/TR/"))
    scripts = re.findall(r"<script[^>]*>", page)
    assert scripts == [
        '<script src="/static/leaflet/leaflet.js" defer>',
        '<script src="/static/site/js/map.js" defer>',
    ]
    assert " style=" not in page


@pytest.mark.parametrize("path", ["/", "/countries/TR/", "/he/countries/TR/diff/", "/search/?q=tr"])
def test_public_pages_are_the_same_for_everyone(client: Client, raised, path: str) -> None:
    """No cookie, no per-visitor token: a CDN or a snapshot can serve the page to anyone."""
    response = client.get(path)
    assert response.status_code == 200
    assert not response.cookies
    assert "Cookie" not in response.get("Vary", "")
    assert "csrfmiddlewaretoken" not in text_of(response)


def test_the_language_links_are_plain_links(client: Client, raised) -> None:
    page = text_of(client.get("/countries/TR/"))
    links = page[page.index('class="language-links"') :]
    assert '<a href="/he/countries/TR/" lang="he" hreflang="he">עברית</a>' in links
    assert '<span aria-current="true" lang="en">English</span>' in links


def test_each_language_link_keeps_the_query_and_the_current_one_is_this_page(raised) -> None:
    request = RequestFactory().get("/he/countries/TR/diff/", {"from": "1", "to": "2"})
    with translation.override("he"):
        request.resolver_match = resolve(request.path_info)
        links = {link.code: (link.url, link.current) for link in language_links(request)}
    assert links == {
        "en": ("/countries/TR/diff/?from=1&to=2", False),
        "he": ("/he/countries/TR/diff/?from=1&to=2", True),
    }


def test_the_home_page_needs_the_same_queries_for_more_countries(
    client: Client, raised, cast, django_assert_max_num_queries
) -> None:
    for code, level in [("EG", 3), ("JO", 2), ("GR", 1), ("FR", 1)]:
        publish(Country.objects.get(code=code), level, author=cast["alice"], approver=cast["bob"])
    with django_assert_max_num_queries(20):
        assert client.get("/").status_code == 200

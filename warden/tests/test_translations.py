"""The Hebrew catalog is complete, compiled, up to date with the code, and used by the pages.

When one of these fails after a change to the code, run ``scripts/messages.sh``, translate
what it reports in warden/locale/he/LC_MESSAGES/django.po, and run it again.
"""

from __future__ import annotations

import gettext
import os
import re
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import django
import polib
import pytest
from django.conf import settings
from django.contrib.auth.models import User
from django.test import Client
from django.utils import translation

from warden.test import publish
from warden.testing.staff import verified_client

LOCALE_DIR = Path(settings.BASE_DIR) / "warden" / "locale"
PO_PATH = LOCALE_DIR / "he" / "LC_MESSAGES" / "django.po"
MO_PATH = PO_PATH.with_suffix(".mo")
DJANGO_HE_PO = Path(django.__file__).parent / "conf/locale/he/LC_MESSAGES/django.po"
FIX = "run scripts/messages.sh, translate what it reports, and run it again"

# %(name)s, %s, %d, %.1f ... (not %%), {name} and {0}, and the inline HTML that a translator
# has to keep.
PERCENT = re.compile(r"%(?:\((\w+)\))?[#0 +-]*\d*(?:\.\d+)?[diouxXeEfFgGcrsa]")
BRACES = re.compile(r"(?<!\{)\{(\w*)\}(?!\})")
HTML_TAG = re.compile(r"</?(?:a|abbr|b|br|code|em|i|kbd|p|span|strong|time)\b[^<>]*>")
HEBREW = re.compile(r"[\u05d0-\u05ea]")

# Strings that are the same in Hebrew: codes, formats and names that are not translated.
SAME_IN_HEBREW = frozenset(
    {
        "#rrggbb",
        "%(area)s: %(level)s",
        "ISO 3166-1 alpha-2",
        "ISO 3166-1 alpha-3",
        "Webhook",
    }
)

Key = tuple[str | None, str]  # (msgctxt, msgid)


@pytest.fixture(scope="module")
def catalog() -> polib.POFile:
    assert PO_PATH.is_file(), f"{PO_PATH} is missing: {FIX}"
    return polib.pofile(str(PO_PATH))


def live(po: polib.POFile) -> list[polib.POEntry]:
    return [entry for entry in po if not entry.obsolete]


def key(entry: polib.POEntry) -> Key:
    return (entry.msgctxt, entry.msgid)


def where(entry: polib.POEntry) -> str:
    places = ", ".join(f"{path}:{line}" for path, line in entry.occurrences[:3])
    return f"{entry.msgid!r} ({places or 'no reference'})"


def placeholders(text: str, python_format: bool) -> list[str]:
    found = (
        [f"%({name})" if name else "%" for name in PERCENT.findall(text)] if python_format else []
    )
    found += [f"{{{name}}}" for name in BRACES.findall(text)]
    found += [re.sub(r"\s+", " ", tag) for tag in HTML_TAG.findall(text)]
    return sorted(found)


def plural_function(po: polib.POFile) -> Any:
    expression = po.metadata["Plural-Forms"].split("plural=", 1)[1].rstrip(";")
    return gettext.c2py(expression)


def forms_for_one_number(po: polib.POFile) -> set[int]:
    """Plural forms chosen for a single n (in Hebrew, 1 and 2): they may spell the number out
    ("מדינה אחת", "שתי מדינות") instead of showing it, as gettext allows."""
    plural = plural_function(po)
    counts: dict[int, int] = {}
    for n in range(1000):
        counts[plural(n)] = counts.get(plural(n), 0) + 1
    return {form for form, count in counts.items() if count == 1}


# --- (a) the catalog is complete and well formed ------------------------------------------


def test_the_catalog_declares_hebrew_with_djangos_plural_rule(catalog: polib.POFile) -> None:
    assert catalog.metadata["Language"] == "he"
    assert "charset=UTF-8" in catalog.metadata["Content-Type"]
    assert not catalog.metadata_is_fuzzy
    # The same rule as Django's own Hebrew catalog, so that the catalogs merge into one.
    ours = re.sub(r"\s+", "", catalog.metadata["Plural-Forms"])
    djangos = re.sub(r"\s+", "", polib.pofile(str(DJANGO_HE_PO)).metadata["Plural-Forms"])
    assert ours == djangos
    plural = plural_function(catalog)
    assert [plural(n) for n in (0, 1, 2, 3, 10, 11, 20, 100, 101)] == [3, 0, 1, 3, 3, 3, 2, 2, 3]


def test_every_string_is_translated_and_none_is_fuzzy(catalog: polib.POFile) -> None:
    untranslated = [where(entry) for entry in catalog.untranslated_entries()]
    fuzzy = [where(entry) for entry in catalog.fuzzy_entries()]
    obsolete = [where(entry) for entry in catalog.obsolete_entries()]
    assert untranslated == [], f"untranslated ({FIX}):\n" + "\n".join(untranslated)
    assert fuzzy == [], "fuzzy: check each translation, then remove its flag:\n" + "\n".join(fuzzy)
    assert obsolete == [], f"obsolete entries ({FIX}):\n" + "\n".join(obsolete)
    assert catalog.percent_translated() == 100
    assert len(live(catalog)) > 500


def test_each_plural_entry_has_all_four_hebrew_forms(catalog: polib.POFile) -> None:
    for entry in live(catalog):
        if entry.msgid_plural:
            assert sorted(entry.msgstr_plural) == [0, 1, 2, 3], where(entry)
            assert all(entry.msgstr_plural.values()), where(entry)


def test_translations_keep_the_placeholders_and_markup(catalog: polib.POFile) -> None:
    single = forms_for_one_number(catalog)
    problems = []
    for entry in live(catalog):
        python = "python-format" in entry.flags
        if not entry.msgid_plural:
            if placeholders(entry.msgid, python) != placeholders(entry.msgstr, python):
                problems.append(f"{where(entry)} -> {entry.msgstr!r}")
            continue
        wanted = set(placeholders(entry.msgid, python)) | set(
            placeholders(entry.msgid_plural, python)
        )
        for form, text in entry.msgstr_plural.items():
            got = placeholders(text, python)
            ok = (
                set(got) <= wanted
                if form in single
                else got == placeholders(entry.msgid_plural, python)
            )
            if not ok:
                problems.append(f"{where(entry)} [{form}] -> {text!r}")
    assert problems == [], "placeholders or markup differ:\n" + "\n".join(problems)


def test_translations_keep_leading_and_trailing_space_and_newlines(
    catalog: polib.POFile,
) -> None:
    def ends(text: str) -> tuple[bool, bool, bool, bool]:
        return (text[:1].isspace(), text[-1:].isspace(), text.startswith("\n"), text.endswith("\n"))

    for entry in live(catalog):
        texts = entry.msgstr_plural.values() if entry.msgid_plural else [entry.msgstr]
        for text in texts:
            assert ends(text) == ends(entry.msgid), where(entry)


def test_translations_are_in_hebrew(catalog: polib.POFile) -> None:
    """A msgstr without a Hebrew letter is a copy of the English, unless it is listed above."""
    english = [
        where(entry)
        for entry in live(catalog)
        if entry.msgid not in SAME_IN_HEBREW
        and not any(
            HEBREW.search(text)
            for text in (entry.msgstr_plural.values() if entry.msgid_plural else [entry.msgstr])
        )
    ]
    assert english == [], "not translated into Hebrew:\n" + "\n".join(english)


@pytest.mark.skipif(shutil.which("msgfmt") is None, reason="GNU gettext (msgfmt) is not installed")
def test_msgfmt_accepts_the_catalog(tmp_path: Path) -> None:
    result = subprocess.run(
        ["msgfmt", "--check", "--statistics", "-o", str(tmp_path / "django.mo"), str(PO_PATH)],
        capture_output=True,
        text=True,
        check=False,
        env={**os.environ, "LC_ALL": "C"},
    )
    assert result.returncode == 0, result.stderr
    assert "untranslated" not in result.stderr and "fuzzy" not in result.stderr, result.stderr


# --- (b) the committed .mo is the compiled .po --------------------------------------------


def translations(entries: Any) -> dict[Key, str | tuple[str, ...]]:
    out: dict[Key, str | tuple[str, ...]] = {}
    for entry in entries:
        if not entry.msgid or entry.obsolete or "fuzzy" in entry.flags:
            continue
        if entry.msgid_plural:
            out[key(entry)] = tuple(entry.msgstr_plural[i] for i in sorted(entry.msgstr_plural))
        elif entry.msgstr:
            out[key(entry)] = entry.msgstr
    return out


def test_the_compiled_catalog_matches_the_po_file(catalog: polib.POFile) -> None:
    assert MO_PATH.is_file(), f"{MO_PATH} is missing: {FIX} (and commit it)"
    compiled = polib.mofile(str(MO_PATH))
    expected, actual = translations(catalog), translations(compiled)
    stale = sorted(
        (str(k), expected.get(k), actual.get(k))
        for k in set(expected) | set(actual)
        if expected.get(k) != actual.get(k)
    )
    assert stale == [], f"django.mo is not the compiled django.po: {FIX}\n" + "\n".join(
        map(str, stale[:20])
    )
    assert re.sub(r"\s+", "", compiled.metadata["Plural-Forms"]) == re.sub(
        r"\s+", "", catalog.metadata["Plural-Forms"]
    )


def test_django_serves_the_hebrew_catalog() -> None:
    with translation.override("he"):
        assert translation.gettext("Submitted for approval") == "הוגש לאישור"
        assert translation.gettext("EXERCISE") == "תרגיל"
        assert translation.gettext("Hebrew") == "עברית"
        assert translation.get_language_bidi()
        level = translation.pgettext("level label", "Level %(number)s: %(name)s")
        assert level % {"number": 4, "name": "איום גבוה"} == "רמה 4: איום גבוה"
        countries = [
            translation.ngettext("%(counter)s country", "%(counter)s countries", n) % {"counter": n}
            for n in (1, 2, 7, 20)
        ]
    assert countries == ["מדינה אחת", "2 מדינות", "7 מדינות", "20 מדינות"]
    with translation.override("en"):
        assert translation.gettext("Submitted for approval") == "Submitted for approval"


# --- (c) the catalog holds exactly the strings in the code --------------------------------


def copy_filter(directory: str, names: list[str]) -> set[str]:
    return {name for name in names if name in {"__pycache__", "locale"} or name.endswith(".pyc")}


def test_the_catalog_is_up_to_date_with_the_code(catalog: polib.POFile, tmp_path: Path) -> None:
    """makemessages over a copy of warden/ finds the same strings as the committed catalog."""
    if shutil.which("xgettext") is None:
        if os.environ.get("CI"):
            pytest.fail("GNU gettext (xgettext) is needed: apt-get install gettext")
        pytest.skip("GNU gettext (xgettext) is not installed")
    root = tmp_path / "tree"
    shutil.copytree(Path(settings.BASE_DIR) / "warden", root / "warden", ignore=copy_filter)
    passed = ("PATH", "HOME", "LANG", "LC_ALL", "TMPDIR", "SYSTEMROOT")
    env = {name: os.environ[name] for name in passed if name in os.environ}
    data = tmp_path / "data"
    data.mkdir()
    env.update(
        PYTHONPATH=str(root),
        DJANGO_SETTINGS_MODULE="warden.settings",
        WARDEN_DATA_DIR=str(data),
    )
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "warden",
            "makemessages",
            "--locale=he",
            "--domain=django",
            "--no-obsolete",
            "--ignore=*/tests/*",
        ],
        cwd=root,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    fresh_path = root / "warden" / "locale" / "he" / "LC_MESSAGES" / "django.po"
    fresh = {key(e): e.msgid_plural for e in live(polib.pofile(str(fresh_path))) if e.msgid}
    committed = {key(e): e.msgid_plural for e in live(catalog) if e.msgid}
    new = sorted(map(str, set(fresh) - set(committed)))
    gone = sorted(map(str, set(committed) - set(fresh)))
    assert new == [], f"strings in the code but not in the catalog ({FIX}):\n" + "\n".join(new)
    assert gone == [], f"strings in the catalog but no longer in the code ({FIX}):\n" + "\n".join(
        gone
    )
    plurals = sorted(str(k) for k in fresh if fresh[k] != committed[k])
    assert plurals == [], f"plural forms changed ({FIX}):\n" + "\n".join(plurals)


# --- The pages in Hebrew --------------------------------------------------------------------


@pytest.fixture(autouse=True)
def restore_language() -> Iterator[None]:
    """A request to /he/ activates Hebrew in this thread; put back what was active."""
    with translation.override(translation.get_language()):
        yield


def html(client: Client, path: str) -> str:
    response = client.get(path)
    assert response.status_code == 200, path
    return response.content.decode()


def test_the_public_home_page_is_in_hebrew(client: Client, authority: Any, turkey: Any) -> None:
    page = html(client, "/he/")
    assert '<html lang="he" dir="rtl">' in page
    for words in ("רמות אזהרת המסע", "מפת העולם", "כל המדינות", "חיפוש מדינה", "משמעות הרמות"):
        assert words in page
    for words in ("Travel security levels", "World map", "Find a country", "What the levels mean"):
        assert words not in page
    # The language links name each language in itself.
    assert ">English</a>" in page and 'aria-current="true" lang="he">עברית</span>' in page


def test_a_country_page_is_in_hebrew(
    client: Client, authority: Any, turkey: Any, alice: User, bob: User
) -> None:
    publish(turkey, 4, author=alice, approver=bob)
    publish(turkey, 3, author=alice, approver=bob)
    page = html(client, "/he/countries/TR/")
    assert '<html lang="he" dir="rtl">' in page
    for words in (
        "טורקיה",
        "רמה 3",
        "תקציר",
        "הנימוקים לרמה זו",
        "ההנחיות המלאות",
        "היסטוריה",
        "שינויים לעומת מהדורה 1",
        "השוואה בין שתי מהדורות",
        "תקציר רמה 3.",  # the edition's own Hebrew text
    ):
        assert words in page, words
    for words in ("Full advice", "Why this level", "History", "Compare two editions"):
        assert words not in page
    diff = html(client, "/he/countries/TR/diff/?from=1&to=2")
    assert "טורקיה: מה השתנה" in diff and "מהדורה 2" in diff


def test_the_sign_in_page_is_in_hebrew(client: Client) -> None:
    page = html(client, "/he/accounts/login/")
    assert '<html lang="he" dir="rtl">' in page
    for words in ("כניסה לממשק הניהול של Warden", "קוד חד־פעמי", "דילוג לתוכן המרכזי"):
        assert words in page, words
    assert "Sign in to the Warden console" not in page


def test_the_console_is_in_hebrew(authority: Any, turkey: Any, alice: User, bob: User) -> None:
    publish(turkey, 4, author=alice, approver=bob)
    client = verified_client(bob)
    home = html(client, "/he/console/")
    assert '<html lang="he" dir="rtl">' in home
    for words in ("רמות אזהרת המסע", "מדינות שפורסמה להן אזהרת מסע", "לבחינה מחדש", "יציאה"):
        assert words in home, words
    country = html(client, "/he/console/countries/TR/")
    for words in ("בתוקף כעת", "מהדורה 1", "פורסם", "הנוסח הפומבי"):
        assert words in country, words
    assert "In force now" not in country

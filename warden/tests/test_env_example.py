""".env.example lists every variable that Warden reads, and nothing else."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

from django.conf import settings

BASE_DIR = Path(settings.BASE_DIR)
READ = re.compile(r"\benv(str|bool|int|list|secret)\(\s*\"([A-Z][A-Z0-9_]*)\"")
LISTED = re.compile(r"^#? ?([A-Z][A-Z0-9_]*)=", re.MULTILINE)


def sources() -> list[Path]:
    """Every module of Warden but the tests and the helpers themselves."""
    return [
        path
        for path in (BASE_DIR / "warden").rglob("*.py")
        if "tests" not in path.parts and path.name not in {"env.py", "test.py"}
    ]


def variables_read() -> set[str]:
    names = set()
    for path in sources():
        for kind, name in READ.findall(path.read_text()):
            names.add(name)
            if kind == "secret":
                names.add(f"{name}_FILE")
    return names


def variables_listed() -> set[str]:
    return set(LISTED.findall((BASE_DIR / ".env.example").read_text()))


def test_the_settings_are_found():
    assert {"SECRET_KEY", "SECRET_KEY_FILE", "DATABASE_URL", "EMAIL_URL"} <= variables_read()


def test_every_variable_read_is_listed():
    assert variables_read() - variables_listed() == set()


def test_every_variable_listed_is_read():
    assert variables_listed() - variables_read() == set()


def test_the_example_loads_in_a_shell_and_passes_the_checks(data_dir: Path):
    script = 'set -a; . ./.env.example; set +a; exec "$0" -m warden check --fail-level WARNING'

    result = subprocess.run(
        ["/bin/sh", "-c", script, sys.executable],
        cwd=BASE_DIR,
        env={"PATH": "/usr/bin:/bin", "WARDEN_DATA_DIR": str(data_dir)},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )

    assert result.returncode == 0, result.stderr

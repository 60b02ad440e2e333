"""The ``warden`` console script and the processes the README names."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import get_commands

README = Path(settings.BASE_DIR) / "README.md"


def readme_commands() -> list[str]:
    return sorted(set(re.findall(r"`warden (\w+)", README.read_text())))


def test_the_console_script_runs_django_commands(data_dir: Path):
    script = Path(sys.executable).with_name("warden")

    result = subprocess.run(
        [str(script), "check"],
        env={"PATH": "/usr/bin:/bin", "WARDEN_DATA_DIR": str(data_dir)},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )

    assert result.returncode == 0, result.stderr
    assert "System check identified no issues" in result.stdout


def test_the_readme_names_the_three_processes():
    assert {"serve", "worker", "demo"} <= set(readme_commands())


@pytest.mark.parametrize("command", readme_commands())
def test_each_command_in_the_readme_exists(command: str):
    assert command in get_commands()

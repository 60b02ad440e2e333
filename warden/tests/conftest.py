"""Run ``warden`` in a subprocess with a controlled environment.

The settings module reads the environment once, at import, so settings are tested by
starting a fresh process with exactly the variables a test names, and a data directory of
its own.
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from django.conf import settings

WardenRun = Callable[..., subprocess.CompletedProcess[str]]

# Kept from the parent environment: what a process needs to start, nothing Warden reads.
PASSED_THROUGH = ("PATH", "HOME", "LANG", "LC_ALL", "TMPDIR", "SYSTEMROOT")


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    path = tmp_path / "data"
    path.mkdir()
    return path


@pytest.fixture
def run_warden(data_dir: Path) -> WardenRun:
    """``run_warden("check", "--deploy", SECRET_KEY="...")`` runs ``warden check --deploy``."""

    def run(*args: str, **env: str) -> subprocess.CompletedProcess[str]:
        base = {name: os.environ[name] for name in PASSED_THROUGH if name in os.environ}
        full_env = {**base, "WARDEN_DATA_DIR": str(data_dir), **env}
        return subprocess.run(
            [sys.executable, "-m", "warden", *args],
            cwd=settings.BASE_DIR,
            env=full_env,
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )

    return run


@pytest.fixture
def run_python(data_dir: Path) -> WardenRun:
    """Run Python code after ``django.setup()`` with the given environment."""

    def run(code: str, **env: str) -> subprocess.CompletedProcess[str]:
        base = {name: os.environ[name] for name in PASSED_THROUGH if name in os.environ}
        full_env = {
            **base,
            "WARDEN_DATA_DIR": str(data_dir),
            "DJANGO_SETTINGS_MODULE": "warden.settings",
            **env,
        }
        prelude = "import django, json; django.setup(); from django.conf import settings\n"
        return subprocess.run(
            [sys.executable, "-c", prelude + code],
            cwd=settings.BASE_DIR,
            env=full_env,
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )

    return run

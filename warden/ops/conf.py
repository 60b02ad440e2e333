"""Settings of the web and worker processes.

Each value comes from ``settings.WARDEN_*``, which warden/settings.py reads from the
environment variable named beside it.
"""

from __future__ import annotations

import os

from django.conf import settings

MAX_DEFAULT_WEB_WORKERS = 8


def web_bind() -> str:
    """``WEB_BIND``: address and port of ``warden serve``."""
    return str(settings.WARDEN_WEB_BIND)


def default_web_workers() -> int:
    """Gunicorn's rule of thumb, 2 × cores + 1, capped: workers are sync processes."""
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    return min(2 * (cores or 1) + 1, MAX_DEFAULT_WEB_WORKERS)


def web_workers() -> int:
    """``WEB_WORKERS``: web worker processes; 0 or unset means the default."""
    configured = int(settings.WARDEN_WEB_WORKERS)
    return configured if configured > 0 else default_web_workers()


def worker_idle_seconds() -> float:
    """``WORKER_IDLE_SECONDS``: how long the worker sleeps after a pass that found no work."""
    return float(settings.WARDEN_WORKER_IDLE_SECONDS)


def review_interval() -> float:
    """``WORKER_REVIEW_INTERVAL``: seconds between two runs of the review reminder step."""
    return float(settings.WARDEN_WORKER_REVIEW_INTERVAL)

"""Child processes of ``warden demo``: start them, watch them, stop them all cleanly."""

from __future__ import annotations

import contextlib
import signal
import socket
import subprocess
import sys
import threading
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

STOP_TIMEOUT = 20.0


@dataclass
class Child:
    name: str
    process: subprocess.Popen[bytes]

    def running(self) -> bool:
        return self.process.poll() is None


def warden_child(name: str, args: Sequence[str], env: dict[str, str]) -> Child:
    """Start ``warden <args>`` with ``env``; it shares our terminal."""
    command = [sys.executable, "-m", "warden", *args]
    return Child(name, subprocess.Popen(command, env=env))  # noqa: S603


def stop_children(children: Sequence[Child], timeout: float = STOP_TIMEOUT) -> None:
    """SIGTERM to each child still running, then SIGKILL to any that outlives ``timeout``."""
    for child in children:
        if child.running():
            child.process.send_signal(signal.SIGTERM)
    for child in children:
        try:
            child.process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            child.process.kill()
            child.process.wait()


def first_exited(
    children: Sequence[Child], stop: threading.Event, poll: float = 0.5
) -> Child | None:
    """Wait until ``stop`` is set (None) or a child exits on its own (that child)."""
    while not stop.wait(poll):
        for child in children:
            if not child.running():
                return child
    return None


@contextlib.contextmanager
def stop_event_on_signals() -> Iterator[threading.Event]:
    """An event set by SIGTERM or SIGINT (Ctrl-C) while the block runs."""
    stop = threading.Event()
    signals = (signal.SIGTERM, signal.SIGINT)
    previous = {sig: signal.getsignal(sig) for sig in signals}
    for sig in signals:
        signal.signal(sig, lambda _signum, _frame: stop.set())
    try:
        yield stop
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)


def port_is_free(port: int, host: str = "127.0.0.1") -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        # As the servers do, so that a port left in TIME_WAIT counts as free.
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind((host, port))
        except OSError:
            return False
    return True

"""Operational commands: ``warden serve`` (the web process) and ``warden worker``."""

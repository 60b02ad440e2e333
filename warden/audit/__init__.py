"""Append-only, hash-chained audit log written by every service."""

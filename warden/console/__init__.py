"""Operator console: pages for staff."""

"""Public pages, feeds and CAP: read-only views."""

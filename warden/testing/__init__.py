"""Test helpers shared across apps: verified staff sessions, a real browser."""

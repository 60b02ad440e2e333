"""Read-only admin pages: every change goes through the services and their rules."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from warden.advisories.models import Authority, Edition, Level, Statement


class ReadOnlyAdmin(admin.ModelAdmin):  # type: ignore[type-arg,unused-ignore]
    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Authority)
class AuthorityAdmin(ReadOnlyAdmin):
    list_display = ["name", "slug", "sender", "is_default"]


@admin.register(Level)
class LevelAdmin(ReadOnlyAdmin):
    list_display = ["authority", "number", "color", "cap_severity", "cap_urgency"]
    list_filter = ["authority"]


@admin.register(Edition)
class EditionAdmin(ReadOnlyAdmin):
    list_display = ["country", "number", "level", "status", "is_exercise", "published_at"]
    list_filter = ["status", "is_exercise", "level"]
    search_fields = ["country__code", "country__name"]


@admin.register(Statement)
class StatementAdmin(ReadOnlyAdmin):
    list_display = ["__str__", "status", "is_exercise", "issued_at"]
    list_filter = ["status", "is_exercise"]

"""Read-only admin pages: areas are written through warden.geo.services, which audit."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db.models import Model
from django.http import HttpRequest

from warden.geo.models import Country, CustomArea, Subdivision


class ReadOnlyAdmin(admin.ModelAdmin):
    actions = None

    def has_add_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False


@admin.register(Country)
class CountryAdmin(ReadOnlyAdmin):
    list_display = ["code", "alpha3", "numeric", "name"]
    search_fields = ["code", "alpha3", "name"]


@admin.register(Subdivision)
class SubdivisionAdmin(ReadOnlyAdmin):
    list_display = ["code", "name", "type", "country", "parent"]
    list_filter = ["type"]
    search_fields = ["code", "name"]
    list_select_related = ["country", "parent"]


@admin.register(CustomArea)
class CustomAreaAdmin(ReadOnlyAdmin):
    list_display = ["code", "name", "kind", "country", "created_at"]
    list_filter = ["kind"]
    search_fields = ["code", "name"]
    list_select_related = ["country"]

    def get_queryset(self, request: HttpRequest) -> Any:
        return super().get_queryset(request).select_related("created_by")

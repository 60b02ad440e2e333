"""The Django admin behind the same second factor as the console; the audit log read-only."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import urlencode
from django_otp.admin import OTPAdminSite

from warden.audit.models import AuditEvent


class StaffAdminSite(OTPAdminSite):
    """Admin pages need a verified (second-factor) session; sign-in is the staff login page.

    One login page means one place where django-axes counts failures and where staff
    without an authenticator are sent to enrol one.
    """

    def has_permission(self, request: HttpRequest) -> bool:
        # A request that never passed through django-otp's middleware (a RequestFactory
        # request in a test, say) has no is_verified(): it counts as not verified.
        verified = getattr(request.user, "is_verified", None)
        return bool(admin.AdminSite.has_permission(self, request) and verified and verified())

    def login(
        self,
        request: HttpRequest,
        extra_context: dict[str, Any] | None = None,
    ) -> HttpResponse:
        target = request.GET.get("next") or reverse("admin:index", current_app=self.name)
        return redirect(f"{reverse('accounts:login')}?{urlencode({'next': target})}")


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):
    """Append-only: no add, change or delete, from the admin or anywhere else."""

    list_display = ["occurred_at", "actor_name", "action", "object_type", "object_id", "source_ip"]
    list_filter = ["channel", "object_type"]
    search_fields = ["actor_name", "action", "object_id", "object_repr", "summary"]
    date_hierarchy = "occurred_at"
    ordering = ["-id"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> list[str]:
        return [f.name for f in AuditEvent._meta.fields]

"""Shared by the incident console views."""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest

T = TypeVar("T")


def attempt(request: HttpRequest, form: forms.Form, call: Callable[[], T]) -> T | None:
    """Call a service; put its refusals on the form (or as messages) instead of a 500."""
    try:
        return call()
    except PermissionDenied as refused:
        messages.error(request, str(refused))
    except ValidationError as invalid:
        if hasattr(invalid, "error_dict"):
            for name, errors in invalid.error_dict.items():
                for error in errors:
                    form.add_error(name if name in form.fields else None, error)
        else:
            for message in invalid.messages:
                form.add_error(None, message)
    return None

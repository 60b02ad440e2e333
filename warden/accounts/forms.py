"""Sign-in forms: password and one-time code in one step; confirming a new authenticator."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.contrib.auth.signals import user_login_failed
from django.utils.translation import gettext_lazy as _

from warden.accounts import mfa


class StaffLoginForm(AuthenticationForm):
    """Username, password and a code from the authenticator app or a backup code.

    Staff who have no confirmed device yet are let in with the password alone and sent to
    enrol one; until they do, their session is unverified and opens no console page.
    """

    otp_token = forms.CharField(
        label=_("One-time code"),
        required=False,
        max_length=32,
        help_text=_(
            "The six-digit code from your authenticator app, or one of your backup "
            "codes. Leave it empty only when you sign in for the first time."
        ),
        widget=forms.TextInput(
            attrs={
                "autocomplete": "one-time-code",
                "inputmode": "text",
                "autocapitalize": "off",
                "spellcheck": "false",
            }
        ),
    )

    error_messages = {
        **AuthenticationForm.error_messages,
        "invalid_login": _("The username, password or one-time code is not correct."),
        "token_required": _("Enter the code from your authenticator app or a backup code."),
    }

    def __init__(self, request: Any = None, *args: Any, **kwargs: Any) -> None:
        super().__init__(request, *args, **kwargs)
        self.device: Any = None
        self.needs_enrolment = False
        self.fields["username"].widget.attrs["autocomplete"] = "username"
        self.fields["password"].widget.attrs["autocomplete"] = "current-password"

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()  # authenticate(request, ...): django-axes sees every try
        user = self.get_user()
        if user is None:
            return cleaned
        if not mfa.has_confirmed_device(user):
            self.needs_enrolment = True
            return cleaned
        token = cleaned.get("otp_token") or ""
        if not token.strip():
            raise forms.ValidationError(
                self.error_messages["token_required"], code="token_required"
            )
        self.device = mfa.verify(user, token)
        if self.device is None:
            self._count_failure()
            raise forms.ValidationError(
                self.error_messages["invalid_login"],
                code="invalid_login",
                params={"username": self.username_field.verbose_name},
            )
        return cleaned

    def _count_failure(self) -> None:
        """A wrong code counts towards the lockout like a wrong password."""
        user_login_failed.send(
            sender=__name__,
            credentials={"username": self.cleaned_data.get("username")},
            request=self.request,
        )
        self.user_cache = None


class TotpConfirmForm(forms.Form):
    otp_token = forms.CharField(
        label=_("Code from your authenticator app"),
        max_length=12,
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "autocapitalize": "off"}
        ),
    )

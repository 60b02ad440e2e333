"""Staff sign-in with a second factor, enrolment of an authenticator app, sign-out."""

from __future__ import annotations

from axes.helpers import get_cool_off
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login as auth_login
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import LogoutView
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render, resolve_url
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_protect
from django.views.decorators.debug import sensitive_post_parameters
from django_otp import login as otp_login

from warden.accounts import mfa
from warden.accounts.forms import StaffLoginForm, TotpConfirmForm
from warden.audit.services import record


def _next_url(request: HttpRequest) -> str:
    candidate = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return candidate
    return ""


@sensitive_post_parameters("password", "otp_token")
@csrf_protect
@never_cache
def login_view(request: HttpRequest) -> HttpResponse:
    next_url = _next_url(request)
    if request.method == "POST":
        form = StaffLoginForm(request, data=request.POST)
        if form.is_valid():
            return _signed_in(request, form, next_url)
        if getattr(request, "axes_locked_out", False):
            return _locked_out(request)
    elif mfa.is_verified(request):
        return redirect(next_url or resolve_url(settings.LOGIN_REDIRECT_URL))
    elif request.user.is_authenticated and not mfa.has_confirmed_device(request.user):
        return redirect("accounts:mfa_setup")  # signed in with the password, not enrolled yet
    else:
        form = StaffLoginForm(request)
    return render(request, "accounts/login.html", {"form": form, "next": next_url})


def _signed_in(request: HttpRequest, form: StaffLoginForm, next_url: str) -> HttpResponse:
    user = form.get_user()
    if form.device is not None:
        user.otp_device = form.device  # type: ignore[attr-defined]  # django-otp keeps it
    auth_login(request, user)
    record(actor=user, action="accounts.login", after={"second_factor": _device_kind(form.device)})
    if form.needs_enrolment:
        target = reverse("accounts:mfa_setup")
        return redirect(f"{target}?{urlencode({'next': next_url})}" if next_url else target)
    return redirect(next_url or resolve_url(settings.LOGIN_REDIRECT_URL))


def _device_kind(device: object) -> str:
    if device is None:
        return "none (enrolment required)"
    return "backup code" if device.__class__.__name__ == "StaticDevice" else "authenticator"


def _locked_out(request: HttpRequest) -> HttpResponse:
    """The lockout page, in the site's own layout and language.

    django-axes flagged the request; answering here (and clearing the flag) replaces the
    library's plain-text response with this page. The status stays 429.
    """
    request.axes_locked_out = False  # type: ignore[attr-defined]
    cool_off = get_cool_off(request)
    minutes = int(cool_off.total_seconds() // 60) if cool_off else None
    return render(request, "accounts/locked_out.html", {"minutes": minutes}, status=429)


logout_view = LogoutView.as_view()


@login_required
@never_cache
def mfa_setup(request: HttpRequest) -> HttpResponse:
    user = request.user
    next_url = _next_url(request)
    if mfa.has_confirmed_device(user):  # type: ignore[arg-type]
        if mfa.is_verified(request):
            messages.info(request, _("Your authenticator app is already set up."))
            return redirect(next_url or resolve_url(settings.LOGIN_REDIRECT_URL))
        return HttpResponseRedirect(resolve_url(settings.LOGIN_URL))
    device = mfa.pending_totp(user)  # type: ignore[arg-type]
    form = TotpConfirmForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        allowed, _info = device.verify_is_allowed()
        codes = (
            mfa.totp_confirm(
                user=user,  # type: ignore[arg-type]
                device=device,
                token=form.cleaned_data["otp_token"],
            )
            if allowed
            else None
        )
        if codes is not None:
            otp_login(request, device)
            return render(
                request,
                "accounts/mfa_done.html",
                {"codes": codes, "next": next_url or reverse("console:home")},
            )
        form.add_error("otp_token", _confirm_error(throttled=not allowed))
    return render(
        request,
        "accounts/mfa_setup.html",
        {
            "form": form,
            "next": next_url,
            "qr": mfa.qr_data_uri(device),
            "secret": mfa.secret_text(device),
        },
    )


def _confirm_error(*, throttled: bool) -> str:
    if throttled:
        return _(
            "Too many wrong codes in a row. Wait a minute, then enter the code that is showing now."
        )
    return _(
        "That code is not correct. Check the time on your phone and enter the code "
        "that is showing now."
    )

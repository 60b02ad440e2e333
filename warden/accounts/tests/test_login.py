"""Staff sign-in: password plus a one-time code, enrolment, lockout, sign-out, the admin."""

from __future__ import annotations

import re

import pytest
from django.contrib.auth.models import User
from django.urls import reverse
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.oath import totp
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from warden.audit.models import AuditEvent
from warden.test import PASSWORD
from warden.testing.staff import BACKUP_CODE, backup_device, verified_client

pytestmark = pytest.mark.django_db

LOGIN = "/accounts/login/"


def _sign_in(client, username: str, code: str = BACKUP_CODE, password: str = PASSWORD, **extra):
    data = {"username": username, "password": password, "otp_token": code, **extra}
    return client.post(LOGIN, data)


def _current_code(device: TOTPDevice) -> str:
    return f"{totp(device.bin_key, device.step, device.t0, device.digits, device.drift):06d}"


def test_the_login_page_asks_for_a_one_time_code(client):
    html = client.get(LOGIN).content.decode()
    assert 'name="otp_token"' in html
    assert '<label for="id_otp_token">One-time code' in html


def test_it_signs_in_with_a_backup_code_through_the_real_form(client, alice):
    backup_device(alice)
    response = _sign_in(client, "alice")
    assert response.status_code == 302
    assert response["Location"] == reverse("console:home")
    assert DEVICE_ID_SESSION_KEY in client.session
    assert client.get(reverse("console:home")).status_code == 200
    assert not StaticToken.objects.filter(token=BACKUP_CODE).exists()  # used up
    assert AuditEvent.objects.filter(action="accounts.login", actor_name="alice").exists()


def test_a_backup_code_is_accepted_with_spaces_and_capitals(client, alice):
    backup_device(alice, "abcd2345")
    assert _sign_in(client, "alice", code=" ABCD-2345 ").status_code == 302


def test_it_signs_in_with_an_authenticator_code(client, alice):
    device = TOTPDevice.objects.create(user=alice, name="Phone", confirmed=True)
    response = _sign_in(client, "alice", code=_current_code(device))
    assert response["Location"] == reverse("console:home")


def test_it_goes_on_to_the_page_that_was_asked_for(client, alice):
    backup_device(alice)
    response = _sign_in(client, "alice", next="/console/review/")
    assert response["Location"] == "/console/review/"


def test_it_ignores_a_next_address_on_another_site(client, alice):
    backup_device(alice)
    response = _sign_in(client, "alice", next="https://evil.example/")
    assert response["Location"] == reverse("console:home")


def test_a_wrong_code_does_not_sign_in(client, alice):
    backup_device(alice)
    response = _sign_in(client, "alice", code="wrong123")
    assert response.status_code == 200
    assert "The username, password or one-time code is not correct." in response.content.decode()
    assert "_auth_user_id" not in client.session
    assert client.get(reverse("console:home")).status_code == 302


def test_a_code_is_required_once_a_device_exists(client, alice):
    backup_device(alice)
    response = _sign_in(client, "alice", code="")
    assert (
        "Enter the code from your authenticator app or a backup code." in response.content.decode()
    )
    assert "_auth_user_id" not in client.session


def test_a_wrong_password_does_not_sign_in(client, alice):
    backup_device(alice)
    response = _sign_in(client, "alice", password="not the password")
    assert response.status_code == 200
    assert "_auth_user_id" not in client.session


def test_staff_without_a_device_enrol_an_authenticator(client, alice):
    response = _sign_in(client, "alice", code="")
    assert response["Location"] == reverse("accounts:mfa_setup")
    # Password alone opens no console page.
    assert client.get(reverse("console:home")).status_code == 302

    page = client.get(reverse("accounts:mfa_setup")).content.decode()
    assert 'src="data:image/svg+xml;base64,' in page
    device = TOTPDevice.objects.get(user=alice, confirmed=False)
    secret = re.search(r'<code class="secret" lang="en" dir="ltr">([A-Z2-7 ]+)</code>', page)
    assert secret is not None

    wrong = client.post(reverse("accounts:mfa_setup"), {"otp_token": "000000"})
    assert "That code is not correct." in wrong.content.decode()
    # After a wrong code the device is throttled for a moment; let that moment pass.
    TOTPDevice.objects.filter(pk=device.pk).update(throttling_failure_timestamp=None)

    done = client.post(reverse("accounts:mfa_setup"), {"otp_token": _current_code(device)})
    assert done.status_code == 200
    codes = re.findall(r"<li><code>([a-z2-7]{8})</code></li>", done.content.decode())
    assert len(codes) == 10
    device.refresh_from_db()
    assert device.confirmed
    assert client.get(reverse("console:home")).status_code == 200
    assert StaticDevice.objects.get(user=alice).token_set.count() == 10
    assert AuditEvent.objects.filter(action="accounts.mfa.enrol").count() == 1


def test_enrolment_is_not_offered_again_to_a_password_only_session(client, alice):
    backup_device(alice)
    client.force_login(alice)  # password-only: the device exists but was not used
    response = client.get(reverse("accounts:mfa_setup"))
    assert response["Location"] == reverse("accounts:login")
    assert not TOTPDevice.objects.filter(user=alice).exists()


def test_a_password_only_session_without_a_device_is_sent_to_enrol(client, alice):
    client.force_login(alice)
    assert client.get(LOGIN)["Location"] == reverse("accounts:mfa_setup")


def test_enrolment_needs_a_signed_in_user(client):
    response = client.get(reverse("accounts:mfa_setup"))
    assert response["Location"].startswith(reverse("accounts:login"))


def test_repeated_failures_lock_the_account_out(client, alice, settings):
    backup_device(alice)
    for _attempt in range(settings.AXES_FAILURE_LIMIT - 1):
        assert _sign_in(client, "alice", password="guess").status_code == 200
    locked = _sign_in(client, "alice", password="guess")
    assert locked.status_code == 429
    assert "Too many failed sign-in attempts" in locked.content.decode()
    # Now even the right password and code are refused.
    again = _sign_in(client, "alice")
    assert again.status_code == 429
    assert "_auth_user_id" not in client.session
    assert StaticToken.objects.filter(token=BACKUP_CODE).exists()


def test_wrong_codes_count_towards_the_lockout(client, alice, settings):
    backup_device(alice)
    for _attempt in range(settings.AXES_FAILURE_LIMIT - 1):
        _sign_in(client, "alice", code="wrong123")
    assert _sign_in(client, "alice", code="wrong123").status_code == 429


def test_sign_out_is_a_post(client, alice):
    client = verified_client(alice, client)
    assert client.get(reverse("accounts:logout")).status_code == 405
    response = client.post(reverse("accounts:logout"))
    assert response["Location"] == reverse("accounts:login")
    assert client.get(reverse("console:home")).status_code == 302


def test_the_admin_needs_a_verified_session(client):
    admin = User.objects.create_superuser("root", "root@example.org", PASSWORD)
    backup_device(admin)
    client.force_login(admin)  # password only: the second factor was not used
    response = client.get("/admin/", follow=True)
    assert response.redirect_chain[-1][0] == f"{reverse('accounts:login')}?next=%2Fadmin%2F"
    assert 'name="otp_token"' in response.content.decode()
    verified = verified_client(admin)
    assert verified.get("/admin/").status_code == 200


def test_the_audit_log_is_read_only_in_the_admin(alice, bob):
    from warden.audit.services import record

    event = record(actor=alice, action="test.event")
    admin = User.objects.create_superuser("root", "root@example.org", PASSWORD)
    client = verified_client(admin)
    assert client.get("/admin/audit/auditevent/").status_code == 200
    assert client.get(f"/admin/audit/auditevent/{event.pk}/change/").status_code == 200
    assert client.get("/admin/audit/auditevent/add/").status_code == 403
    assert client.post(f"/admin/audit/auditevent/{event.pk}/delete/").status_code == 403
    page = client.get(f"/admin/audit/auditevent/{event.pk}/change/").content.decode()
    assert 'name="_save"' not in page

from __future__ import annotations

import pytest
from django.urls import reverse

from warden.advisories.models import Statement, Status
from warden.testing.staff import verified_client

pytestmark = pytest.mark.django_db

STATEMENT = {
    "countries": "tr",
    "title_en": "Leave Türkiye",
    "text_en": "All Israelis in Turkey should leave the country as soon as possible.",
    "title_he": "יש לעזוב את טורקיה",
    "text_he": "על כל הישראלים בטורקיה לעזוב את המדינה בהקדם האפשרי.",
}


def test_an_analyst_drafts_and_submits_and_another_approver_publishes(
    authority, turkey, alice, bob
):
    client = verified_client(alice)
    response = client.post(reverse("console:statement_new"), STATEMENT)
    statement = Statement.objects.get()
    assert response["Location"] == reverse("console:statement", args=[statement.pk])
    assert list(statement.countries.values_list("pk", flat=True)) == ["TR"]

    client.post(reverse("console:statement_submit", args=[statement.pk]))
    verified_client(bob).post(reverse("console:statement_publish", args=[statement.pk]))
    statement.refresh_from_db()
    assert statement.status == Status.PUBLISHED
    listing = verified_client(alice).get(reverse("console:statements")).content.decode()
    assert "Leave Türkiye" in listing


def test_the_author_of_a_statement_cannot_publish_it(authority, turkey, carol):
    client = verified_client(carol)
    client.post(reverse("console:statement_new"), STATEMENT)
    statement = Statement.objects.get()
    client.post(reverse("console:statement_submit", args=[statement.pk]))
    page = client.get(reverse("console:statement", args=[statement.pk])).content.decode()
    assert "You cannot publish this statement." in page

    response = client.post(reverse("console:statement_publish", args=[statement.pk]), follow=True)
    assert any("another approver must decide" in str(m) for m in response.context["messages"])
    statement.refresh_from_db()
    assert statement.status == Status.SUBMITTED


def test_unknown_countries_are_a_field_error(authority, turkey, alice):
    response = verified_client(alice).post(
        reverse("console:statement_new"), {**STATEMENT, "countries": "TR XX"}
    )
    assert response.status_code == 200
    assert response.context["form"].errors["countries"] == ["Unknown country code."]


def test_return_and_withdraw(authority, turkey, alice, bob):
    client = verified_client(alice)
    client.post(reverse("console:statement_new"), STATEMENT)
    statement = Statement.objects.get()
    client.post(reverse("console:statement_submit", args=[statement.pk]))
    approver = verified_client(bob)
    approver.post(
        reverse("console:statement_return", args=[statement.pk]),
        {"comment": "Add the Hebrew headline."},
    )
    statement.refresh_from_db()
    assert statement.status == Status.RETURNED

    client.post(reverse("console:statement_edit", args=[statement.pk]), STATEMENT)
    client.post(reverse("console:statement_submit", args=[statement.pk]))
    approver.post(reverse("console:statement_publish", args=[statement.pk]))
    approver.post(
        reverse("console:statement_withdraw", args=[statement.pk]),
        {"reason": "Superseded by the new statement."},
    )
    statement.refresh_from_db()
    assert (statement.status, statement.withdrawn_reason) == (
        Status.WITHDRAWN,
        "Superseded by the new statement.",
    )


def test_drafts_are_hidden_from_staff_without_draft_access(authority, turkey, alice, cast):
    verified_client(alice).post(reverse("console:statement_new"), STATEMENT)
    listing = verified_client(cast["dave"]).get(reverse("console:statements")).content.decode()
    assert "Leave Türkiye" not in listing

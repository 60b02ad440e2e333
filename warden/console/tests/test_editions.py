"""The edition editor and the approval screen, through the console's own forms and buttons."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import translation

from warden.advisories import services
from warden.advisories.models import Edition, Status
from warden.console.forms import EDITION_ERROR_FIELDS, EditionForm, apply_errors
from warden.console.tests.helpers import edition_data
from warden.test import content, publish
from warden.testing.staff import verified_client

pytestmark = pytest.mark.django_db


def _messages(response) -> list[str]:
    return [str(m) for m in response.context["messages"]]


def _submitted(author, country, level: int = 4, **overrides) -> Edition:
    edition = services.edition_draft(
        acting_user=author, country=country, content=content(level, **overrides)
    )
    return services.edition_submit(acting_user=author, edition=edition)


def test_an_analyst_drafts_and_submits_an_edition(authority, turkey, alice):
    client = verified_client(alice)
    response = client.post(reverse("console:edition_new", args=["TR"]), edition_data(4))
    edition = Edition.objects.get()
    assert response["Location"] == reverse("console:edition", args=[edition.pk])
    assert (edition.status, edition.level, edition.author) == (Status.DRAFT, 4, alice)
    hebrew = edition.text("he")
    assert hebrew is not None
    assert hebrew.summary == "יש לעזוב: רמה 4."

    response = client.post(reverse("console:edition_submit", args=[edition.pk]), follow=True)
    edition.refresh_from_db()
    assert edition.status == Status.SUBMITTED
    assert "Submitted for approval" in " ".join(_messages(response))


def test_an_approver_publishes_and_the_country_page_shows_the_level(authority, turkey, alice, bob):
    edition = _submitted(alice, turkey, 4)
    client = verified_client(bob)
    page = client.get(reverse("console:edition", args=[edition.pk])).content.decode()
    assert "Publish now" in page
    assert "would be notified" in page

    response = client.post(reverse("console:edition_publish", args=[edition.pk]), follow=True)
    edition.refresh_from_db()
    assert edition.status == Status.PUBLISHED
    assert "Published" in " ".join(_messages(response))
    country = client.get(reverse("console:country", args=["TR"])).content.decode()
    assert (
        '<span class="level-number">4</span> <span class="level-name">High threat</span>' in country
    )


def test_an_author_approver_cannot_publish_her_own_level_4_draft(authority, turkey, carol):
    edition = _submitted(carol, turkey, 4)
    client = verified_client(carol)
    page = client.get(reverse("console:edition", args=[edition.pk])).content.decode()
    assert "You cannot publish this edition." in page
    assert "Publish now" not in page

    # The button is hidden, but the rule lives in the service: a direct POST is refused too.
    response = client.post(reverse("console:edition_publish", args=[edition.pk]), follow=True)
    assert response.status_code == 200
    assert any("needs an approver who did neither" in m for m in _messages(response))
    edition.refresh_from_db()
    assert edition.status == Status.SUBMITTED


def test_an_author_approver_may_publish_a_low_level_change(authority, turkey, carol):
    edition = _submitted(carol, turkey, 2)
    verified_client(carol).post(reverse("console:edition_publish", args=[edition.pk]))
    edition.refresh_from_db()
    assert edition.status == Status.PUBLISHED


def test_an_approver_returns_a_submission_with_a_comment(authority, turkey, alice, bob):
    edition = _submitted(alice, turkey, 3)
    client = verified_client(bob)
    url = reverse("console:edition_return", args=[edition.pk])

    response = client.post(url, {"comment": "  "}, follow=True)
    assert "Tell the author what to change." in _messages(response)
    edition.refresh_from_db()
    assert edition.status == Status.SUBMITTED

    client.post(url, {"comment": "Cite the consulate incident."})
    edition.refresh_from_db()
    assert (edition.status, edition.returned_comment) == (
        Status.RETURNED,
        "Cite the consulate incident.",
    )
    page = verified_client(alice).get(reverse("console:edition", args=[edition.pk]))
    assert "Cite the consulate incident." in page.content.decode()


def test_an_approver_withdraws_the_current_edition(authority, turkey, alice, bob):
    first = publish(turkey, 2, author=alice, approver=bob)
    second = publish(turkey, 3, author=alice, approver=bob)
    client = verified_client(bob)
    page = client.get(reverse("console:edition", args=[second.pk])).content.decode()
    assert "Withdraw this edition" in page
    url = reverse("console:edition_withdraw", args=[second.pk])

    response = client.post(url, {"reason": ""}, follow=True)
    assert "Give the reason for the withdrawal." in _messages(response)

    client.post(url, {"reason": "Published by mistake."})
    second.refresh_from_db()
    first.refresh_from_db()
    assert (second.status, second.withdrawn_reason) == (Status.WITHDRAWN, "Published by mistake.")
    assert first.status == Status.PUBLISHED


def test_a_superseded_edition_offers_no_withdrawal(authority, turkey, alice, bob):
    first = publish(turkey, 2, author=alice, approver=bob)
    publish(turkey, 3, author=alice, approver=bob)
    page = verified_client(bob).get(reverse("console:edition", args=[first.pk]))
    assert "Withdraw this edition" not in page.content.decode()


def test_a_refused_transition_is_a_message_not_an_error_page(authority, turkey, alice, bob):
    edition = publish(turkey, 2, author=alice, approver=bob)
    response = verified_client(bob).post(
        reverse("console:edition_publish", args=[edition.pk]), follow=True
    )
    assert response.status_code == 200
    assert any("cannot become" in m for m in _messages(response))


def test_the_approval_screen_shows_the_diff_with_markers(authority, turkey, alice, bob):
    publish(turkey, 2, author=alice, approver=bob)
    edition = _submitted(alice, turkey, 4)
    page = verified_client(bob).get(reverse("console:edition", args=[edition.pk]))
    html = page.content.decode()
    assert "Compared with edition 1" in html
    assert '<li class="diff-removed"><span class="diff-mark" aria-hidden="true">−</span>' in html
    assert '<ins><span class="visually-hidden">Added: </span>Level 4 summary.</ins>' in html
    assert '<ol class="diff-lines" lang="he" dir="rtl">' in html


def test_new_drafts_start_from_the_current_edition(authority, turkey, alice, bob):
    publish(turkey, 3, author=alice, approver=bob)
    form = verified_client(alice).get(reverse("console:edition_new", args=["TR"])).context["form"]
    assert form.initial["level"] == 3
    assert form.initial["summary_en"] == "Level 3 summary."
    assert "change_note" not in form.initial


def test_the_hebrew_fields_are_right_to_left(authority, turkey, alice):
    html = verified_client(alice).get(reverse("console:edition_new", args=["TR"])).content.decode()
    assert 'name="body_he" cols="40" rows="10" lang="he" dir="rtl"' in html
    assert 'name="body_en" cols="40" rows="10" lang="en" dir="ltr"' in html


def test_the_preview_endpoint_renders_each_language(authority, turkey, alice):
    response = verified_client(alice).post(
        reverse("console:edition_preview", args=["TR"]), edition_data(4)
    )
    html = response.content.decode()
    assert "All travellers should leave: level 4." in html
    assert "יש לעזוב: רמה 4." in html
    assert "איום גבוה" in html  # the level's Hebrew name in the Hebrew text
    assert Edition.objects.count() == 0


def test_the_preview_button_works_without_javascript(authority, turkey, alice):
    data = edition_data(4, preview="1")
    del data["save"]
    response = verified_client(alice).post(reverse("console:edition_new", args=["TR"]), data)
    assert response.status_code == 200
    assert "All travellers should leave: level 4." in response.content.decode()
    assert Edition.objects.count() == 0


def test_an_exercise_draft_is_marked_everywhere(authority, turkey, alice):
    client = verified_client(alice)
    client.post(reverse("console:edition_new", args=["TR"]), edition_data(4, is_exercise="on"))
    edition = Edition.objects.get()
    assert edition.is_exercise
    for url in (
        reverse("console:edition", args=[edition.pk]),
        reverse("console:edition_edit", args=[edition.pk]),
        reverse("console:country", args=["TR"]),
        reverse("console:home"),
    ):
        assert "EXERCISE" in client.get(url).content.decode(), url


def test_an_analyst_edits_a_draft_with_an_area(authority, turkey, alice):
    edition = services.edition_draft(acting_user=alice, country=turkey, content=content(3))
    data = edition_data(
        3,
        **{
            "areas-TOTAL_FORMS": "1",
            "areas-0-code": "TR-34",
            "areas-0-level": "4",
            "areas-0-note_en": "Near the consulate.",
        },
    )
    response = verified_client(alice).post(reverse("console:edition_edit", args=[edition.pk]), data)
    assert response.status_code == 302
    area = edition.areas.get()
    assert (area.subdivision_id, area.level, area.notes) == (
        "TR-34",
        4,
        {"en": "Near the consulate."},
    )


def test_an_area_row_needs_its_level(authority, turkey, alice):
    data = edition_data(3, **{"areas-TOTAL_FORMS": "1", "areas-0-code": "TR-34"})
    response = verified_client(alice).post(reverse("console:edition_new", args=["TR"]), data)
    assert response.status_code == 200
    assert response.context["formset"].forms[0].errors["level"] == ["Choose a level for this area."]


def test_a_submitted_edition_cannot_be_edited(authority, turkey, alice):
    edition = _submitted(alice, turkey, 3)
    response = verified_client(alice).get(
        reverse("console:edition_edit", args=[edition.pk]), follow=True
    )
    assert "Only a draft or a returned edition can be changed." in _messages(response)


def test_an_incomplete_draft_cannot_be_submitted(authority, turkey, alice):
    edition = services.edition_draft(
        acting_user=alice, country=turkey, content=content(3, change_note="")
    )
    response = verified_client(alice).post(
        reverse("console:edition_submit", args=[edition.pk]), follow=True
    )
    assert "Write a change note, or mark the edit as minor." in _messages(response)


def test_service_errors_land_on_the_form_fields(authority):
    form = EditionForm({}, authority=authority, allow_exercise=True)
    form.is_valid()
    apply_errors(
        form,
        ValidationError(
            {
                "change_note": ["Write a change note."],
                "texts": ["The English summary and full advice are required."],
                "areas": ["TR-99 is not an area of Türkiye."],
            }
        ),
        EDITION_ERROR_FIELDS,
    )
    assert "Write a change note." in form.errors["change_note"]
    assert "The English summary and full advice are required." in form.errors["summary_en"]
    assert "TR-99 is not an area of Türkiye." in form.non_field_errors()


def test_a_plain_validation_error_becomes_a_form_error(authority):
    form = EditionForm({}, authority=authority, allow_exercise=True)
    form.is_valid()
    apply_errors(form, ValidationError("No default authority is configured yet."))
    assert form.non_field_errors() == ["No default authority is configured yet."]


def test_the_edition_page_lists_its_audit_trail_and_authors(authority, turkey, alice, bob):
    edition = _submitted(alice, turkey, 3)
    html = verified_client(bob).get(reverse("console:edition", args=[edition.pk])).content
    page = html.decode()
    assert "advisory.edition.draft" in page
    assert "advisory.edition.submit" in page
    assert "<strong>alice</strong> — author, submitted it" in page


def test_the_review_list_shows_overdue_editions(authority, turkey, alice, bob):
    from datetime import date

    edition = publish(turkey, 2, author=alice, approver=bob)
    Edition.objects.filter(pk=edition.pk).update(review_due=date(2020, 1, 1))
    page = verified_client(bob).get(reverse("console:review")).content.decode()
    assert "Review overdue since 1 Jan 2020" in page
    home = verified_client(bob).get(reverse("console:home")).content.decode()
    assert "Review overdue since 1 Jan 2020" in home


def test_console_pages_render_in_hebrew(authority, turkey, alice, bob):
    publish(turkey, 4, author=alice, approver=bob)
    with translation.override("en"):  # the request activates Hebrew in this thread; undo it
        html = verified_client(bob).get("/he/console/").content.decode()
    assert '<html lang="he" dir="rtl">' in html
    assert "טורקיה" in html

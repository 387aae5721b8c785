"""The manage links in Chromium: the contact person moves, adds and cancels (after a page that
asks) for the whole group, with JavaScript off; a member's own link manages that member only.
axe checks every page and state."""

import datetime
import re

from django.utils import timezone
from playwright.sync_api import expect

from registrations.models import Attendee, Status
from tests.e2e.conftest import MEMBERS, axe_violations


def test_manage_link_moves_one_member_and_cancels_another(make_page, demo_event, sign_up):
    sessions = list(demo_event.sessions.all())
    (first, first_email), (second, second_email) = MEMBERS[:2]
    registration = sign_up(
        demo_event, [(first, first_email, sessions[0]), (second, second_email, sessions[1])]
    )
    page = make_page(javascript=False)
    page.goto(registration.get_absolute_url())
    expect(page.locator(".amount-due")).to_contain_text("85,00")

    # Each member's card has its own forms, which post to their own addresses.
    card = page.locator(".attendee-card").filter(has_text=first)
    card.get_by_label("Andere themasessie").select_option(value=str(sessions[2].pk))
    card.get_by_role("button", name=re.compile("^Sessie wijzigen")).click()

    expect(page.locator(".messages")).to_have_text(f"{first} gaat naar ‘{sessions[2].title}’.")
    moved = page.locator(".attendee-card").filter(has_text=first)
    expect(moved).to_contain_text(f"Themasessie: {sessions[2].title}")

    # Cancelling asks first, on a page of its own, with what the organisation then pays.
    page.locator(".attendee-card").filter(has_text=second).get_by_role(
        "link", name=f"{second} afmelden"
    ).click()
    expect(page.locator(".confirm-question")).to_have_text(f"Weet u zeker dat u {second} afmeldt?")
    expect(page.locator(".confirm-amount")).to_have_text("Uw bijdrage wordt € 50,00.")
    assert Attendee.objects.get(name=second).status == Status.CONFIRMED
    page.get_by_role("button", name=f"Ja, {second} afmelden").click()

    expect(page.locator(".messages")).to_have_text(f"{second} is afgemeld.")
    expect(page.locator(".amount-due")).to_contain_text("50,00")
    assert page.url.endswith(registration.get_absolute_url())


def test_contact_pages_and_their_states_pass_axe(page, demo_event, sign_up):
    sessions = list(demo_event.sessions.all())
    registration = sign_up(
        demo_event,
        [(MEMBERS[0][0], "", sessions[0]), (MEMBERS[1][0], "", sessions[1])],
        remarks="Is er een lift?",
    )
    violations = []
    page.goto(registration.get_absolute_url())
    expect(page.locator(".remarks")).to_have_text("Is er een lift?")
    violations += axe_violations(page, "manage page")

    # A refused "Toevoegen": the error summary at the top takes the focus.
    page.fill("#id_new-name", MEMBERS[0][0])
    page.select_option("#id_new-session", index=1)
    page.get_by_role("button", name="Toevoegen").click()
    summary = page.locator("#foutmeldingen")
    expect(summary).to_be_focused()
    expect(summary).to_contain_text(f"{MEMBERS[0][0]} staat al in deze aanmelding.")
    assert page.title().startswith("Fout:")
    violations += axe_violations(page, "manage page, refused add")

    page.goto(registration.get_absolute_url())
    page.get_by_role("link", name="Alle deelnemers afmelden").click()
    expect(page.locator(".confirm-amount")).to_have_text("Uw bijdrage wordt € 0,00.")
    violations += axe_violations(page, "confirm cancelling everyone")
    page.get_by_role("link", name="Nee, terug").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("U bent aangemeld")

    page.get_by_role("link", name=f"{MEMBERS[1][0]} afmelden").click()
    expect(page.locator(".confirm-amount")).to_have_text("Uw bijdrage wordt € 50,00.")
    violations += axe_violations(page, "confirm cancelling one")

    # The deadline passes while the page is open: the refusal comes after a redirect, at the
    # top of the page, with the focus.
    type(demo_event).objects.filter(pk=demo_event.pk).update(
        registration_deadline=timezone.now() - datetime.timedelta(minutes=1)
    )
    page.get_by_role("button", name=f"Ja, {MEMBERS[1][0]} afmelden").click()
    refused = page.locator("#foutmeldingen")
    expect(refused).to_be_focused()
    expect(refused).to_have_text("Wijzigen kan niet meer. Neem contact op met Atrivé.")
    violations += axe_violations(page, "manage page, refused after a redirect")
    assert not violations, "\n".join(violations)


def test_a_members_own_link_manages_only_that_member(page, demo_event, sign_up):
    sessions = list(demo_event.sessions.all())
    registration = sign_up(
        demo_event,
        [(MEMBERS[2][0], "", sessions[0]), (MEMBERS[1][0], MEMBERS[1][1], sessions[1])],
    )
    own = registration.attendees.get(name=MEMBERS[1][0])
    other = registration.attendees.get(name=MEMBERS[2][0])
    violations = []

    page.goto(own.get_absolute_url())
    expect(page.get_by_role("heading", level=1)).to_have_text("U bent aangemeld")
    expect(page.locator(".member-name")).to_have_text(MEMBERS[1][0])
    expect(page.locator("main")).not_to_contain_text(MEMBERS[2][0])
    expect(page.locator("main")).not_to_contain_text("€")
    violations += axe_violations(page, "member page")

    # Someone else takes the last place in the chosen session before the member sends it.
    page.get_by_label("Andere themasessie").select_option(value=str(sessions[2].pk))
    type(sessions[2]).objects.filter(pk=sessions[2].pk).update(capacity=0)
    page.get_by_role("button", name="Sessie wijzigen").click()
    summary = page.locator("#foutmeldingen")
    expect(summary).to_be_focused()
    expect(summary).to_contain_text(f"Andere themasessie: De sessie ‘{sessions[2].title}’ is vol.")
    violations += axe_violations(page, "member page, refused move")

    # The group's pages do not open with the member's token.
    for path in [
        f"/aanmelding/{own.token}/",
        f"/aanmelding/{own.token}/deelnemer/{other.pk}/afmelden/",
        f"/aanmelding/{own.token}/afmelden/",
    ]:
        assert page.goto(path).status == 404, path

    page.goto(own.get_absolute_url())
    page.get_by_role("link", name="Mij afmelden").click()
    expect(page.locator(".confirm-question")).to_have_text(
        f"Weet u zeker dat u zich afmeldt, {MEMBERS[1][0]}?"
    )
    expect(page.locator(".confirm-amount")).to_have_count(0)
    violations += axe_violations(page, "member confirm page")
    page.get_by_role("button", name="Ja, ik meld mij af").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("U bent afgemeld")
    violations += axe_violations(page, "member page, cancelled")
    own.refresh_from_db()
    other.refresh_from_db()
    assert (own.status, other.status) == (Status.CANCELLED, Status.CONFIRMED)
    assert not violations, "\n".join(violations)

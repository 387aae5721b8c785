"""A contact person changes the sign-up through the manage link, with JavaScript off."""

import re

from playwright.sync_api import expect

from tests.e2e.conftest import MEMBERS


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

    page.locator(".attendee-card").filter(has_text=second).get_by_role(
        "button", name=f"{second} afmelden"
    ).click()

    expect(page.locator(".messages")).to_have_text(f"{second} is afgemeld.")
    expect(page.locator(".amount-due")).to_contain_text("50,00")
    assert page.url.endswith(registration.get_absolute_url())

"""A new visitor signs a group of three up, from the home page to the confirmation."""

import re

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import CONTACT, MEMBERS


def normalise(text: str) -> str:
    """Write Intl's non-breaking spaces as plain ones, so "€\u00a0100,00" reads "€ 100,00"."""
    return " ".join(text.replace("\u00a0", " ").split())


def go_to_signup(page) -> None:
    """Follow the links a visitor follows: the list, the event page, its sign-up button."""
    page.goto("/")
    page.get_by_role("link", name=re.compile("^Bekijk en meld u aan")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Participatielab")
    page.locator(".signup-cta").get_by_role("link", name="Aanmelden").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Aanmelden")


def assert_confirmation(page) -> None:
    expect(page.get_by_role("heading", level=1)).to_have_text("U bent aangemeld")
    assert "€ 100,00" in normalise(page.locator(".amount-due").inner_text())
    names = page.locator(".attendee-card h3").all_inner_texts()
    assert sorted(names) == sorted(name for name, _email in MEMBERS)


def test_signup_with_javascript_shows_the_live_price(
    page, demo_event, fill_signup, request_log, live_server
):
    go_to_signup(page)
    price = page.locator("#price-total")
    expect(price).to_contain_text(re.compile(r"€\s50,00"))

    fill_signup(page, members=3)

    expect(price).to_contain_text(re.compile(r"€\s100,00"))
    assert normalise(price.inner_text()) == "€ 100,00 (3 bestuursleden)"
    page.get_by_role("button", name="Aanmelden", exact=True).click()
    assert_confirmation(page)
    request_log.assert_only_host(live_server.url)


def test_signup_without_javascript_still_works(make_page, demo_event, fill_signup):
    page = make_page(javascript=False)
    go_to_signup(page)
    # The live price is an enhancement: without JavaScript the table alone tells the price.
    expect(page.locator("#price-live")).to_be_hidden()
    expect(page.locator(".price-table")).to_contain_text("€ 100,00")

    fill_signup(page, members=3)
    page.get_by_role("button", name="Aanmelden", exact=True).click()

    assert_confirmation(page)


def tab_to(page, selector: str, *, most: int = 6) -> int:
    """Press Tab until the element matching `selector` has focus; return how many presses.

    Fails when it takes more than `most` presses: the field is then missing from the tab
    order, or the order is not the one a reader of the page expects.
    """
    for presses in range(1, most + 1):
        page.keyboard.press("Tab")
        if page.evaluate("s => document.activeElement.matches(s)", selector):
            return presses
    focused = page.evaluate("document.activeElement.outerHTML.slice(0, 120)")
    pytest.fail(f"{selector} not reached in {most} Tab presses; focus is on {focused}")


def follow_skip_link(page) -> None:
    """Tab to the first element, the skip link, and use it, as a keyboard user does."""
    tab_to(page, "a.skip-link", most=1)
    expect(page.locator("a.skip-link")).to_be_in_viewport()
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "inhoud"


def test_signup_by_keyboard_only(page, demo_event):
    page.goto("/")
    follow_skip_link(page)
    tab_to(page, "main a.btn-primary", most=2)
    with page.expect_navigation():
        page.keyboard.press("Enter")
    follow_skip_link(page)
    tab_to(page, ".signup-cta a")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    follow_skip_link(page)

    fields = [
        ("#id_organisation_name", "Huurdersvereniging De Linde"),
        ("#id_contact_name", CONTACT[0]),
        ("#id_contact_email", CONTACT[1]),
    ]
    for n, (name, email) in enumerate(MEMBERS):
        # The arrow key picks the next option of a closed list: n + 1 presses, session n + 1.
        fields += [
            (f"#id_members-{n}-name", name),
            (f"#id_members-{n}-email", email),
            (f"#id_members-{n}-session", "ArrowDown" * (n + 1)),
        ]
    for selector, value in fields:
        tab_to(page, selector)
        if value.startswith("ArrowDown"):
            for _press in range(value.count("ArrowDown")):
                page.keyboard.press("ArrowDown")
        else:
            page.keyboard.type(value)
    # Past the invoice details and the remarks (all optional), the choice of no invitations.
    tab_to(page, "#id_remarks")
    tab_to(page, "#id_no_invitations")
    tab_to(page, "#id_consent", most=1)
    page.keyboard.press("Space")
    expect(page.locator("#id_consent")).to_be_checked()
    tab_to(page, "form.signup-form button[type=submit]")
    assert "€ 100,00" in normalise(page.locator("#price-total").inner_text())
    with page.expect_navigation():
        page.keyboard.press("Enter")

    assert_confirmation(page)
    sessions = page.locator(".attendee-card strong").all_inner_texts()
    assert len(set(sessions)) == 3


@pytest.mark.parametrize("javascript", [True, False], ids=["js", "no-js"])
def test_refused_signup_focuses_the_error_summary_and_keeps_the_input(
    make_page, demo_event, fill_signup, javascript
):
    page = make_page(javascript=javascript)
    go_to_signup(page)
    fill_signup(page, members=2)
    page.fill("#id_members-0-name", "")
    page.fill("#id_remarks", "Wij komen met de trein.")

    page.get_by_role("button", name="Aanmelden", exact=True).click()

    summary = page.get_by_role("alert", name="Controleer het formulier")
    expect(summary).to_be_visible()
    expect(summary).to_be_focused()
    assert page.evaluate("document.activeElement.id") == "foutmeldingen"
    expect(summary.get_by_role("link")).to_have_count(1)
    expect(summary.get_by_role("link")).to_have_attribute("href", "#id_members-0-name")
    assert page.title().startswith("Fout:")
    expect(page.locator("#id_organisation_name")).to_have_value("Huurdersvereniging De Linde")
    expect(page.locator("#id_contact_email")).to_have_value(CONTACT[1])
    expect(page.locator("#id_members-0-email")).to_have_value(MEMBERS[0][1])
    expect(page.locator("#id_members-1-name")).to_have_value(MEMBERS[1][0])
    expect(page.locator("#id_members-1-session")).not_to_have_value("")
    expect(page.locator("#id_remarks")).to_have_value("Wij komen met de trein.")
    expect(page.locator("#id_consent")).to_be_checked()

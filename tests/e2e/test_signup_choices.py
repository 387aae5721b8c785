"""Sign-ups as tenant boards really make them, in Chromium: shared and missing addresses, a
full session answered at the member, the choice to wait (alone or as a whole group), and a
summary of who goes where and what it costs before the button. axe checks every new state."""

import re

import pytest
from playwright.sync_api import expect

from registrations.management.commands.seed_demo import DEMO_SLUG
from registrations.models import Attendee, MailKind, OutboxMail, Registration, Status
from sessions.models import Event
from tests.e2e.conftest import CONTACT, MEMBERS, ORGANISATIONS, axe_violations
from tests.signup_posts import signup_url

SHARED = "bestuur@huurdersvereniging-delinde.example.org"


def normalise(text: str) -> str:
    return " ".join(text.replace("\u00a0", " ").split())


def fill_group(page, sessions: list[int], *, emails=("", "", "")) -> None:
    """Fill in the organisation, the contact and three members in the given sessions (by the
    option's place in the list, 1 being the first session)."""
    page.fill("#id_organisation_name", ORGANISATIONS[0])
    page.fill("#id_contact_name", CONTACT[0])
    page.fill("#id_contact_email", CONTACT[1])
    for n, ((name, _email), address, index) in enumerate(
        zip(MEMBERS, emails, sessions, strict=True)
    ):
        page.fill(f"#id_members-{n}-name", name)
        page.fill(f"#id_members-{n}-email", address)
        page.select_option(f"#id_members-{n}-session", index=index)
    page.check("#id_consent")


def submit(page) -> None:
    page.get_by_role("button", name="Aanmelden", exact=True).click()
    page.wait_for_load_state("load")


def make_full(event: Event, title_start: str):
    """Give a session of the demo lab no places left (through save, as staff would)."""
    session = event.sessions.get(title__startswith=title_start)
    session.capacity = 0
    session.save()
    return session


def summary_lines(page) -> list[str]:
    return [normalise(text) for text in page.locator("#samenvatting-lijst li").all_inner_texts()]


def test_group_of_three_with_a_shared_address_and_none_gets_one_mail_per_address(page, demo_event):
    page.goto(signup_url(demo_event))

    # Jan has no address; Karin and Fatima share the board's.
    fill_group(page, [1, 2, 3], emails=(SHARED, "", SHARED))
    expect(page.locator("#samenvatting")).to_be_visible()
    assert summary_lines(page) == [
        f"{MEMBERS[0][0]} gaat naar Duurzaamheid en prestatieafspraken",
        f"{MEMBERS[1][0]} gaat naar De financiën van de corporatie",
        f"{MEMBERS[2][0]} gaat naar Werksessie: neem uw bod of afspraken mee",
    ]
    submit(page)

    expect(page.get_by_role("heading", level=1)).to_have_text("U bent aangemeld")
    expect(page.locator(".amount-due")).to_contain_text("100,00")
    registration = Registration.objects.get(event__slug=DEMO_SLUG)
    assert sorted(registration.attendees.values_list("email", flat=True)) == ["", SHARED, SHARED]
    person_mails = OutboxMail.objects.filter(kind=MailKind.CONFIRMATION, registration=registration)
    assert sorted(person_mails.values_list("recipient", flat=True)) == sorted([CONTACT[1], SHARED])


@pytest.mark.parametrize("javascript", [True, False], ids=["js", "no-js"])
def test_member_picks_a_full_session_sees_the_message_and_picks_another(
    make_page, demo_event, javascript
):
    make_full(demo_event, "Werksessie")
    page = make_page(javascript=javascript)
    page.goto(signup_url(demo_event))
    violations = []

    fill_group(page, [1, 2, 3], emails=("karin@example.org", "jan@example.org", ""))
    note = page.locator("[data-member]").nth(2).locator("[data-full-note]")
    if javascript:  # the page says it before the button
        expect(note).to_have_text(
            "Deze themasessie is vol. Er is nog plaats bij: Duurzaamheid en "
            "prestatieafspraken, De financiën van de corporatie, Prestatieafspraken en de "
            "jaarcyclus van de corporatie."
        )
        expect(page.locator("#id_members-2-wait_if_full")).to_be_visible()
        expect(page.locator("#id_members-1-wait_if_full")).to_be_hidden()
        violations += axe_violations(page, "sign-up, a full session picked")

    # Sent as it is, the server says it at the member, and at the top, with focus.
    submit(page)
    summary = page.locator("#foutmeldingen")
    expect(summary).to_be_focused()
    expect(summary).to_contain_text("Bestuurslid 3 – Themasessie: Deze themasessie is vol.")
    expect(page.locator("#id_members-2-session")).to_have_class(re.compile("is-invalid"))
    expect(page.locator("#id_members-2-wait_if_full")).to_be_visible()
    if javascript:  # axe runs in the page, so only where scripts run
        expect(note).to_be_hidden()  # the error says it already
        violations += axe_violations(page, "sign-up refused at a full session")

    page.select_option("#id_members-2-session", index=4)
    expect(page.locator("#id_consent")).to_be_checked()
    submit(page)

    expect(page.get_by_role("heading", level=1)).to_have_text("U bent aangemeld")
    assert set(demo_people().values_list("status", flat=True)) == {Status.CONFIRMED}
    assert not violations, "\n".join(violations)


def test_member_chooses_to_wait_the_others_come_and_the_price_counts_two(page, demo_event):
    make_full(demo_event, "Werksessie")
    page.goto(signup_url(demo_event))
    fill_group(page, [1, 2, 3])

    page.locator("#id_members-2-wait_if_full").check()

    assert summary_lines(page)[2] == (
        f"{MEMBERS[2][0]} wacht op een plaats in Werksessie: neem uw bod of afspraken mee"
    )
    assert normalise(page.locator("#price-total").inner_text()) == "€ 85,00 (2 bestuursleden)"
    violations = axe_violations(page, "sign-up, a member waits")
    submit(page)

    expect(page.get_by_role("heading", level=1)).to_have_text("U bent aangemeld")
    summary = page.locator(".summary-box")
    expect(summary).to_contain_text(
        f"{MEMBERS[2][0]} wacht op een plaats in Werksessie: neem uw bod of afspraken mee"
    )
    expect(page.locator(".amount-due")).to_contain_text("85,00")
    assert sorted(demo_people().values_list("name", "status")) == sorted(
        [
            (MEMBERS[0][0], Status.CONFIRMED),
            (MEMBERS[1][0], Status.CONFIRMED),
            (MEMBERS[2][0], Status.WAITING),
        ]
    )
    violations += axe_violations(page, "manage page, a member waits")
    assert not violations, "\n".join(violations)


def test_nearly_full_evening_tells_the_places_left_and_the_group_waits_as_a_whole(page, demo_event):
    Event.objects.filter(pk=demo_event.pk).update(capacity=2, version=999)
    page.goto(signup_url(demo_event))

    expect(page.locator(".places-left")).to_have_text("Er zijn nog 2 plaatsen op deze bijeenkomst.")
    fill_group(page, [1, 2, 3])
    expect(page.locator("[data-group-wait]")).to_be_visible()
    assert summary_lines(page)[-1] == (
        "Er zijn nog 2 plaatsen: meld minder bestuursleden aan, of zet de hele groep op de "
        "wachtlijst."
    )
    page.get_by_label("Zet de hele groep op de wachtlijst").check()
    assert summary_lines(page)[-1] == (
        "De hele groep staat op de wachtlijst en betaalt pas als er plaats is."
    )
    assert normalise(page.locator("#price-total").inner_text()) == "€ 0,00 (0 bestuursleden)"
    violations = axe_violations(page, "sign-up, the whole group waits")
    submit(page)

    expect(page.get_by_role("heading", level=1)).to_have_text("U staat op de wachtlijst")
    registration = Registration.objects.get(event__slug=DEMO_SLUG)
    assert (registration.status, registration.wait_as_group) == (Status.WAITING, True)
    violations += axe_violations(page, "manage page, the group waits")
    assert not violations, "\n".join(violations)


def demo_people():
    """The board members of the open demo lab (the demo's past lab has its own)."""
    return Attendee.objects.filter(event__slug=DEMO_SLUG)

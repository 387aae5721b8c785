"""The evening from the back office, as an adviser on a 1280 by 900 laptop: from the dashboard
to check-in, two people checked in and a walk-in added; screenshots of the dashboard, the
overview, the desk list as printed and the first page of the name badges."""

import io
from importlib import import_module

import pypdfium2
import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.urls import reverse
from playwright.sync_api import expect

from registrations.invoices import mark_invoices_paid
from registrations.models import Attendee, Invoice
from tests.e2e.conftest import SCREENSHOTS

USERNAME = "adviseur"
PASSWORD = "kasteel-rhijnauwen-2017"


def adviser_group() -> Group:
    """Return the adviser group with the rights its data migrations give it.

    A browser test runs on a database emptied after each test (permissions come back, groups
    do not), so the group is made again from the migrations' own lists."""
    permissions = [
        *import_module("registrations.migrations.0002_adviser_group").PERMISSIONS,
        *(
            ("registrations", codename)
            for codename in import_module(
                "registrations.migrations.0004_adviser_outbox_permissions"
            ).CODENAMES
        ),
        ("registrations", "check_in_attendee"),
    ]
    group, _created = Group.objects.get_or_create(name="Atrivé adviseurs")
    group.permissions.set(
        Permission.objects.get(content_type__app_label=app_label, codename=codename)
        for app_label, codename in permissions
    )
    return group


@pytest.fixture
def adviser_page(page, demo_event, sign_up):
    """A browser logged in as a member of "Atrivé adviseurs", with two groups signed up for the
    demo lab."""
    first, second, *_rest = demo_event.sessions.all()
    sign_up(
        demo_event,
        [
            ("Karin Voorbeeld", "karin@example.org", first, "vegetarisch"),
            ("Jan de Boer", "jan.deboer@example.org", second),
        ],
    )
    sign_up(
        demo_event,
        [("Fatima El Amrani", "fatima@example.org", first)],
        organisation_name="Huurdersorganisatie Het Zuiden",
        contact_email="fatima@example.org",
    )
    adviser = get_user_model().objects.create_user(
        username=USERNAME, email="adviseur@example.org", password=PASSWORD, is_staff=True
    )
    adviser.groups.add(adviser_group())
    page.goto(reverse("admin:login"))
    page.fill("#id_username", USERNAME)
    page.fill("#id_password", PASSWORD)
    page.locator("#login-form [type=submit]").click()
    page.wait_for_url(f"**{reverse('admin:index')}")
    return page


def test_adviser_checks_in_two_people_and_adds_a_walk_in(adviser_page, demo_event):
    page = adviser_page
    SCREENSHOTS.mkdir(exist_ok=True)
    expected = Attendee.objects.confirmed().filter(event=demo_event).count()

    # The dashboard: the demo lab's card, with its links.
    card = page.locator(f"section[aria-labelledby='lab-{demo_event.pk}']")
    assert card.get_by_role("link", name="Inchecken").is_visible()
    page.screenshot(path=SCREENSHOTS / "evening-dashboard.png", full_page=True)

    # To check-in; the list filters as one types.
    card.get_by_role("link", name="Inchecken").click()
    page.wait_for_url("**/inchecken/")
    expect(page.locator("#check-in-counts")).to_have_text(f"0 van {expected} aanwezig")
    page.get_by_label("Zoek op naam of organisatie").fill("zuiden")
    assert page.locator(".check-in-row:visible").count() == 1
    page.get_by_role("button", name="Fatima El Amrani").click()
    expect(page.locator("#check-in-counts")).to_have_text(f"1 van {expected} aanwezig")
    page.get_by_label("Zoek op naam of organisatie").fill("jan de")
    jan = page.get_by_role("button", name="Jan de Boer")
    jan.click()
    expect(jan).to_have_attribute("aria-pressed", "true")
    expect(page.locator("#check-in-counts")).to_have_text(f"2 van {expected} aanwezig")
    # Tapped in the background: the search stands, and a second tap undoes, a third redoes.
    assert page.locator(".check-in-row:visible").count() == 1
    jan.click()
    expect(jan).to_have_attribute("aria-pressed", "false")
    expect(page.locator("#check-in-counts")).to_have_text(f"1 van {expected} aanwezig")
    jan.click()
    expect(jan).to_have_attribute("aria-pressed", "true")
    page.get_by_label("Zoek op naam of organisatie").fill("")
    page.screenshot(path=SCREENSHOTS / "evening-check-in.png", full_page=True)

    # A walk-in, in a session with room.
    page.get_by_role("link", name="Loper aan de deur toevoegen").click()
    page.fill("#id_organisation_name", "Bewonersraad Noord")
    page.fill("#id_contact_name", "Wim Loper")
    page.fill("#id_contact_email", "wim@example.org")
    page.check("#id_consent")
    page.uncheck("#id_send_confirmation")
    page.fill("#id_members-0-name", "Wim Loper")
    page.select_option("#id_members-0-session", index=3)
    page.screenshot(path=SCREENSHOTS / "evening-walk-in.png", full_page=True)
    page.get_by_role("button", name="Aanmelding opslaan").click()
    page.wait_for_url("**/inchecken/")
    expect(page.locator("#check-in-counts")).to_have_text(f"3 van {expected + 1} aanwezig")
    assert Attendee.objects.get(name="Wim Loper").checked_in_at is not None

    # The overview, the desk list as printed, the first page of the badges.
    page.goto(reverse("admin:theme_sessions_event_overview", args=[demo_event.pk]))
    page.screenshot(path=SCREENSHOTS / "evening-overview.png", full_page=True)
    page.goto(reverse("admin:theme_sessions_event_desk_list", args=[demo_event.pk]))
    page.emulate_media(media="print")
    assert not page.locator("#header").is_visible()
    page.screenshot(path=SCREENSHOTS / "evening-desk-list-print.png", full_page=True)
    page.emulate_media(media="screen")
    badges = page.request.get(reverse("admin:theme_sessions_event_badges", args=[demo_event.pk]))
    assert badges.headers["content-type"] == "application/pdf"
    pdf = pypdfium2.PdfDocument(io.BytesIO(badges.body()))
    pdf[0].render(scale=1.5).to_pil().save(SCREENSHOTS / "evening-badges-page-1.png")
    assert "Wim Loper" in pdf[0].get_textpage().get_text_range()


@pytest.mark.parametrize(
    ("model", "fits"),
    [
        ("theme_sessions_event", True),
        # Ten columns: the last ones scroll into view inside the table's own box.
        ("registrations_registration", False),
        ("registrations_attendee", True),
        ("registrations_invoice", True),
    ],
)
def test_change_lists_fit_or_scroll_in_their_own_box_at_1280(adviser_page, model, fits):
    # Arrange: paid invoices show the most columns (paid, payment status).
    SCREENSHOTS.mkdir(exist_ok=True)
    mark_invoices_paid(invoices=list(Invoice.objects.all()))

    # Act
    adviser_page.goto(reverse(f"admin:{model}_changelist"))
    adviser_page.screenshot(path=SCREENSHOTS / f"evening-list-{model}.png", full_page=True)

    # Assert: the page itself never scrolls sideways; the table fits its box, or the box
    # scrolls (as it would for any list, should a longer name not fit); type of 15 px or more.
    widths = adviser_page.evaluate(
        """() => {
            const box = document.querySelector('#changelist .results');
            return {
                page: document.documentElement.scrollWidth,
                window: window.innerWidth,
                fits: box.scrollWidth <= box.clientWidth,
                scrolls: getComputedStyle(box).overflowX === 'auto',
                font: parseFloat(
                    getComputedStyle(document.querySelector('#result_list tbody td')).fontSize
                ),
            };
        }"""
    )
    assert widths["page"] <= widths["window"]
    assert (widths["fits"], widths["scrolls"]) == (fits, True)
    assert widths["font"] >= 15

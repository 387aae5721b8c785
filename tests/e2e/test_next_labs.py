"""The archive, an announced lab with its notify-me form, the confirmation and unsubscribe
pages, and the staff previews of an invitation and a message: axe finds nothing, screenshots
for people to look at."""

from urllib.parse import urlsplit

from axe_playwright_python.sync_playwright import Axe
from django.urls import reverse

from registrations.management.demo_past import PAST_SLUG
from registrations.models import Subscriber, address_hash
from registrations.unsubscribe import unsubscribe_url
from sessions.models import Announcement, Event
from tests.e2e.conftest import DESKTOP, PHONE, SCREENSHOTS
from tests.e2e.test_admin_accessibility import describe, staff_page  # noqa: F401 (a fixture)
from tests.e2e.test_pages import TARGETS_TOO_SMALL
from tests.signup_posts import event_url

ADDRESS = "wachter@example.org"


def walk(page):
    """Visit each new public page and state; yield its name once it has loaded."""
    announcement = Announcement.objects.get()
    page.goto(reverse("registrations:archive"))
    yield "archive"
    page.goto(event_url(Event.objects.get(slug=PAST_SLUG)))
    yield "past-lab"
    page.goto(reverse("registrations:announcement", args=[announcement.pk]))
    yield "announcement"
    page.get_by_role("button", name="Stuur mij bericht").click()
    page.wait_for_load_state("load")
    assert page.locator("#foutmeldingen").is_visible()
    yield "announcement-errors"
    page.fill("#id_email", ADDRESS)
    page.get_by_role("button", name="Stuur mij bericht").click()
    page.wait_for_load_state("load")
    yield "notify-sent"
    subscriber = Subscriber.objects.get(email=ADDRESS)
    page.goto(reverse("registrations:notify_confirm", args=[subscriber.token]))
    yield "notify-confirm"
    page.get_by_role("button", name="Ja, stuur mij bericht").click()
    page.wait_for_load_state("load")
    yield "notify-confirmed"
    page.goto(urlsplit(unsubscribe_url(ADDRESS)).path)
    yield "unsubscribe"
    page.get_by_role("button", name="Afmelden").click()
    page.wait_for_load_state("load")
    assert Subscriber.objects.filter(address_hash=address_hash(ADDRESS)).count() == 0
    yield "unsubscribed"


def test_axe_finds_nothing_and_targets_are_large_on_the_next_labs_pages(make_page, demo_event):
    axe = Axe()
    problems = []
    for label, viewport in [("desktop", DESKTOP), ("phone", PHONE)]:
        page = make_page(viewport=viewport)
        Subscriber.objects.all().delete()
        for name in walk(page):
            result = axe.run(page).response
            assert result["passes"], f"axe checked nothing on {name}"
            problems += [describe(f"{name} ({label})", v) for v in result["violations"]]
            if label == "phone":
                problems += [f"{name}: too small: {t}" for t in page.evaluate(TARGETS_TOO_SMALL)]
            SCREENSHOTS.mkdir(exist_ok=True)
            page.screenshot(path=SCREENSHOTS / f"{name}-{label}.png", full_page=True)

    assert not problems, "\n" + "\n".join(problems)


def test_axe_finds_nothing_on_the_staff_previews(staff_page, demo_event):  # noqa: F811
    axe = Axe()
    violations = []
    for name, url, fill in [
        ("invite preview", reverse("admin:theme_sessions_event_invite", args=[demo_event.pk]), {}),
        (
            "message preview",
            reverse("admin:theme_sessions_event_mailing", args=[demo_event.pk]),
            {"#id_subject": "Parkeren", "#id_body": "Parkeer bij het kasteel."},
        ),
    ]:
        staff_page.goto(url)
        for selector, value in fill.items():
            staff_page.fill(selector, value)
        staff_page.get_by_role("button", name="Voorbeeld bekijken").click()
        staff_page.wait_for_load_state("load")
        assert staff_page.locator(".mail-preview").count() == 1, name
        violations += [describe(name, v) for v in axe.run(staff_page).response["violations"]]
        staff_page.screenshot(path=SCREENSHOTS / f"{name.replace(' ', '-')}.png", full_page=True)

    assert not violations, "\n" + "\n".join(violations)

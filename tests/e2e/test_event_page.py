"""The event page on arrival, on a laptop and a phone, with and without a header image: the key
facts and the sign-up button in view without scrolling, nothing from another host, axe clean."""

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect

from sessions.images import LOGO, process_upload
from sessions.models import SiteSettings
from tests.e2e.conftest import DESKTOP, PHONE, SCREENSHOTS
from tests.images import photo, upload
from tests.signup_posts import event_url

IN_VIEW = """(selector) => {
  const box = document.querySelector(selector).getBoundingClientRect();
  return {top: box.top, bottom: box.bottom, left: box.left, right: box.right,
          height: window.innerHeight, width: window.innerWidth};
}"""


def fully_in_view(page, selector: str) -> bool:
    box = page.evaluate(IN_VIEW, selector)
    return (
        box["top"] >= 0
        and box["left"] >= 0
        and box["bottom"] <= box["height"]
        and box["right"] <= box["width"]
    )


@pytest.mark.parametrize("with_image", [True, False], ids=["image", "no-image"])
@pytest.mark.parametrize(
    ("label", "viewport"), [("desktop", DESKTOP), ("phone", PHONE)], ids=["desktop", "phone"]
)
def test_event_page_shows_key_facts_and_button_on_arrival(
    make_page, demo_event, request_log, live_server, label, viewport, with_image
):
    # Arrange: the demo lab has a drawn header image; take it away for the plain variant.
    if not with_image:
        demo_event.image = None
        demo_event.save()
    page = make_page(viewport=viewport)

    # Act
    page.goto(event_url(demo_event))
    page.wait_for_load_state("networkidle")
    SCREENSHOTS.mkdir(exist_ok=True)
    variant = "image" if with_image else "no-image"
    page.screenshot(path=SCREENSHOTS / f"event-{label}-{variant}.png")
    page.screenshot(path=SCREENSHOTS / f"event-{label}-{variant}-full.png", full_page=True)

    # Assert: the facts and the button, without scrolling.
    facts = page.locator(".key-facts")
    button = facts.get_by_role("link", name="Aanmelden", exact=True)
    expect(facts).to_be_visible()
    expect(button).to_be_visible()
    assert page.evaluate("window.scrollY") == 0
    assert fully_in_view(page, ".key-facts"), page.evaluate(IN_VIEW, ".key-facts")
    assert fully_in_view(page, ".key-facts .btn-primary")
    # The image, when there is one, is loaded and shown at its own proportions.
    images = page.locator("img.event-image")
    if with_image:
        expect(images).to_have_count(1)
        size = images.evaluate("img => [img.naturalWidth, img.clientWidth / img.clientHeight]")
        assert size[0] > 0 and round(size[1], 1) == 2.5
    else:
        expect(images).to_have_count(0)
    # The header is one row: the language link does not wrap.
    header = page.locator(".site-header").bounding_box()
    assert header["height"] <= 60, header
    # Nothing from another host; nothing for axe to complain about.
    request_log.assert_only_host(live_server.url)
    result = Axe().run(page).response
    assert result["passes"]
    assert [violation["id"] for violation in result["violations"]] == []


def test_event_page_sticky_key_facts_stay_in_view_while_reading(make_page, demo_event):
    # Arrange
    page = make_page(viewport=DESKTOP)
    page.goto(event_url(demo_event))

    # Act: read down to the contacts at the end of the page.
    page.locator("#contact").scroll_into_view_if_needed()

    # Assert
    assert page.evaluate("window.scrollY") > 0
    assert fully_in_view(page, ".key-facts .btn-primary")


def test_event_page_calendar_link_downloads_the_entry(page, demo_event):
    # Arrange
    page.goto(event_url(demo_event))

    # Act
    with page.expect_download() as download:
        page.get_by_role("link", name="Zet in uw agenda").click()

    # Assert
    assert download.value.suggested_filename == f"{demo_event.slug}.ics"
    assert "BEGIN:VEVENT" in download.value.path().read_text()


def test_site_logo_keeps_the_header_one_row_on_a_phone(make_page, demo_event):
    # Arrange: a wide logo, as organisations have them.
    site = SiteSettings.load()
    site.logo = process_upload(upload(photo(1200, 300), "logo.jpg"), LOGO)
    site.logo_alt = "Atrivé"
    site.save()
    page = make_page(viewport=PHONE)

    # Act
    page.goto(event_url(demo_event))
    page.screenshot(path=SCREENSHOTS / "event-phone-logo.png")

    # Assert
    logo = page.get_by_role("img", name="Atrivé")
    expect(logo).to_be_visible()
    assert logo.evaluate("img => img.complete && img.naturalWidth") == 384
    assert page.locator(".site-header").bounding_box()["height"] <= 60
    assert fully_in_view(page, ".key-facts .btn-primary")
    assert [v["id"] for v in Axe().run(page).response["violations"]] == []

"""Browser tests: Debian's Chromium, driven by Playwright, against pytest-django's live server.

Playwright's sync API keeps an asyncio loop running in the test thread for as long as the
browser lives, and Django refuses database calls from such a thread unless
DJANGO_ALLOW_ASYNC_UNSAFE is set. So the browser lives only while this package's tests run
(package scope, not session scope: pytest-django runs these live-server tests after the
ordinary database tests, and the tests that come after them must keep Django's guard), and the
variable is set for exactly that time.

Without Chromium every test here is skipped with one reason line; with REQUIRE_BROWSER=1 (CI)
a missing browser fails the run instead.
"""

import io
import os
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.core.management import call_command
from django.urls import reverse

from registrations.management.commands.seed_demo import DEMO_SLUG
from sessions.models import Event
from tests.signup_posts import event_url, signup_url

HERE = Path(__file__).parent
SCREENSHOTS = HERE / "screenshots"

DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}

CHROMIUM = shutil.which("chromium")
NO_BROWSER = "Chromium not found: apt-get install -y chromium to run the browser tests"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]

# The demo group: invented people at example.org, one theme session each.
MEMBERS = [
    ("Karin Voorbeeld", "karin@example.org"),
    ("Jan de Boer", "jan.deboer@example.org"),
    ("Fatima El Amrani", "fatima@example.org"),
]
ORGANISATIONS = ["Huurdersvereniging De Linde", "Huurdersorganisatie Het Zuiden"]
# A long, unbreakable address, as real secretariats have: it must not widen a phone page.
CONTACT = ("Karin Voorbeeld", "secretariaat@huurdersvereniging-delinde.example.org")


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Mark every test in this package as a browser test on a transactional database.

    The live server answers from another thread, so it only sees committed rows. Running
    first (tryfirst) lets `-m "not browser"` deselect these tests and pytest-django order them.
    """
    for item in items:
        if HERE in item.path.parents:
            item.add_marker(pytest.mark.browser)
            item.add_marker(pytest.mark.django_db(transaction=True))


def pytest_runtest_setup(item: pytest.Item) -> None:
    """Skip every browser test without Chromium, or fail them when CI demands a browser.

    Skipping here rather than in a fixture makes pytest report one line for all of them.
    """
    if CHROMIUM is not None:
        return
    if os.environ.get("REQUIRE_BROWSER") == "1":
        pytest.fail(f"REQUIRE_BROWSER=1 is set. {NO_BROWSER}", pytrace=False)
    pytest.skip(NO_BROWSER)


@pytest.fixture(scope="package")
def browser() -> Iterator:
    """One headless Chromium for all browser tests."""
    from playwright.sync_api import sync_playwright

    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(
                executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
            )
            yield browser
            browser.close()
    finally:
        if previous is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


@pytest.fixture(autouse=True)
def _plain_http_cookies(settings) -> None:
    """Let the browser keep the session, CSRF and language cookies: the live server is http."""
    settings.SESSION_COOKIE_SECURE = False
    settings.CSRF_COOKIE_SECURE = False
    settings.LANGUAGE_COOKIE_SECURE = False
    settings.SIGNUP_MIN_SECONDS = 0


class RequestLog:
    """Every URL the pages of one test asked for, to prove nothing comes from another host."""

    def __init__(self) -> None:
        self.urls: list[str] = []

    def record(self, request) -> None:
        self.urls.append(request.url)

    def assert_only_host(self, base_url: str) -> None:
        """Fail when any request went to a host other than `base_url`'s (CDN, fonts, trackers)."""
        own = urlsplit(base_url).netloc
        # data: and blob: URLs (Bootstrap's inline SVG icons) never leave the browser.
        network = [url for url in self.urls if urlsplit(url).scheme not in {"data", "blob"}]
        foreign = sorted({url for url in network if urlsplit(url).netloc != own})
        assert network, "no requests were recorded"
        assert foreign == [], f"requests to other hosts than {own}: {foreign}"


def axe_violations(page, name: str) -> list[str]:
    """Run axe on the page as it stands (a state shown by the script included); return one
    line per violation, naming the page or state."""
    result = Axe().run(page).response
    assert result["passes"], f"axe checked nothing on {name}"
    lines = []
    for violation in result["violations"]:
        targets = [" ".join(node["target"]) for node in violation["nodes"][:4]]
        lines.append(f"{name}: {violation['id']} ({violation['impact']}): {targets}")
    return lines


@pytest.fixture
def request_log() -> RequestLog:
    """The requests of every page opened in this test."""
    return RequestLog()


@pytest.fixture
def make_page(browser, live_server, request_log) -> Iterator[Callable]:
    """Open a fresh browser context and page: `make_page(javascript=False, viewport=PHONE)`.

    Each page starts without cookies, speaks to the live server through relative URLs
    (`page.goto("/")`) and reports its requests to `request_log`.
    """
    contexts = []

    def make(*, javascript: bool = True, viewport: dict | None = None, **options):
        context = browser.new_context(
            base_url=live_server.url,
            java_script_enabled=javascript,
            viewport=viewport or DESKTOP,
            locale="nl-NL",
            # Bootstrap scrolls smoothly unless the visitor asks for less motion; every
            # click below the fold would wait for the animation.
            reduced_motion="reduce",
            **options,
        )
        context.set_default_timeout(10_000)
        context.on("request", request_log.record)
        contexts.append(context)
        return context.new_page()

    yield make
    for context in contexts:
        context.close()


@pytest.fixture
def page(make_page):
    """A desktop page with JavaScript on."""
    return make_page()


@pytest.fixture
def demo_event(transactional_db) -> Event:
    """The demo lab as `manage.py seed_demo` creates it: open, four sessions, 50/85/100 euros."""
    call_command("seed_demo", stdout=io.StringIO())
    event = Event.objects.get(slug=DEMO_SLUG)
    assert event.sessions.count() == 4
    assert event.price_tiers_map() == {1: 50, 2: 85, 3: 100}
    return event


@pytest.fixture
def fill_signup() -> Callable:
    """Fill the sign-up form with the contact person and the first `members` board members.

    Every member gets a different theme session. Nothing is submitted. A second group in the
    same test (`group=2`) comes from another organisation with other e-mail addresses, since
    an address attends an event once.
    """

    def fill(page, *, members: int = 3, consent: bool = True, group: int = 1) -> None:
        def address(email: str) -> str:
            return email if group == 1 else email.replace("@", f"+{group}@")

        page.fill("#id_organisation_name", ORGANISATIONS[group - 1])
        page.fill("#id_contact_name", CONTACT[0])
        page.fill("#id_contact_email", address(CONTACT[1]))
        for n, (name, email) in enumerate(MEMBERS[:members]):
            page.fill(f"#id_members-{n}-name", name)
            page.fill(f"#id_members-{n}-email", address(email))
            page.select_option(f"#id_members-{n}-session", index=n + 1)
        if consent:
            page.check("#id_consent")

    return fill


def _submit_signup(page) -> None:
    """Press the form's submit button and wait for the answer to load."""
    page.locator("form.signup-form button[type=submit]").click()
    page.wait_for_load_state("load")


@pytest.fixture
def public_pages(demo_event, fill_signup) -> Callable[..., Iterator[str]]:
    """Walk a page through every public page, yielding each page's name once it has loaded.

    `for name in public_pages(page): ...` visits, in the order a visitor meets them: the list,
    the event, the sign-up form, the form refused (sent empty), the confirmation after a
    sign-up of three, the privacy statement and the not-found page.
    """
    event_page = event_url(demo_event)
    signup_page = signup_url(demo_event)

    def walk(page, *, include_404: bool = True, group: int = 1) -> Iterator[str]:
        page.goto("/")
        yield "home"
        page.goto(event_page)
        yield "event"
        page.goto(signup_page)
        yield "signup"
        _submit_signup(page)
        assert page.locator("#foutmeldingen").is_visible()
        yield "signup-errors"
        fill_signup(page, members=3, group=group)
        _submit_signup(page)
        assert "/aanmelding/" in page.url, page.locator("#foutmeldingen").inner_text()
        yield "confirmation"
        page.goto(reverse("registrations:privacy"))
        yield "privacy"
        if include_404:
            response = page.goto("/deze-pagina-bestaat-niet/")
            assert response.status == 404
            yield "404"

    return walk

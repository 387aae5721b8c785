"""Every public page: accessible, readable on a phone, self-contained, printable."""

from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect

from tests.e2e.conftest import DESKTOP, PHONE, SCREENSHOTS
from tests.signup_posts import event_url

# On a phone, measured in CSS pixels. Controls and site-wide links get the 44 px of WCAG 2.5.5
# (AAA), the size older fingers need; buttons, checkboxes and radios in both directions,
# fields and links in height only (their width is their text or the column).
# Links inside running text (a sentence, a list of errors, a heading that is a link) are
# exempt, as WCAG 2.5.8 exempts them: a 44 px line box for a link in a sentence would tear
# the text apart. For them we check the spacing instead: a line height of at least 24 px
# keeps links on consecutive lines 24 px apart (the 2.5.8 minimum).
TARGETS_TOO_SMALL = """() => {
  const offenders = [];
  for (const el of document.querySelectorAll("a[href], button, input, select, textarea")) {
    if (el.type === "hidden" || el.closest(".hp-field")) continue;
    const box = el.getBoundingClientRect();
    if (box.width === 0 || box.height === 0 || getComputedStyle(el).visibility === "hidden") {
      continue;
    }
    if (box.right <= 0 || box.bottom <= 0) continue;  // the skip link, until it has focus
    const square = el.matches("button, input[type=checkbox], input[type=radio], a.btn");
    const control = square || !el.matches("a") || el.closest(".site-header, .site-footer");
    const what = el.outerHTML.slice(0, 90);
    const size = Math.round(box.width) + "x" + Math.round(box.height);
    if (control && (box.height < 44 || (square && box.width < 44))) {
      offenders.push(size + " " + what);
    } else if (!control && !(parseFloat(getComputedStyle(el).lineHeight) >= 24)) {
      offenders.push("line height " + getComputedStyle(el).lineHeight + " " + what);
    }
  }
  return offenders;
}"""

HORIZONTAL_OVERFLOW = """() => {
  const root = document.documentElement;
  return {scroll: root.scrollWidth, inner: window.innerWidth, client: root.clientWidth};
}"""


def test_pages_fit_a_phone_with_large_tap_targets(make_page, public_pages):
    page = make_page(viewport=PHONE)
    problems = []
    for name in public_pages(page):
        width = page.evaluate(HORIZONTAL_OVERFLOW)
        # clientWidth leaves out a vertical scroll bar, so this is stricter than innerWidth.
        if width["scroll"] > min(width["inner"], width["client"]):
            problems.append(f"{name}: scrolls sideways: {width}")
        problems += [f"{name}: too small: {target}" for target in page.evaluate(TARGETS_TOO_SMALL)]
    assert not problems, "\n" + "\n".join(problems)


def describe(page_name: str, violation: dict) -> str:
    """Shorten one axe finding to a line: the page, the rule, its impact, the first elements."""
    targets = [" ".join(node["target"]) for node in violation["nodes"][:4]]
    more = len(violation["nodes"]) - len(targets)
    return (
        f"{page_name}: {violation['id']} ({violation['impact']}): {targets}"
        + (f" and {more} more" if more > 0 else "")
        + f" – {violation['help']}"
    )


def test_axe_finds_no_violations(page, public_pages):
    axe = Axe()
    violations = []
    for name in public_pages(page):
        result = axe.run(page).response
        assert result["passes"], f"axe checked nothing on {name}"
        violations += [describe(name, violation) for violation in result["violations"]]
    assert not violations, "\n" + "\n".join(violations)


def test_no_page_requests_another_host(page, public_pages, request_log, live_server):
    visited = list(public_pages(page))

    assert visited == [
        "home",
        "event",
        "signup",
        "signup-errors",
        "confirmation",
        "privacy",
        "404",
    ]
    assert any(url.endswith("/static/js/signup.js") for url in request_log.urls)
    request_log.assert_only_host(live_server.url)


def test_screenshots_of_every_public_page(make_page, public_pages):
    """Write full-page screenshots to tests/e2e/screenshots/ for people to look at."""
    SCREENSHOTS.mkdir(exist_ok=True)
    written = []
    for group, (label, viewport) in enumerate([("desktop", DESKTOP), ("phone", PHONE)], 1):
        page = make_page(viewport=viewport)
        for name in public_pages(page, include_404=False, group=group):
            path = SCREENSHOTS / f"{name}-{label}.png"
            page.screenshot(path=path, full_page=True)
            written.append(path)

    assert len(written) == 12
    assert all(path.stat().st_size > 10_000 for path in written)


def test_event_page_prints_without_navigation_or_buttons(page, demo_event):
    page.goto(event_url(demo_event))
    signup_buttons = page.get_by_role("link", name="Aanmelden", exact=True)
    expect(signup_buttons.first).to_be_visible()

    page.emulate_media(media="print")

    expect(page.get_by_role("heading", level=1)).to_be_visible()
    expect(page.locator(".programme")).to_be_visible()
    for selector in [".site-header", ".site-footer", ".signup-cta"]:
        expect(page.locator(selector)).to_be_hidden()
    for n in range(signup_buttons.count()):
        expect(signup_buttons.nth(n)).to_be_hidden()

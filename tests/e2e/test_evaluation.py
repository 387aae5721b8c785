"""The evaluation in Chromium: a board member fills it in on a phone without JavaScript and
can change it; axe checks the form and the thank-you page; staff see the results with their
charts (screenshot in tests/e2e/screenshots/)."""

import datetime

from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from registrations.management.demo_past import PAST_SLUG
from registrations.models import EvaluationResponse
from sessions.models import Event
from tests.e2e.conftest import PHONE, SCREENSHOTS, axe_violations


def open_link(demo_event) -> EvaluationResponse:
    """Return the demo's past lab's one unanswered link, with the evaluation open again."""
    past = Event.objects.get(slug=PAST_SLUG)
    evaluation = past.evaluation
    evaluation.closes_on = timezone.localdate() + datetime.timedelta(days=7)
    evaluation.save()
    return evaluation.responses.get(answered_at__isnull=True)


def test_evaluation_filled_in_on_a_phone_without_javascript(make_page, demo_event):
    link = open_link(demo_event)
    page = make_page(javascript=False, viewport=PHONE)

    page.goto(link.get_absolute_url())
    expect(page.get_by_role("heading", level=1)).to_have_text("Hoe was het?")
    expect(page.get_by_text(link.attendee.name)).to_be_visible()

    evening = page.get_by_role("group", name="Welk cijfer geeft u deze avond?")
    evening.get_by_label("8", exact=True).check()
    session = page.get_by_role("group", name="Welk cijfer geeft u uw themasessie?", exact=False)
    session.get_by_label("9", exact=True).check()
    page.get_by_label("Wat vond u het nuttigst?").fill("De gesprekken aan tafel.")
    page.get_by_label("Leefbaarheid in de wijk").check()
    recommend = page.get_by_role("group", name="Zou u het Participatielab aanraden", exact=False)
    recommend.get_by_label("Ja", exact=True).check()
    page.get_by_label("Mijn naam mag bij mijn opmerkingen staan.").check()
    page.get_by_role("button", name="Versturen").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Dank u wel!")
    link.refresh_from_db()
    marks = sorted(link.answers.exclude(mark=None).values_list("mark", flat=True))
    assert (marks, link.show_name) == ([8, 9], True)

    # Changed before the closing date: the form shows the earlier answers.
    page.get_by_role("link", name="Mijn antwoorden bekijken of wijzigen").click()
    expect(evening.get_by_label("8", exact=True)).to_be_checked()
    evening.get_by_label("7", exact=True).check()
    page.get_by_role("button", name="Antwoorden wijzigen").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Dank u wel!")
    assert sorted(link.answers.exclude(mark=None).values_list("mark", flat=True)) == [7, 9]

    page.screenshot(path=SCREENSHOTS / "evaluation-phone-thanks.png")


def test_evaluation_form_and_thank_you_page_pass_axe(make_page, demo_event):
    # axe is a script: it runs in a page with JavaScript on (the HTML is the same).
    link = open_link(demo_event)
    page = make_page(viewport=PHONE)
    violations = []

    page.goto(link.get_absolute_url())
    violations += axe_violations(page, "evaluation form")
    page.get_by_role("button", name="Versturen").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Dank u wel!")
    violations += axe_violations(page, "thank-you page")
    page.goto(link.get_absolute_url())
    violations += axe_violations(page, "evaluation form, answered")

    assert not violations, "\n" + "\n".join(violations)


def test_results_page_with_its_charts(page, demo_event):
    past = Event.objects.get(slug=PAST_SLUG)
    get_user_model().objects.create_superuser(
        username="adviseur", email="adviseur@example.org", password="kasteel-rhijnauwen-2017"
    )
    page.goto(reverse("admin:login"))
    page.fill("#id_username", "adviseur")
    page.fill("#id_password", "kasteel-rhijnauwen-2017")
    page.locator("#login-form [type=submit]").click()

    page.goto(reverse("admin:theme_sessions_event_evaluation", args=[past.pk]))

    charts = page.get_by_role("img", name="Verdeling van de cijfers", exact=False)
    expect(charts).to_have_count(6)  # two marks: all attendees and each of two sessions
    expect(page.locator(".response-rates tr.total")).to_contain_text("5")
    page.screenshot(path=SCREENSHOTS / "evaluation-results.png", full_page=True)
    assert axe_violations(page, "evaluation results") == []

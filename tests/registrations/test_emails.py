"""The e-mails around a sign-up: confirmation with calendar entry, staff notices, failures
that never lose a sign-up, the resend action, the retry command and the reminders."""

import datetime
from io import StringIO
from zoneinfo import ZoneInfo

import pytest
from django.conf import settings
from django.core.mail.backends.base import BaseEmailBackend
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone, translation
from icalendar import Calendar

from registrations import emails
from registrations.changes import cancel_attendee, cancel_registration
from registrations.models import Registration, Status
from tests.factories import ContactFactory, EventFactory, ThemeSessionFactory
from tests.signup_posts import signup_data

pytestmark = pytest.mark.django_db

LOCMEM_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
FAILING_BACKEND = f"{__name__}.FailingBackend"
AMSTERDAM = ZoneInfo("Europe/Amsterdam")
DUTCH_MONTHS = [
    "januari",
    "februari",
    "maart",
    "april",
    "mei",
    "juni",
    "juli",
    "augustus",
    "september",
    "oktober",
    "november",
    "december",
]


class FailingBackend(BaseEmailBackend):
    """A mail server that cannot be reached."""

    def send_messages(self, email_messages):
        raise OSError("Connection refused")


def next_monday(after: datetime.date) -> datetime.date:
    return after + datetime.timedelta(days=(7 - after.weekday()) % 7)


@pytest.fixture
def monday_event(event):
    """The open lab of `event`, moved to a Monday six weeks or more from now."""
    event.date = next_monday(timezone.localdate() + datetime.timedelta(days=42))
    event.save(update_fields=["date"])
    return event


def dutch_date(day: datetime.date) -> str:
    """Write a Monday out in Dutch, as the mails should: "maandag 15 mei"."""
    assert day.weekday() == 0
    return f"maandag {day.day} {DUTCH_MONTHS[day.month - 1]}"


def mails_to(outbox, address):
    return [message for message in outbox if message.to == [address]]


def html_of(message) -> str:
    ((content, mimetype),) = message.alternatives
    assert mimetype == "text/html"
    return content


def calendar_entry(message):
    """Parse the message's .ics attachment back and return its one VEVENT."""
    (attachment,) = [a for a in message.attachments if a.mimetype == "text/calendar"]
    assert attachment.filename == "participatielab.ics"
    (entry,) = Calendar.from_ical(attachment.content).walk("VEVENT")
    return entry


def three_members(event):
    """The contact herself plus two colleagues, each in another session."""
    sessions = list(event.sessions.all())
    return [
        ("Karin Voorbeeld", "karin@example.org", sessions[0]),
        ("Piet Voorbeeld", "piet@example.org", sessions[1]),
        ("Anna Voorbeeld", "anna@example.org", sessions[2]),
    ]


# The confirmation ---------------------------------------------------------------------------


def test_confirmation_goes_to_contact_with_colleagues_in_cc(
    monday_event, sign_up, mailoutbox, django_capture_on_commit_callbacks
):
    # Arrange
    members = three_members(monday_event)

    # Act
    with django_capture_on_commit_callbacks(execute=True):
        sign_up(monday_event, members)

    # Assert
    (confirmation,) = mails_to(mailoutbox, "karin@example.org")
    assert confirmation.cc == ["anna@example.org", "piet@example.org"]
    assert confirmation.subject == (
        f"Aanmelding bevestigd: {monday_event.title} op {dutch_date(monday_event.date)}"
    )


@pytest.mark.parametrize("part", ["plain", "html"])
def test_confirmation_body_shows_date_sessions_price_and_manage_link(
    monday_event, sign_up, mailoutbox, django_capture_on_commit_callbacks, part
):
    # Arrange
    members = three_members(monday_event)

    # Act
    with django_capture_on_commit_callbacks(execute=True):
        registration = sign_up(monday_event, members)

    # Assert
    (confirmation,) = mails_to(mailoutbox, "karin@example.org")
    body = confirmation.body if part == "plain" else html_of(confirmation)
    written_out = f"{dutch_date(monday_event.date)} {monday_event.date.year}"
    assert written_out in body
    for _name, _email, session in members:
        assert session.title in body
    assert "€ 100,00" in body
    assert settings.SITE_URL + registration.get_absolute_url() in body


@pytest.mark.parametrize("part", ["plain", "html"])
def test_confirmation_names_the_events_contacts_with_phone_and_address(
    monday_event, sign_up, mailoutbox, django_capture_on_commit_callbacks, part
):
    # Arrange
    ContactFactory(
        event=monday_event,
        name="Anna de Vries",
        role="adviseur",
        phone="030 000 00 01",
        email="anna.devries@example.org",
    )

    # Act
    with django_capture_on_commit_callbacks(execute=True):
        sign_up(monday_event, three_members(monday_event)[:1])

    # Assert
    (confirmation,) = mails_to(mailoutbox, "karin@example.org")
    if part == "plain":
        assert "Anna de Vries, adviseur, 030 000 00 01, anna.devries@example.org" in (
            confirmation.body
        )
    else:
        html = html_of(confirmation)
        assert '<a href="tel:+31300000001">030 000 00 01</a>' in html
        assert '<a href="mailto:anna.devries@example.org">' in html


def test_confirmation_calendar_runs_17_to_20_amsterdam_time_at_the_venue(
    monday_event, sign_up, mailoutbox, django_capture_on_commit_callbacks
):
    # Arrange
    members = three_members(monday_event)[:1]

    # Act
    with django_capture_on_commit_callbacks(execute=True):
        sign_up(monday_event, members)

    # Assert
    (confirmation,) = mails_to(mailoutbox, "karin@example.org")
    entry = calendar_entry(confirmation)
    start, end = entry.decoded("dtstart"), entry.decoded("dtend")
    assert start.tzinfo.key == "Europe/Amsterdam"
    local_start, local_end = start.astimezone(AMSTERDAM), end.astimezone(AMSTERDAM)
    assert (local_start.date(), local_start.hour, local_start.minute) == (monday_event.date, 17, 0)
    assert (local_end.date(), local_end.hour, local_end.minute) == (monday_event.date, 20, 0)
    assert "Kasteel Rhijnauwen" in str(entry["location"])
    assert "Bunnik" in str(entry["location"])


def test_confirmation_calendar_uid_is_stable_per_registration(event, sign_up, mailoutbox):
    # Arrange
    session = event.sessions.first()
    first = sign_up(event, [("Karin", "karin@example.org", session)])
    other = sign_up(
        event,
        [("Joop", "joop@example.org", session)],
        organisation_name="Bewonersraad De Eik",
        contact_email="joop@example.org",
    )

    # Act
    emails.send_confirmation(first.pk)
    emails.send_confirmation(first.pk)
    emails.send_confirmation(other.pk)

    # Assert
    uids = [str(calendar_entry(message)["uid"]) for message in mailoutbox]
    assert uids[0] == uids[1]
    assert uids[0] != uids[2]


# Staff notices ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("notification_email", "expected"),
    [("lab@example.org", "lab@example.org"), ("", settings.STAFF_NOTIFICATION_EMAIL)],
    ids=["event-address", "default-address"],
)
def test_staff_notice_for_new_signup_goes_to_the_event_address(
    event, sign_up, mailoutbox, django_capture_on_commit_callbacks, notification_email, expected
):
    # Arrange
    event.notification_email = notification_email
    event.save(update_fields=["notification_email"])
    members = three_members(event)[:2]

    # Act
    with django_capture_on_commit_callbacks(execute=True):
        sign_up(event, members)

    # Assert
    assert [m.subject for m in mails_to(mailoutbox, expected)] == [
        "[Participatielab] Nieuwe aanmelding: Huurdersvereniging De Linde (2)"
    ]


@pytest.mark.parametrize(
    ("notification_email", "expected"),
    [("lab@example.org", "lab@example.org"), ("", settings.STAFF_NOTIFICATION_EMAIL)],
    ids=["event-address", "default-address"],
)
def test_staff_notice_for_a_change_goes_to_the_event_address(
    event, sign_up, mailoutbox, django_capture_on_commit_callbacks, notification_email, expected
):
    # Arrange
    event.notification_email = notification_email
    event.save(update_fields=["notification_email"])
    registration = sign_up(event, three_members(event)[:2])
    piet = registration.attendees.get(email="piet@example.org")

    # Act
    with django_capture_on_commit_callbacks(execute=True):
        cancel_attendee(attendee=piet, by_staff=False)

    # Assert
    (notice,) = mails_to(mailoutbox, expected)
    assert notice.subject == "[Participatielab] Wijziging: Huurdersvereniging De Linde"
    assert "Piet Voorbeeld is afgemeld." in notice.body


# A mail that fails ---------------------------------------------------------------------------


def test_failing_mail_server_keeps_the_public_signup(
    client, event, settings, mailoutbox, django_capture_on_commit_callbacks
):
    # Arrange
    settings.EMAIL_BACKEND = FAILING_BACKEND
    members = three_members(event)[:2]

    # Act: the mail hooks run when the block closes; an exception from them would fail here.
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        response = client.post(
            reverse("registrations:signup", args=[event.slug]), signup_data(members)
        )

    # Assert
    registration = Registration.objects.get()
    assert response.status_code == 302
    assert response["Location"] == registration.get_absolute_url()
    assert len(callbacks) == 1  # one hook tries the confirmation and the staff notice
    assert registration.status == Status.CONFIRMED
    assert sorted(registration.attendees.values_list("email", "status")) == [
        ("karin@example.org", Status.CONFIRMED),
        ("piet@example.org", Status.CONFIRMED),
    ]
    assert registration.confirmation_sent_at is None
    assert "Connection refused" in registration.mail_error
    assert mailoutbox == []


def test_resend_confirmation_action_sends_and_clears_the_error(
    admin_client, event, sign_up, settings, mailoutbox, django_capture_on_commit_callbacks
):
    # Arrange
    settings.EMAIL_BACKEND = FAILING_BACKEND
    with django_capture_on_commit_callbacks(execute=True):
        registration = sign_up(event, three_members(event)[:1])
    registration.refresh_from_db()
    assert registration.mail_error != ""
    settings.EMAIL_BACKEND = LOCMEM_BACKEND

    # Act
    response = admin_client.post(
        reverse("admin:registrations_registration_changelist"),
        {"action": "resend_confirmation", "_selected_action": [registration.pk]},
    )

    # Assert
    assert response.status_code == 302
    registration.refresh_from_db()
    (confirmation,) = mailoutbox
    assert confirmation.to == ["karin@example.org"]
    assert confirmation.subject.startswith("Aanmelding bevestigd: ")
    assert registration.confirmation_sent_at is not None
    assert registration.mail_error == ""


def test_retry_unsent_mail_sends_only_old_unsent_confirmations(
    event, sign_up, settings, mailoutbox, django_capture_on_commit_callbacks
):
    # Arrange: one sign-up whose mail went out, one whose mail failed, one still on its way.
    session = event.sessions.first()

    def sign(name):
        return sign_up(
            event,
            [(name, f"{name}@example.org", session)],
            organisation_name=f"Huurders {name}",
            contact_email=f"{name}@example.org",
        )

    with django_capture_on_commit_callbacks(execute=True):
        sent = sign("sent")
    settings.EMAIL_BACKEND = FAILING_BACKEND
    with django_capture_on_commit_callbacks(execute=True):
        failed = sign("failed")
        fresh = sign("fresh")
    two_minutes_ago = timezone.now() - datetime.timedelta(minutes=2)
    Registration.objects.filter(pk__in=[sent.pk, failed.pk]).update(
        created_at=two_minutes_ago, updated_at=two_minutes_ago
    )
    settings.EMAIL_BACKEND = LOCMEM_BACKEND
    mailoutbox.clear()

    # Act
    call_command("retry_unsent_mail", stdout=StringIO())

    # Assert
    assert [m.to for m in mailoutbox] == [["failed@example.org"]]
    failed.refresh_from_db()
    fresh.refresh_from_db()
    assert failed.confirmation_sent_at is not None
    assert failed.mail_error == ""
    assert fresh.confirmation_sent_at is None


def test_retry_unsent_mail_twice_sends_once(
    event, sign_up, settings, mailoutbox, django_capture_on_commit_callbacks
):
    # Arrange
    settings.EMAIL_BACKEND = FAILING_BACKEND
    with django_capture_on_commit_callbacks(execute=True):
        registration = sign_up(event, three_members(event)[:1])
    Registration.objects.filter(pk=registration.pk).update(
        created_at=timezone.now() - datetime.timedelta(minutes=5),
        updated_at=timezone.now() - datetime.timedelta(minutes=5),
    )
    settings.EMAIL_BACKEND = LOCMEM_BACKEND
    call_command("retry_unsent_mail", stdout=StringIO())
    assert len(mailoutbox) == 1

    # Act
    call_command("retry_unsent_mail", stdout=StringIO())

    # Assert
    assert len(mailoutbox) == 1


# Reminders ------------------------------------------------------------------------------------


@pytest.fixture
def reminder_setup(sign_up):
    """A lab in two days with two confirmed, one waiting and one cancelled sign-up, and a lab
    in ten days with one confirmed sign-up."""
    soon = EventFactory(
        date=timezone.localdate() + datetime.timedelta(days=2),
        registration_deadline=timezone.now() + datetime.timedelta(days=1),
        has_waiting_list=True,
    )
    small = ThemeSessionFactory(event=soon, capacity=3)
    later = EventFactory(date=timezone.localdate() + datetime.timedelta(days=10))
    later_session = ThemeSessionFactory(event=later)

    def sign(event, session, name, size=1):
        return sign_up(
            event,
            [(f"{name} {n}", f"{name}{n}@example.org", session) for n in range(size)],
            organisation_name=f"Huurders {name}",
            contact_email=f"{name}@example.org",
        )

    registrations = {
        "first": sign(soon, small, "first", size=2),
        "second": sign(soon, small, "second"),
        "waiting": sign(soon, small, "waiting"),
        "cancelled": sign(soon, ThemeSessionFactory(event=soon), "cancelled"),
        "later": sign(later, later_session, "later"),
    }
    cancel_registration(registration=registrations["cancelled"], by_staff=True)
    assert registrations["waiting"].status == Status.WAITING
    return registrations


def test_send_reminders_mails_each_confirmed_signup_of_events_soon(reminder_setup, mailoutbox):
    # Act
    call_command("send_reminders", days=3, stdout=StringIO())

    # Assert
    assert sorted(m.to[0] for m in mailoutbox) == ["first@example.org", "second@example.org"]
    assert {m.subject.split(":")[0] for m in mailoutbox} == {"Herinnering"}
    reminded = {
        name: Registration.objects.get(pk=r.pk).reminder_sent_at is not None
        for name, r in reminder_setup.items()
    }
    assert reminded == {
        "first": True,
        "second": True,
        "waiting": False,
        "cancelled": False,
        "later": False,
    }


def test_send_reminders_twice_sends_each_reminder_once(reminder_setup, mailoutbox):
    # Arrange
    call_command("send_reminders", days=3, stdout=StringIO())
    sent_first = len(mailoutbox)

    # Act
    call_command("send_reminders", days=3, stdout=StringIO())

    # Assert
    assert sent_first == 2
    assert len(mailoutbox) == 2


def test_send_reminders_one_failing_mail_stops_no_other_and_is_tried_again(
    reminder_setup, mailoutbox, monkeypatch
):
    # Arrange: the mail server refuses the first organisation's reminder, once.
    real_send = emails.send_reminder
    refused = []

    def refuse_first_once(registration):
        if registration.contact_email == "first@example.org" and not refused:
            refused.append(registration.pk)
            raise OSError("Connection refused")
        real_send(registration)

    monkeypatch.setattr(emails, "send_reminder", refuse_first_once)
    first_run = StringIO()

    # Act
    call_command("send_reminders", days=3, stdout=first_run)
    sent_in_first_run = sorted(m.to[0] for m in mailoutbox)
    call_command("send_reminders", days=3, stdout=StringIO())

    # Assert
    assert first_run.getvalue().strip() == "Reminders sent: 1, failed: 1."
    assert sent_in_first_run == ["second@example.org"]
    assert sorted(m.to[0] for m in mailoutbox) == ["first@example.org", "second@example.org"]


def test_reminder_carries_the_calendar_entry(reminder_setup, mailoutbox):
    # Act
    call_command("send_reminders", days=3, stdout=StringIO())

    # Assert
    first = reminder_setup["first"]
    (reminder,) = mails_to(mailoutbox, "first@example.org")
    assert reminder.cc == ["first0@example.org", "first1@example.org"]
    assert str(calendar_entry(reminder)["uid"]) == f"registration-{first.pk}@participatielab"


# Gaps found while testing --------------------------------------------------------------------


def test_resend_confirmation_action_does_not_confirm_a_cancelled_registration(
    admin_client, event, sign_up, mailoutbox
):
    # Arrange
    registration = sign_up(event, three_members(event)[:1])
    cancel_registration(registration=registration, by_staff=True)

    # Act
    admin_client.post(
        reverse("admin:registrations_registration_changelist"),
        {"action": "resend_confirmation", "_selected_action": [registration.pk]},
    )

    # Assert
    confirmations = [m.subject for m in mailoutbox if m.subject.startswith("Aanmelding bevestigd")]
    assert confirmations == []


def test_retry_unsent_mail_retries_a_failed_waiting_list_promotion(
    event, sign_up, settings, mailoutbox, django_capture_on_commit_callbacks
):
    # Arrange: the waiting-list notice went out; the "there is room" mail failed.
    event.has_waiting_list = True
    event.save(update_fields=["has_waiting_list"])
    session = event.sessions.first()
    session.capacity = 1
    session.save(update_fields=["capacity"])
    first = sign_up(event, [("Karin", "karin@example.org", session)])
    with django_capture_on_commit_callbacks(execute=True):
        waiting = sign_up(
            event,
            [("Joop", "joop@example.org", session)],
            organisation_name="Bewonersraad De Eik",
            contact_email="joop@example.org",
        )
    settings.EMAIL_BACKEND = FAILING_BACKEND
    with django_capture_on_commit_callbacks(execute=True):
        cancel_attendee(attendee=first.attendees.get(), by_staff=True)
    waiting.refresh_from_db()
    assert (waiting.status, waiting.mail_error != "") == (Status.CONFIRMED, True)
    Registration.objects.filter(pk=waiting.pk).update(
        created_at=timezone.now() - datetime.timedelta(minutes=5),
        updated_at=timezone.now() - datetime.timedelta(minutes=5),
    )
    settings.EMAIL_BACKEND = LOCMEM_BACKEND
    mailoutbox.clear()

    # Act
    call_command("retry_unsent_mail", stdout=StringIO())

    # Assert
    assert [m.to for m in mailoutbox] == [["joop@example.org"]]


@pytest.mark.parametrize("why", ["event-over", "anonymised"])
def test_retry_unsent_mail_leaves_past_and_anonymised_sign_ups_alone(
    event, sign_up, mailoutbox, why
):
    # Arrange: an unconfirmed sign-up, long enough ago to be retried otherwise.
    registration = sign_up(event, [("Karin", "karin@example.org", event.sessions.first())])
    long_ago = timezone.now() - datetime.timedelta(minutes=5)
    Registration.objects.update(created_at=long_ago, updated_at=long_ago)
    if why == "event-over":
        event.date = timezone.localdate() - datetime.timedelta(days=1)
        event.save(update_fields=["date"])
    else:
        Registration.objects.filter(pk=registration.pk).update(anonymised_at=long_ago)

    # Act
    call_command("retry_unsent_mail", stdout=StringIO())

    # Assert
    assert mailoutbox == []


def test_change_mail_speaks_the_persons_language_and_staff_get_dutch(
    event, sign_up, mailoutbox, django_capture_on_commit_callbacks
):
    # Arrange: someone who signed up in English; a Dutch-speaking adviser cancels a member.
    registration = sign_up(
        event,
        [
            ("Anna Example", "anna@example.org", event.sessions.first()),
            ("Ben Example", "ben@example.org", event.sessions.first()),
        ],
    )
    Registration.objects.filter(pk=registration.pk).update(language="en")
    ben = registration.attendees.get(email="ben@example.org")

    # Act
    with translation.override("nl"), django_capture_on_commit_callbacks(execute=True):
        cancel_attendee(attendee=ben, by_staff=True)

    # Assert
    (person,) = [m for m in mailoutbox if "karin@example.org" in m.to]
    (staff,) = [m for m in mailoutbox if m.subject.startswith("[Participatielab]")]
    assert "The place for Ben Example has been cancelled." in person.body
    assert "Ben Example is afgemeld." in staff.body

"""What the e-mails around a sign-up say and who gets them: confirmation with calendar entry,
one mail per address, staff notices, change mails in the person's language, the resend action
and the reminders. They go out through the outbox: `send_queued_mail()` runs the worker."""

import datetime
import email
from email import policy
from io import StringIO
from zoneinfo import ZoneInfo

import pytest
from django.conf import settings
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone, translation
from icalendar import Calendar

from registrations import outbox
from registrations.changes import cancel_attendee, cancel_registration
from registrations.models import (
    MailKind,
    MailStatus,
    Organisation,
    OutboxMail,
    Registration,
    Status,
)
from registrations.signup import AttendeeData, add_attendee
from tests.factories import ContactFactory, EventFactory, ThemeSessionFactory
from tests.mail_servers import make_due_now
from tests.signup_posts import signup_data

pytestmark = pytest.mark.django_db

LOCMEM_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
FAILING_BACKEND = "tests.mail_servers.FailingBackend"
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
    sent = email.message_from_bytes(message.message().as_bytes(), policy=policy.default)
    (attachment,) = [p for p in sent.walk() if p.get_content_type() == "text/calendar"]
    assert attachment.get_filename() == "participatielab.ics"
    (entry,) = Calendar.from_ical(attachment.get_content()).walk("VEVENT")
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


def test_confirmation_goes_to_each_address_once_without_copies(
    monday_event, sign_up, mailoutbox, send_queued_mail
):
    # Arrange: the contact person also attends, with her address spelled in capitals.
    members = three_members(monday_event)
    members[0] = ("Karin Voorbeeld", "KARIN@example.org", members[0][2])

    # Act
    sign_up(monday_event, members)
    send_queued_mail()

    # Assert
    confirmations = [m for m in mailoutbox if not m.subject.startswith("[Participatielab]")]
    assert sorted(m.to for m in confirmations) == [
        ["anna@example.org"],
        ["karin@example.org"],
        ["piet@example.org"],
    ]
    assert [m.cc for m in confirmations] == [[], [], []]
    assert {m.subject for m in confirmations} == {
        f"Aanmelding bevestigd: {monday_event.title} op {dutch_date(monday_event.date)}"
    }


def test_confirmation_one_mail_per_address_each_with_the_link_that_fits(
    event, sign_up, mailoutbox, send_queued_mail
):
    # Arrange: Anna has no address, Bert and Cor share the secretariat's, Dirk has his own.
    event.max_group_size = 4
    event.save(update_fields=["max_group_size"])
    session = event.sessions.first()
    registration = sign_up(
        event,
        [
            ("Anna Lid", "", session),
            ("Bert Lid", "secretariaat@example.org", session),
            ("Cor Lid", "Secretariaat@example.org", session),
            ("Dirk Lid", "dirk@example.org", session),
        ],
    )
    dirk = registration.attendees.get(name="Dirk Lid")

    # Act
    send_queued_mail()

    # Assert
    people = [m for m in mailoutbox if not m.subject.startswith("[Participatielab]")]
    assert sorted(m.to[0].lower() for m in people) == [
        "dirk@example.org",
        "karin@example.org",
        "secretariaat@example.org",
    ]
    (to_contact,) = mails_to(mailoutbox, "karin@example.org")
    (to_shared,) = mails_to(mailoutbox, "secretariaat@example.org")
    (to_dirk,) = mails_to(mailoutbox, "dirk@example.org")
    group_link = settings.SITE_URL + registration.get_absolute_url()
    dirk_link = settings.SITE_URL + dirk.get_absolute_url()
    assert group_link in to_contact.body and "€ 150,00" in to_contact.body
    assert "Anna Lid" in to_contact.body  # she hears everything through the contact
    assert to_shared.body.startswith("Beste Bert Lid en Cor Lid,")
    assert "Dat regelt Karin Voorbeeld, de contactpersoon" in to_shared.body
    assert "/aanmelding/" not in to_shared.body + html_of(to_shared)
    assert to_dirk.body.startswith("Beste Dirk Lid,")
    assert dirk_link in to_dirk.body and dirk_link in html_of(to_dirk)
    assert group_link not in to_dirk.body + html_of(to_dirk)
    assert "€" not in to_shared.body + to_dirk.body


def test_confirmation_greets_each_person_by_name(event, sign_up, mailoutbox, send_queued_mail):
    # Act
    sign_up(event, three_members(event)[1:])
    send_queued_mail()

    # Assert
    (to_contact,) = mails_to(mailoutbox, "karin@example.org")
    (to_member,) = mails_to(mailoutbox, "piet@example.org")
    assert to_contact.body.startswith("Beste Karin Voorbeeld,")
    assert to_member.body.startswith("Beste Piet Voorbeeld,")


@pytest.mark.parametrize("part", ["plain", "html"])
def test_confirmation_body_shows_date_sessions_price_and_manage_link(
    monday_event, sign_up, mailoutbox, send_queued_mail, part
):
    # Arrange
    members = three_members(monday_event)

    # Act
    registration = sign_up(monday_event, members)
    send_queued_mail()

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
    monday_event, sign_up, mailoutbox, send_queued_mail, part
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
    sign_up(monday_event, three_members(monday_event)[:1])
    send_queued_mail()

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
    monday_event, sign_up, mailoutbox, send_queued_mail
):
    # Arrange
    members = three_members(monday_event)[:1]

    # Act
    sign_up(monday_event, members)
    send_queued_mail()

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


def test_confirmation_calendar_uid_is_stable_per_registration(
    event, sign_up, mailoutbox, send_queued_mail
):
    # Arrange
    session = event.sessions.first()
    first = sign_up(event, [("Karin", "karin@example.org", session)])
    sign_up(
        event,
        [("Joop", "joop@example.org", session)],
        organisation_name="Bewonersraad De Eik",
        contact_email="joop@example.org",
    )

    # Act: the first sign-up's confirmation goes out twice.
    outbox.queue_confirmation(first)
    send_queued_mail()

    # Assert
    uids = [str(calendar_entry(m)["uid"]) for m in mails_to(mailoutbox, "karin@example.org")]
    (other,) = [str(calendar_entry(m)["uid"]) for m in mails_to(mailoutbox, "joop@example.org")]
    assert uids == [f"registration-{first.pk}@participatielab"] * 2
    assert other != uids[0]


def test_confirmation_sent_to_the_contact_person_marks_the_sign_up_confirmed(
    event, sign_up, send_queued_mail
):
    # Arrange
    registration = sign_up(event, three_members(event)[:1])
    before = Registration.objects.get(pk=registration.pk).confirmation_sent_at

    # Act
    send_queued_mail()

    # Assert
    registration.refresh_from_db()
    assert before is None
    assert registration.confirmation_sent_at is not None
    assert set(registration.mails.values_list("status", flat=True)) == {MailStatus.SENT}


# Staff notices ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("notification_email", "expected"),
    [("lab@example.org", "lab@example.org"), ("", settings.STAFF_NOTIFICATION_EMAIL)],
    ids=["event-address", "default-address"],
)
def test_staff_notice_for_new_signup_goes_to_the_event_address(
    event, sign_up, mailoutbox, send_queued_mail, notification_email, expected
):
    # Arrange
    event.notification_email = notification_email
    event.save(update_fields=["notification_email"])
    members = three_members(event)[:2]

    # Act
    sign_up(event, members)
    send_queued_mail()

    # Assert
    (notice,) = mails_to(mailoutbox, expected)
    assert notice.subject == "[Participatielab] Nieuwe aanmelding: Huurdersvereniging De Linde (2)"
    assert notice.reply_to == ["karin@example.org"]


@pytest.mark.parametrize(
    ("notification_email", "expected"),
    [("lab@example.org", "lab@example.org"), ("", settings.STAFF_NOTIFICATION_EMAIL)],
    ids=["event-address", "default-address"],
)
def test_staff_notice_for_a_change_goes_to_the_event_address(
    event, sign_up, mailoutbox, send_queued_mail, notification_email, expected
):
    # Arrange
    event.notification_email = notification_email
    event.save(update_fields=["notification_email"])
    registration = sign_up(event, three_members(event)[:2])
    piet = registration.attendees.get(email="piet@example.org")
    send_queued_mail()
    mailoutbox.clear()

    # Act
    cancel_attendee(attendee=piet, by_staff=False)
    send_queued_mail()

    # Assert
    (notice,) = mails_to(mailoutbox, expected)
    assert notice.subject == "[Participatielab] Wijziging: Huurdersvereniging De Linde"
    assert "Afgemeld: Piet Voorbeeld." in notice.body


def test_change_mail_speaks_the_persons_language_and_staff_get_dutch(
    event, sign_up, mailoutbox, send_queued_mail
):
    # Arrange: someone who signed up in English; a Dutch-speaking adviser cancels a member.
    registration = sign_up(
        event,
        [
            ("Anna Example", "anna@example.org", event.sessions.first()),
            ("Ben Example", "ben@example.org", event.sessions.first()),
        ],
        language="en",
    )
    ben = registration.attendees.get(email="ben@example.org")
    send_queued_mail()
    mailoutbox.clear()

    # Act
    with translation.override("nl"):
        cancel_attendee(attendee=ben, by_staff=True)
    with translation.override("nl"):
        send_queued_mail()

    # Assert
    (person,) = mails_to(mailoutbox, "karin@example.org")
    (staff,) = [m for m in mailoutbox if m.subject.startswith("[Participatielab]")]
    assert "Cancelled: Ben Example." in person.body
    assert "Afgemeld: Ben Example." in staff.body


def test_change_mail_goes_to_everyone_still_coming_once(
    event, sign_up, mailoutbox, send_queued_mail
):
    # Arrange
    registration = sign_up(event, three_members(event)[:2])
    send_queued_mail()
    mailoutbox.clear()

    # Act
    add_attendee(
        registration=registration,
        attendee=AttendeeData(
            name="Nieuw Lid", email="nieuw@example.org", session_id=event.sessions.first().pk
        ),
    )
    send_queued_mail()

    # Assert
    changes = [m for m in mailoutbox if m.subject.startswith("Wijziging in uw aanmelding")]
    assert sorted(address for m in changes for address in m.to) == [
        "karin@example.org",
        "nieuw@example.org",
        "piet@example.org",
    ]
    assert all("Toegevoegd: Nieuw Lid." in m.body for m in changes)


# Resending from the sign-up ------------------------------------------------------------------


def test_failing_mail_server_keeps_the_public_signup_and_the_mail(
    client, event, settings, mailoutbox, send_queued_mail
):
    # Arrange
    settings.EMAIL_BACKEND = FAILING_BACKEND
    members = three_members(event)[:2]

    # Act
    response = client.post(reverse("registrations:signup", args=[event.slug]), signup_data(members))
    send_queued_mail()

    # Assert
    registration = Registration.objects.get()
    assert response.status_code == 302
    assert response["Location"] == registration.get_absolute_url()
    assert registration.status == Status.CONFIRMED
    assert sorted(registration.attendees.values_list("email", "status")) == [
        ("karin@example.org", Status.CONFIRMED),
        ("piet@example.org", Status.CONFIRMED),
    ]
    assert registration.confirmation_sent_at is None
    assert sorted(registration.mails.values_list("kind", "recipient", "status", "attempts")) == [
        (MailKind.CONFIRMATION, "karin@example.org", MailStatus.QUEUED, 1),
        (MailKind.CONFIRMATION, "piet@example.org", MailStatus.QUEUED, 1),
        (MailKind.STAFF_NEW, settings.STAFF_NOTIFICATION_EMAIL, MailStatus.QUEUED, 1),
    ]
    assert all("Connection refused" in m.last_error for m in registration.mails.all())
    assert mailoutbox == []


def test_resend_confirmation_action_queues_it_and_the_worker_sends_it(
    admin_client, event, sign_up, settings, mailoutbox, send_queued_mail
):
    # Arrange: the first confirmation failed.
    settings.EMAIL_BACKEND = FAILING_BACKEND
    registration = sign_up(event, three_members(event)[:1])
    send_queued_mail()
    settings.EMAIL_BACKEND = LOCMEM_BACKEND

    # Act
    response = admin_client.post(
        reverse("admin:registrations_registration_changelist"),
        {"action": "resend_confirmation", "_selected_action": [registration.pk]},
        follow=True,
    )
    send_queued_mail()

    # Assert
    assert response.status_code == 200
    assert [str(m) for m in response.context["messages"]] == [
        "Bevestiging van 1 aanmelding(en) in de wachtrij gezet; "
        "zij gaat binnen enkele minuten de deur uit."
    ]
    (confirmation,) = mailoutbox
    assert confirmation.to == ["karin@example.org"]
    assert confirmation.subject.startswith("Aanmelding bevestigd: ")
    registration.refresh_from_db()
    assert registration.confirmation_sent_at is not None


def test_resend_confirmation_action_does_not_confirm_a_cancelled_registration(
    admin_client, event, sign_up, mailoutbox, send_queued_mail
):
    # Arrange
    registration = sign_up(event, three_members(event)[:1])
    cancel_registration(registration=registration, by_staff=True)
    OutboxMail.objects.all().delete()

    # Act
    response = admin_client.post(
        reverse("admin:registrations_registration_changelist"),
        {"action": "resend_confirmation", "_selected_action": [registration.pk]},
        follow=True,
    )
    send_queued_mail()

    # Assert
    assert [str(m) for m in response.context["messages"]] == [
        "1 afgemelde aanmelding(en) overgeslagen: daar valt niets te bevestigen."
    ]
    assert OutboxMail.objects.count() == 0
    assert mailoutbox == []


def test_confirmation_of_a_sign_up_cancelled_before_it_went_out_is_dropped(
    event, sign_up, mailoutbox, send_queued_mail
):
    # Arrange
    registration = sign_up(event, three_members(event)[:1])

    # Act
    cancel_registration(registration=registration, by_staff=True)
    send_queued_mail()

    # Assert
    assert [m.subject.split(":")[0] for m in mails_to(mailoutbox, "karin@example.org")] == [
        f"Wijziging in uw aanmelding voor {event.title}"
    ]
    assert registration.mails.get(kind=MailKind.CONFIRMATION).status == MailStatus.DROPPED


# Reminders ------------------------------------------------------------------------------------


@pytest.fixture
def reminder_setup(sign_up, send_queued_mail, mailoutbox):
    """A lab in two days with two confirmed, one waiting and one cancelled sign-up, and a lab
    in ten days with one confirmed sign-up; their own mails are out already."""
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
            wait=True,  # should the session be full, they chose to wait
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
    send_queued_mail()
    mailoutbox.clear()
    return registrations


def reminders_in(outbox):
    return sorted(m.to[0] for m in outbox if m.subject.startswith("Herinnering: "))


def test_send_reminders_mails_each_address_of_each_confirmed_signup_of_events_soon(
    reminder_setup, mailoutbox, send_queued_mail
):
    # Arrange
    output = StringIO()

    # Act
    call_command("send_reminders", days=3, stdout=output)
    send_queued_mail()

    # Assert
    assert output.getvalue().strip() == "Reminders queued: 5."
    assert reminders_in(mailoutbox) == [
        "first0@example.org",
        "first1@example.org",
        "first@example.org",
        "second0@example.org",
        "second@example.org",
    ]
    assert len(mailoutbox) == 5


def test_send_reminders_twice_sends_each_reminder_once(
    reminder_setup, mailoutbox, send_queued_mail
):
    # Arrange
    call_command("send_reminders", days=3, stdout=StringIO())
    send_queued_mail()
    sent_first = len(mailoutbox)

    # Act
    call_command("send_reminders", days=3, stdout=StringIO())
    send_queued_mail()

    # Assert
    assert sent_first == 5
    assert len(mailoutbox) == 5


def test_send_reminders_again_reminds_only_a_colleague_added_since(
    reminder_setup, mailoutbox, send_queued_mail
):
    # Arrange
    second = reminder_setup["second"]
    call_command("send_reminders", days=3, stdout=StringIO())
    roomy = ThemeSessionFactory(event=second.event)
    add_attendee(
        registration=second,
        attendee=AttendeeData(name="Laat Lid", email="laat@example.org", session_id=roomy.pk),
        by_staff=True,
    )
    send_queued_mail()
    mailoutbox.clear()

    # Act
    call_command("send_reminders", days=3, stdout=StringIO())
    send_queued_mail()

    # Assert
    assert reminders_in(mailoutbox) == ["laat@example.org"]


def test_send_reminders_one_failing_address_stops_no_other_and_is_tried_again(
    reminder_setup, settings, mailoutbox, send_queued_mail
):
    # Arrange: the mail server refuses first@example.org, once.
    settings.EMAIL_BACKEND = "tests.mail_servers.RefusingOnceBackend"
    settings.REFUSE_ONCE = ["first@example.org"]
    call_command("send_reminders", days=3, stdout=StringIO())

    # Act
    send_queued_mail()
    sent_in_first_run = reminders_in(mailoutbox)
    make_due_now()
    send_queued_mail()

    # Assert
    assert "first@example.org" not in sent_in_first_run
    assert len(sent_in_first_run) == 4
    assert reminders_in(mailoutbox).count("first@example.org") == 1
    assert len(reminders_in(mailoutbox)) == 5


def test_reminder_carries_the_calendar_entry(reminder_setup, mailoutbox, send_queued_mail):
    # Act
    call_command("send_reminders", days=3, stdout=StringIO())
    send_queued_mail()

    # Assert
    first = reminder_setup["first"]
    (reminder,) = mails_to(mailoutbox, "first@example.org")
    assert reminder.cc == []
    assert str(calendar_entry(reminder)["uid"]) == f"registration-{first.pk}@participatielab"


# What someone typed never starts a line of a mail ---------------------------------------------

FORGED_LINE = "Status: betaald"


def lines_starting_with(message, text: str) -> list[str]:
    return [line for line in message.body.splitlines() if line.startswith(text)]


def test_mails_keep_stored_line_breaks_out_of_their_lines(
    event, sign_up, mailoutbox, send_queued_mail
):
    # Arrange: line breaks stored before they were refused, in every field a mail shows.
    registration = sign_up(event, three_members(event)[:2])
    send_queued_mail()
    mailoutbox.clear()
    forged = f"\n{FORGED_LINE}"
    Registration.objects.filter(pk=registration.pk).update(
        contact_name="Karin" + forged,
        contact_phone="030" + forged,
        remarks="Graag koffie." + forged,
    )
    Organisation.objects.filter(pk=registration.organisation_id).update(name="De Linde" + forged)
    registration.attendees.update(name="Piet" + forged, dietary_wishes="geen" + forged)

    # Act
    outbox.queue_new_signup(registration)
    send_queued_mail()

    # Assert
    staff = mails_to(mailoutbox, settings.STAFF_NOTIFICATION_EMAIL)[0]
    people = [m for m in mailoutbox if m is not staff]
    assert len(people) == 2
    assert staff.subject == (f"[Participatielab] Nieuwe aanmelding: De Linde {FORGED_LINE} (2)")
    assert lines_starting_with(staff, "Status:") == ["Status: aangemeld"]
    assert "> Status: betaald" in staff.body.splitlines()
    for person in people:
        assert lines_starting_with(person, "Status:") == []
    assert sorted(person.body.splitlines()[0] for person in people) == [
        f"Beste Karin {FORGED_LINE},",
        f"Beste Piet {FORGED_LINE},",
    ]


def test_change_summary_starts_with_our_words_not_a_name(
    event, sign_up, mailoutbox, send_queued_mail
):
    # Arrange: a colleague "named" like a line of the mail.
    registration = sign_up(event, three_members(event)[:1])
    send_queued_mail()
    mailoutbox.clear()

    # Act
    add_attendee(
        registration=registration,
        attendee=AttendeeData(
            name=FORGED_LINE, email="nieuw@example.org", session_id=event.sessions.first().pk
        ),
    )
    send_queued_mail()

    # Assert
    assert mailoutbox
    for message in mailoutbox:
        assert lines_starting_with(message, FORGED_LINE) == []
        assert f"Toegevoegd: {FORGED_LINE}." in message.body


def test_waiting_line_starts_with_our_words_not_a_name(
    event, sign_up, mailoutbox, send_queued_mail
):
    # Arrange: a member "named" like a line of the mail chose to wait for a full session; the
    # contact person's confirmation says who waits.
    event.has_waiting_list = True
    event.save(update_fields=["has_waiting_list"])
    full = ThemeSessionFactory(event=event, capacity=0)
    members = [("Karin Voorbeeld", "karin@example.org", event.sessions.first())]
    members.append((FORGED_LINE, "", full))

    # Act
    sign_up(event, members, wait=True)
    send_queued_mail()

    # Assert
    (confirmation,) = mails_to(mailoutbox, "karin@example.org")
    assert lines_starting_with(confirmation, FORGED_LINE) == []
    assert lines_starting_with(confirmation, f"Op de wachtlijst, zoals gekozen: {FORGED_LINE}.")

"""Signing up: a new group of board members, and a colleague added to a sign-up later.

Both run in one transaction under the event's lock (see `registrations.locking`), check the
rules, place the group (see `registrations.availability`), reprice the organisation and queue
the mails, so a sign-up is written whole or not at all.
"""

import datetime
from collections.abc import Sequence
from dataclasses import dataclass

from django.db import IntegrityError, models, transaction
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from registrations import outbox
from registrations.availability import place_group
from registrations.emails import Summary
from registrations.errors import RegistrationError
from registrations.invoices import invoice_for, recompute_invoice
from registrations.locking import lock_event, lock_event_then_row
from registrations.models import Attendee, Organisation, Registration, Status, normalise_name
from registrations.text import single_line
from sessions.models import Event


@dataclass(frozen=True)
class AttendeeData:
    name: str
    email: str
    session_id: int
    dietary_wishes: str = ""


def find_or_create_organisation(name: str) -> Organisation:
    """Return the organisation with this name, ignoring case and spacing; create it if new."""
    name = single_line(name)
    organisation, _created = Organisation.objects.get_or_create(
        name_key=normalise_name(name), defaults={"name": name}
    )
    return organisation


def register_group(
    *,
    event: Event,
    organisation_name: str,
    contact_name: str,
    contact_email: str,
    contact_phone: str = "",
    remarks: str = "",
    attendees: Sequence[AttendeeData],
    privacy_version: str,
    language: str = "nl",
    by_staff: bool = False,
    now: datetime.datetime | None = None,
) -> Registration:
    """Sign up a group of board members of one organisation for an event.

    The group is placed as a whole: when it does not fit and the event keeps a waiting list,
    the whole group waits; otherwise it is refused. Staff (`by_staff`) may sign people up
    after the deadline or before publication, never beyond capacity.
    """
    now = now or timezone.now()
    with transaction.atomic():
        event = lock_event(event.pk)
        if not by_staff:
            check_open(event, now)
        check_group_size(event, attendees)
        check_emails_free(event, [member.email for member in attendees])
        status = place_group(event, [member.session_id for member in attendees])

        organisation = find_or_create_organisation(organisation_name)
        invoice = invoice_for(event=event, organisation=organisation)
        registration = Registration(
            event=event,
            organisation=organisation,
            invoice=invoice,
            contact_name=single_line(contact_name),
            contact_email=contact_email.strip(),
            contact_phone=single_line(contact_phone),
            remarks=remarks.strip(),
            status=status,
            consent_at=now,
            privacy_version=privacy_version,
            language=language,
        )
        check_fields(registration)
        registration.save()
        create_attendees(registration, attendees, status)
        recompute_invoice(invoice)
        outbox.queue_new_signup(registration)
    return registration


def add_attendee(
    *,
    registration: Registration,
    attendee: AttendeeData,
    by_staff: bool = False,
    now: datetime.datetime | None = None,
) -> Attendee:
    """Add a colleague to an existing sign-up, up to the event's group limit.

    A colleague joins the group as it stands: confirmed when there is room, waiting when the
    group waits. A confirmed group cannot take a newcomer who does not fit.
    """
    with lock_event_then_row(registration, check_deadline=not by_staff, now=now) as (
        event,
        registration,
    ):
        if registration.status == Status.CANCELLED:
            raise RegistrationError(
                _("Deze aanmelding is afgemeld. Meld u opnieuw aan via de website."),
                code="cancelled",
            )
        active = registration.attendees.exclude(status=Status.CANCELLED).count()
        if active + 1 > event.max_group_size:
            raise RegistrationError(
                _("Per aanmelding kunnen ten hoogste %(count)d bestuursleden komen.")
                % {"count": event.max_group_size},
                code="too_many",
            )
        # A confirmed group only takes a newcomer who fits; a waiting one waits together.
        # Places come before the address, so in a full session every address gets the same
        # answer: whoever holds a manage link learns nothing about other people's sign-ups.
        place_group(
            event, [attendee.session_id], waiting_list=registration.status == Status.WAITING
        )
        check_colleague_free(event, registration, attendee)
        (row,) = create_attendees(registration, [attendee], registration.status)
        recompute_invoice(registration.invoice)
        outbox.queue_change_summary(
            registration,
            Summary(gettext_noop("Toegevoegd: %(name)s."), {"name": row.name}),
        )
    return row


def create_attendees(
    registration: Registration, attendees: Sequence[AttendeeData], status: str
) -> list[Attendee]:
    """Write the board members of a sign-up; the caller holds the event's lock."""
    rows = [
        Attendee(
            registration=registration,
            event_id=registration.event_id,
            session_id=member.session_id,
            name=single_line(member.name),
            email=member.email.strip(),
            dietary_wishes=single_line(member.dietary_wishes),
            status=status,
        )
        for member in attendees
    ]
    for row in rows:
        check_fields(row)
    try:
        # A savepoint, so a lost race on an e-mail address leaves the transaction usable.
        with transaction.atomic():
            return Attendee.objects.bulk_create(rows)
    except IntegrityError as error:
        raise RegistrationError(
            _("Een van deze e-mailadressen is al aangemeld voor deze bijeenkomst."),
            code="email_taken",
        ) from error


def check_colleague_free(event: Event, registration: Registration, attendee: AttendeeData) -> None:
    """Refuse a colleague whose address is already signed up for the event.

    The message names the address only when it is in this sign-up (the manage page shows it
    anyway); for anyone else it does not say that the person is signed up elsewhere.
    """
    signed_up_in = (
        Attendee.objects.filter(event=event)
        .exclude(status=Status.CANCELLED)
        .alias(email_key=Lower("email"))
        .filter(email_key=attendee.email.strip().lower())
        .values_list("registration_id", flat=True)
        .first()
    )
    if signed_up_in is None:
        return
    if signed_up_in == registration.pk:
        raise RegistrationError(
            _("%(email)s staat al in deze aanmelding.") % {"email": attendee.email},
            code="email_taken",
            field="email",
        )
    raise RegistrationError(
        _(
            "Dit e-mailadres kunnen wij niet aan uw aanmelding toevoegen. Denkt u dat dat niet "
            "klopt? Neem dan contact op met Atrivé."
        ),
        code="email_unavailable",
        field="email",
    )


def check_fields(row: models.Model) -> None:
    """Refuse values a form would refuse (too long, not an address) from any caller.

    Only the row's own values: its relations were just read or made under the event's lock.
    """
    row.clean_fields(exclude=[field.name for field in row._meta.fields if field.is_relation])


def check_open(event: Event, now: datetime.datetime) -> None:
    """Refuse a sign-up by the public for an unpublished event or after the deadline."""
    if not event.is_published:
        raise RegistrationError(
            _("Voor deze bijeenkomst kunt u zich niet aanmelden."), code="closed"
        )
    if now > event.registration_deadline:
        raise RegistrationError(
            _("De aanmelding voor deze bijeenkomst is gesloten."), code="deadline_passed"
        )


def check_group_size(event: Event, attendees: Sequence[AttendeeData]) -> None:
    """Refuse an empty group, one over the event's limit, or one address used twice."""
    if not attendees:
        raise RegistrationError(_("Meld ten minste één bestuurslid aan."), code="no_attendees")
    if len(attendees) > event.max_group_size:
        raise RegistrationError(
            _("U kunt met ten hoogste %(count)d bestuursleden tegelijk aanmelden.")
            % {"count": event.max_group_size},
            code="too_many",
        )
    seen: set[str] = set()
    for index, member in enumerate(attendees):
        key = member.email.strip().lower()
        if key in seen:
            raise RegistrationError(
                _("Elk bestuurslid heeft een eigen e-mailadres nodig."),
                code="duplicate_email",
                field="email",
                index=index,
            )
        seen.add(key)


def check_emails_free(event: Event, emails: Sequence[str]) -> None:
    """Refuse addresses already signed up for the event (cancelled people do not count)."""
    wanted = {email.strip().lower(): index for index, email in enumerate(emails)}
    email = (
        Attendee.objects.filter(event=event)
        .exclude(status=Status.CANCELLED)
        .alias(email_key=Lower("email"))
        .filter(email_key__in=wanted)
        .values_list("email", flat=True)
        .first()
    )
    if email is not None:
        raise RegistrationError(
            _("%(email)s is al aangemeld voor deze bijeenkomst.") % {"email": email},
            code="email_taken",
            field="email",
            index=wanted[email.lower()],
        )

"""Signing up: a new group of board members, and a colleague added to a sign-up later.

Both run in one transaction under the event's lock (see `registrations.locking`), check the
rules, place the members (see `registrations.availability`: in, or waiting only by their own
choice), reprice the organisation and queue the mails, so a sign-up is written whole or not
at all.
"""

import datetime
from collections.abc import Sequence
from dataclasses import dataclass

from django.contrib.auth.base_user import AbstractBaseUser
from django.db import IntegrityError, models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from registrations import outbox
from registrations.availability import place_members, place_newcomer, settle_status
from registrations.emails import Summary
from registrations.errors import RegistrationError
from registrations.invoices import InvoiceDetails, invoice_for_signup, recompute_invoice
from registrations.locking import lock_event_then_row, lock_seen_event
from registrations.models import Attendee, Organisation, Registration, Status, person_key
from registrations.organisations import find_or_create_organisation
from registrations.text import single_line
from sessions.models import Event, ThemeSession


@dataclass(frozen=True)
class AttendeeData:
    """One board member as the form gives them. `email` may be empty or shared; with
    `wait_if_full` the member chose to wait when their session turns out to be full."""

    name: str
    session_id: int
    email: str = ""
    dietary_wishes: str = ""
    wait_if_full: bool = False


def register_group(
    *,
    event: Event,
    organisation_name: str,
    contact_name: str,
    contact_email: str,
    contact_phone: str = "",
    remarks: str = "",
    attendees: Sequence[AttendeeData],
    wait_as_group: bool = False,
    invoice_details: InvoiceDetails | None = None,
    no_invitations: bool = False,
    privacy_version: str,
    language: str = "nl",
    by_staff: bool = False,
    over_capacity_by: AbstractBaseUser | None = None,
    send_mail: bool = True,
    now: datetime.datetime | None = None,
    seen_sessions: Sequence[ThemeSession] | None = None,
) -> Registration:
    """Sign up a group of board members of one organisation for an event.

    Each member is confirmed when there is a place; a member whose session is full waits only
    if they chose it (`wait_if_full`), and a group too large for the evening waits as a whole
    only if it chose that (`wait_as_group`); otherwise the sign-up is refused, at the member
    or the group. Staff (`by_staff`) may sign people up after the deadline or before
    publication; beyond capacity only when a staff member chose it (`over_capacity_by`, a
    walk-in at the door), which the sign-up records. Without `send_mail` nobody gets a mail.

    `event` and `seen_sessions` (its sessions with seat counts, read after it) are what the
    form showed: when the event's lock shows nothing changed since, they are not read again.
    """
    now = now or timezone.now()
    with transaction.atomic():
        event, unchanged = lock_seen_event(event)
        if not by_staff:
            check_open(event, now)
        check_group_size(event, attendees)
        organisation, new = find_or_create_organisation(organisation_name)
        if not new:
            check_people_free(event, organisation, [member.name for member in attendees])
        statuses, over_capacity = place_or_admit(
            event,
            attendees,
            wait_as_group=wait_as_group,
            over_capacity_by=over_capacity_by,
            seen=seen_sessions if unchanged else None,
        )

        invoice, priced = invoice_for_signup(
            event=event,
            organisation=organisation,
            known_new=new,
            details=invoice_details or InvoiceDetails(),
            confirmed=statuses.count(Status.CONFIRMED),
        )
        registration = Registration(
            event=event,
            organisation=organisation,
            invoice=invoice,
            contact_name=single_line(contact_name),
            contact_email=contact_email.strip(),
            contact_phone=single_line(contact_phone),
            remarks=remarks.strip(),
            status=Status.CONFIRMED if Status.CONFIRMED in statuses else Status.WAITING,
            wait_as_group=wait_as_group and Status.CONFIRMED not in statuses,
            no_invitations=no_invitations,
            consent_at=now,
            privacy_version=privacy_version,
            language=language,
            over_capacity=over_capacity,
            over_capacity_by=over_capacity_by if over_capacity else None,
        )
        check_fields(registration)
        registration.save()
        members = create_attendees(registration, attendees, statuses)
        if not priced:
            recompute_invoice(invoice)
        if send_mail:
            outbox.queue_new_signup(registration, members)
    return registration


def place_or_admit(
    event: Event,
    attendees: Sequence[AttendeeData],
    *,
    wait_as_group: bool,
    over_capacity_by: AbstractBaseUser | None,
    seen: Sequence[ThemeSession] | None = None,
) -> tuple[list[str], bool]:
    """Return the members' statuses and whether they came in beyond the maximum.

    The rules place them first; only when they refuse for want of places, and a staff member
    chose to go over the maximum, is everyone confirmed anyway.
    """
    try:
        return place_members(event, attendees, wait_as_group=wait_as_group, seen=seen), False
    except RegistrationError as error:
        if over_capacity_by is None or error.code not in {"session_full", "event_full"}:
            raise
    return [Status.CONFIRMED] * len(attendees), True


def add_attendee(
    *,
    registration: Registration,
    attendee: AttendeeData,
    by_staff: bool = False,
    now: datetime.datetime | None = None,
) -> Attendee:
    """Add a colleague to an existing sign-up, up to the event's group limit.

    The colleague is confirmed when there is a place, and waits only when they chose to
    wait for one (`wait_if_full`).
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
        active = registration.attendees.active().count()
        if active + 1 > event.max_group_size:
            raise RegistrationError(
                _("Per aanmelding kunnen ten hoogste %(count)d bestuursleden komen.")
                % {"count": event.max_group_size},
                code="too_many",
            )
        # Places come before the person, so in a full session every name gets the same
        # answer: whoever holds a manage link learns nothing about other people's sign-ups.
        status = place_newcomer(event, attendee)
        check_colleague_free(event, registration, attendee.name)
        (row,) = create_attendees(registration, [attendee], [status])
        settle_status(registration)
        recompute_invoice(registration.invoice)
        summary = (
            gettext_noop("Toegevoegd: %(name)s.")
            if status == Status.CONFIRMED
            else gettext_noop("Toegevoegd, op de wachtlijst: %(name)s.")
        )
        outbox.queue_change_summary(registration, Summary(summary, {"name": row.name}))
    return row


def create_attendees(
    registration: Registration, attendees: Sequence[AttendeeData], statuses: Sequence[str]
) -> list[Attendee]:
    """Write the board members of a sign-up; the caller holds the event's lock and checked
    that nobody is signed up twice."""
    rows = []
    for member, status in zip(attendees, statuses, strict=True):
        row = Attendee(
            registration=registration,
            event_id=registration.event_id,
            organisation_id=registration.organisation_id,
            session_id=member.session_id,
            email=member.email.strip(),
            dietary_wishes=single_line(member.dietary_wishes),
            status=status,
        )
        row.set_name(member.name)
        check_fields(row)
        rows.append(row)
    try:
        # No savepoint: a refused row ends the caller's transaction, which the refusal rolls
        # back as a whole.
        with transaction.atomic(savepoint=False):
            return Attendee.objects.bulk_create(rows)
    except IntegrityError as error:
        # Only a writer that skipped the event's lock can get here.
        raise RegistrationError(
            _("Een van deze personen is al aangemeld voor deze bijeenkomst."),
            code="person_taken",
        ) from error


def check_colleague_free(event: Event, registration: Registration, name: str) -> None:
    """Refuse a colleague who is already signed up for the event: the same name at the same
    organisation (cancelled people do not count).

    The message names the person only when they are in this sign-up (the manage page shows
    them anyway); for anyone else it does not say that the person is signed up elsewhere.
    """
    taken = (
        Attendee.objects.active()
        .filter(event=event, organisation_id=registration.organisation_id)
        .filter(name_key=person_key(name))
        .exclude(name_key="")
        .values_list("registration_id", "name")
        .first()
    )
    if taken is None:
        return
    signed_up_in, stored_name = taken
    if signed_up_in == registration.pk:
        raise RegistrationError(
            _("%(name)s staat al in deze aanmelding.") % {"name": stored_name},
            code="person_taken",
            field="name",
        )
    raise RegistrationError(
        _(
            "Deze persoon kunnen wij niet aan uw aanmelding toevoegen. Denkt u dat dat niet "
            "klopt? Neem dan contact op met Atrivé."
        ),
        code="person_unavailable",
        field="name",
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
    """Refuse an empty group, one over the event's limit, or one person named twice."""
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
        key = person_key(member.name)
        if key in seen:
            raise RegistrationError(
                _("%(name)s staat al eerder in dit formulier.")
                % {"name": single_line(member.name)},
                code="duplicate_person",
                field="name",
                index=index,
            )
        seen.add(key)


def check_people_free(
    event: Event, organisation: Organisation, names: Sequence[str], *, single: bool = False
) -> None:
    """Refuse people of the organisation already signed up for the event (cancelled people do
    not count): the same name, ignoring case, spacing and accents, is the same person.

    With `single` the message belongs to the one member's form, not to a row of a group.
    """
    wanted = {person_key(name): index for index, name in enumerate(names)}
    taken = (
        Attendee.objects.active()
        .filter(event=event, organisation=organisation, name_key__in=wanted)
        .exclude(name_key="")
        .values_list("name", "name_key")
        .first()
    )
    if taken is not None:
        name, key = taken
        raise RegistrationError(
            _("%(name)s van %(organisation)s is al aangemeld voor deze bijeenkomst.")
            % {"name": name, "organisation": organisation.name},
            code="person_taken",
            field="name",
            index=None if single else wanted[key],
        )

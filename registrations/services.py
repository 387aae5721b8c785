"""The only code that writes registrations: sign-up, changes, cancellations, the waiting list.

Every function here runs in one transaction and takes the event's row lock before it counts
places, so two sign-ups arriving together can never both take the last place. E-mails are
queued to go out after the transaction commits, so a mail failure never undoes a sign-up.
"""

import datetime
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from django.conf import settings
from django.db import IntegrityError, OperationalError, connection, transaction
from django.db.models import Count, QuerySet
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from registrations import emails
from registrations.models import (
    Attendee,
    Invoice,
    Organisation,
    Registration,
    Status,
    normalise_name,
)
from registrations.pricing import organisation_amount_due
from sessions.models import Event, ThemeSession, bump_version


class RegistrationError(Exception):
    """A sign-up or change the rules refuse; `message` is shown to the user as it is."""

    def __init__(
        self, message: str, *, code: str, field: str | None = None, index: int | None = None
    ) -> None:
        super().__init__(message)
        self.message = message
        self.code = code
        self.field = field  # the form field the message belongs to, if any
        self.index = index  # the board member (0-based row) it belongs to, if any


@dataclass(frozen=True)
class AttendeeData:
    name: str
    email: str
    session_id: int
    dietary_wishes: str = ""


def lock_event(event_id: int) -> Event:
    """Lock the event's row for the rest of the transaction and return it fresh.

    Every writer that fills or frees places takes this lock first, so they queue in one
    order and never deadlock; `REGISTRATION_LOCK_TIMEOUT_MS` stops a stuck one from hanging.
    """
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT set_config('lock_timeout', %s, true)",
                [f"{settings.REGISTRATION_LOCK_TIMEOUT_MS}ms"],
            )
    # Raising the version takes the row lock too, and tells cached pages that places or
    # prices may change; a refused write rolls it back with everything else.
    try:
        bump_version(event_id)
        return Event.objects.select_for_update().get(pk=event_id)
    except OperationalError as error:  # the lock timeout ran out
        raise RegistrationError(
            _("Het is op dit moment erg druk. Probeer het over een minuut nog eens."),
            code="busy",
        ) from error


def find_or_create_organisation(name: str) -> Organisation:
    """Return the organisation with this name, ignoring case and spacing; create it if new."""
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
            _check_open(event, now)
        _check_group_size(event, attendees)
        _check_emails_free(event, attendees)
        status = _placement(event, attendees)

        organisation = find_or_create_organisation(organisation_name)
        # No race here: every writer for this event holds its lock.
        invoice = Invoice.objects.filter(
            event=event, organisation=organisation
        ).first() or Invoice.objects.create(event=event, organisation=organisation)
        registration = Registration(
            event=event,
            organisation=organisation,
            invoice=invoice,
            contact_name=contact_name.strip(),
            contact_email=contact_email.strip(),
            contact_phone=contact_phone.strip(),
            remarks=remarks.strip(),
            status=status,
            consent_at=now,
            privacy_version=privacy_version,
            language=language,
        )
        # Field checks only: the related rows were just read or made under the lock.
        registration.full_clean(
            exclude=["event", "organisation", "invoice"],
            validate_unique=False,
            validate_constraints=False,
        )
        registration.save()
        _create_attendees(registration, attendees, status)
        recompute_invoice(invoice)
        emails.queue_new_signup(registration)
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
    now = now or timezone.now()
    with transaction.atomic():
        event = lock_event(registration.event_id)
        registration = Registration.objects.select_for_update().get(pk=registration.pk)
        if not by_staff:
            _check_changeable(event, now)
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
        _check_emails_free(event, [attendee])
        # A confirmed group only takes a newcomer who fits; a waiting one waits together.
        _placement(event, [attendee], waiting_list=registration.status == Status.WAITING)
        (row,) = _create_attendees(registration, [attendee], registration.status)
        recompute_invoice(registration.invoice)
        emails.queue_change_summary(
            registration,
            emails.Summary(gettext_lazy("%(name)s is toegevoegd."), {"name": row.name}),
        )
    return row


def move_attendee(
    *,
    attendee: Attendee,
    session: ThemeSession,
    by_staff: bool,
    now: datetime.datetime | None = None,
) -> Attendee:
    """Move a board member to another theme session of the same event, if it has room."""
    now = now or timezone.now()
    with transaction.atomic():
        event = lock_event(attendee.event_id)
        attendee = Attendee.objects.select_for_update().get(pk=attendee.pk)
        if not by_staff:
            _check_changeable(event, now)
        if session.event_id != event.pk:
            raise RegistrationError(
                _("Kies een themasessie van deze bijeenkomst."),
                code="invalid_session",
                field="session",
            )
        if attendee.status == Status.CANCELLED:
            raise RegistrationError(
                _("Deze deelnemer is afgemeld en kan niet worden verplaatst."), code="cancelled"
            )
        if attendee.session_id == session.pk:
            return attendee
        if attendee.status == Status.CONFIRMED and session.capacity is not None:
            taken = Attendee.objects.confirmed().filter(session=session).count()
            if taken + 1 > session.capacity:
                raise RegistrationError(
                    _("De sessie ‘%(title)s’ is vol.") % {"title": session.title},
                    code="session_full",
                    field="session",
                )
        attendee.session = session
        attendee.save(update_fields=["session"])
        promote_waiting_list(event)
        emails.queue_change_summary(
            attendee.registration,
            emails.Summary(
                gettext_lazy("%(name)s gaat naar de sessie ‘%(title)s’."),
                {"name": attendee.name, "title": session.title},
            ),
        )
    return attendee


def change_attendee(
    *, attendee: Attendee, name: str, email: str, dietary_wishes: str, session: ThemeSession
) -> Attendee:
    """Let staff correct a board member's details and session, all or nothing."""
    with transaction.atomic():
        event = lock_event(attendee.event_id)
        attendee = Attendee.objects.select_for_update().get(pk=attendee.pk)
        if email.strip().lower() != attendee.email.lower():
            _check_emails_free(event, [AttendeeData(name=name, email=email, session_id=0)])
        attendee.name = name.strip()
        attendee.email = email.strip()
        attendee.dietary_wishes = dietary_wishes.strip()
        attendee.full_clean(
            exclude=["registration", "event", "session"],
            validate_unique=False,
            validate_constraints=False,
        )
        attendee.save(update_fields=["name", "email", "dietary_wishes"])
        if session.pk != attendee.session_id:
            attendee = move_attendee(attendee=attendee, session=session, by_staff=True)
    return attendee


def cancel_attendee(
    *, attendee: Attendee, by_staff: bool, now: datetime.datetime | None = None
) -> Attendee:
    """Cancel one board member; the organisation's price is recomputed.

    The row stays, marked cancelled, so staff keep the history. When nobody is left in the
    sign-up, the sign-up itself is cancelled too. Freed places go to the waiting list.
    """
    now = now or timezone.now()
    with transaction.atomic():
        event = lock_event(attendee.event_id)
        attendee = Attendee.objects.select_for_update().get(pk=attendee.pk)
        if not by_staff:
            _check_changeable(event, now)
        if attendee.status == Status.CANCELLED:
            return attendee
        attendee.status = Status.CANCELLED
        attendee.save(update_fields=["status"])
        registration = attendee.registration
        if not registration.attendees.exclude(status=Status.CANCELLED).exists():
            registration.status = Status.CANCELLED
            registration.save(update_fields=["status", "updated_at"])
        recompute_invoice(registration.invoice)
        promote_waiting_list(event)
        emails.queue_change_summary(
            registration,
            emails.Summary(gettext_lazy("%(name)s is afgemeld."), {"name": attendee.name}),
        )
    return attendee


def cancel_registration(
    *, registration: Registration, by_staff: bool, now: datetime.datetime | None = None
) -> Registration:
    """Cancel a whole sign-up with all its board members; the price is recomputed."""
    now = now or timezone.now()
    with transaction.atomic():
        event = lock_event(registration.event_id)
        registration = Registration.objects.select_for_update().get(pk=registration.pk)
        if not by_staff:
            _check_changeable(event, now)
        if registration.status == Status.CANCELLED:
            return registration
        registration.attendees.exclude(status=Status.CANCELLED).update(status=Status.CANCELLED)
        registration.status = Status.CANCELLED
        registration.save(update_fields=["status", "updated_at"])
        recompute_invoice(registration.invoice)
        promote_waiting_list(event)
        emails.queue_change_summary(
            registration, emails.Summary(gettext_lazy("De hele aanmelding is afgemeld."))
        )
    return registration


def promote_waiting_list(event: Event) -> list[Registration]:
    """Move waiting groups that now fit into the event, oldest first; the caller holds the lock.

    A group that still does not fit keeps its place in the queue; a later, smaller group that
    fits goes ahead of it, as a place left empty helps nobody.
    """
    promoted = []
    waiting = (
        Registration.objects.filter(event=event, status=Status.WAITING)
        .order_by("created_at", "pk")
        .prefetch_related("attendees")
    )
    for registration in waiting:
        members = _waiting_members(registration)
        if not members or _placement(event, members, waiting_list=True) != Status.CONFIRMED:
            continue
        _confirm_waiting_group(registration)
        promoted.append(registration)
    return promoted


def refresh_event(*, event: Event) -> list[Registration]:
    """Apply staff's changes to an event's prices and places to its sign-ups.

    Every organisation's amount is recomputed with the current tiers, and waiting groups
    that fit now (e.g. after a capacity was raised) are moved in; returns those groups.
    """
    with transaction.atomic():
        event = lock_event(event.pk)
        priced = Event.objects.prefetch_related("price_tiers").get(pk=event.pk)
        for invoice in Invoice.objects.filter(event=event):
            invoice.event = priced  # one read of the tiers for all invoices
            recompute_invoice(invoice)
        return promote_waiting_list(event)


def admit_from_waiting_list(*, registration: Registration) -> Registration:
    """Let staff move one waiting group in by hand, if it fits."""
    with transaction.atomic():
        event = lock_event(registration.event_id)
        registration = Registration.objects.select_for_update().get(pk=registration.pk)
        if registration.status != Status.WAITING:
            raise RegistrationError(
                _("Deze aanmelding staat niet op de wachtlijst."), code="not_waiting"
            )
        # Raises when the group does not fit.
        _placement(event, _waiting_members(registration), waiting_list=False)
        _confirm_waiting_group(registration)
    return registration


def _waiting_members(registration: Registration) -> list[AttendeeData]:
    return [
        AttendeeData(name=a.name, email=a.email, session_id=a.session_id)
        for a in registration.attendees.all()
        if a.status == Status.WAITING
    ]


def _confirm_waiting_group(registration: Registration) -> None:
    """Move a waiting group in; the caller holds the event lock and checked that it fits."""
    registration.attendees.filter(status=Status.WAITING).update(status=Status.CONFIRMED)
    registration.status = Status.CONFIRMED
    # The waiting-list notice no longer says how things stand: until the "there is a place"
    # mail is out, the sign-up counts as unconfirmed (and is retried if it fails).
    registration.confirmation_sent_at = None
    registration.save(update_fields=["status", "confirmation_sent_at", "updated_at"])
    recompute_invoice(registration.invoice)
    emails.queue_promoted(registration)


def recompute_invoice(invoice: Invoice) -> Invoice:
    """Recount the organisation's attending board members at the event and reprice them."""
    attending_per_signup = list(
        Attendee.objects.confirmed()
        .filter(registration__invoice=invoice)
        .values("registration")
        .annotate(count=Count("pk"))
        .values_list("count", flat=True)
    )
    invoice.attendee_count = sum(attending_per_signup)
    invoice.amount_due = organisation_amount_due(
        tiers=invoice.event.price_tiers_map(), attending_per_signup=attending_per_signup
    )
    invoice.full_clean(
        exclude=["event", "organisation"], validate_unique=False, validate_constraints=False
    )
    invoice.save(update_fields=["attendee_count", "amount_due", "updated_at"])
    return invoice


def _create_attendees(
    registration: Registration, attendees: Sequence[AttendeeData], status: str
) -> list[Attendee]:
    rows = [
        Attendee(
            registration=registration,
            event_id=registration.event_id,
            session_id=member.session_id,
            name=member.name.strip(),
            email=member.email.strip(),
            dietary_wishes=member.dietary_wishes.strip(),
            status=status,
        )
        for member in attendees
    ]
    for row in rows:
        row.full_clean(
            exclude=["registration", "event", "session"],
            validate_unique=False,
            validate_constraints=False,
        )
    try:
        # A savepoint, so a lost race on an e-mail address leaves the transaction usable.
        with transaction.atomic():
            return Attendee.objects.bulk_create(rows)
    except IntegrityError as error:
        raise RegistrationError(
            _("Een van deze e-mailadressen is al aangemeld voor deze bijeenkomst."),
            code="email_taken",
        ) from error


def _check_open(event: Event, now: datetime.datetime) -> None:
    if not event.is_published:
        raise RegistrationError(
            _("Voor deze bijeenkomst kunt u zich niet aanmelden."), code="closed"
        )
    if now > event.registration_deadline:
        raise RegistrationError(
            _("De aanmelding voor deze bijeenkomst is gesloten."), code="deadline_passed"
        )


def _check_changeable(event: Event, now: datetime.datetime) -> None:
    if now > event.registration_deadline:
        raise RegistrationError(
            _("Wijzigen kan niet meer: de aanmeldtermijn is voorbij. Neem contact op met Atrivé."),
            code="deadline_passed",
        )


def _check_group_size(event: Event, attendees: Sequence[AttendeeData]) -> None:
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


def _check_emails_free(event: Event, attendees: Sequence[AttendeeData]) -> None:
    wanted = {member.email.strip().lower(): index for index, member in enumerate(attendees)}
    taken = (
        Attendee.objects.filter(event=event)
        .exclude(status=Status.CANCELLED)
        .alias(email_key=Lower("email"))
        .filter(email_key__in=wanted)
        .values_list("email", flat=True)
    )
    for email in taken[:1]:
        raise RegistrationError(
            _("%(email)s is al aangemeld voor deze bijeenkomst.") % {"email": email},
            code="email_taken",
            field="email",
            index=wanted[email.lower()],
        )


def _placement(
    event: Event, attendees: Sequence[AttendeeData], *, waiting_list: bool | None = None
) -> str:
    """Return the status the group gets: confirmed if it fits, else waiting, else refuse.

    `waiting_list` says whether a group that does not fit may wait; by default, when the
    event keeps a waiting list.
    """
    if waiting_list is None:
        waiting_list = event.has_waiting_list
    sessions = {s.pk: s for s in ThemeSession.objects.filter(event=event).with_seat_counts()}
    for index, member in enumerate(attendees):
        if member.session_id not in sessions:
            raise RegistrationError(
                _("Kies een themasessie van deze bijeenkomst."),
                code="invalid_session",
                field="session",
                index=index,
            )
    demand = Counter(member.session_id for member in attendees)
    full_session = next(
        (
            sessions[pk]
            for pk, count in demand.items()
            if sessions[pk].capacity is not None
            and sessions[pk].taken + count > sessions[pk].capacity
        ),
        None,
    )
    event_full = event.capacity is not None and (
        Attendee.objects.filter(event=event, status=Status.CONFIRMED).count() + len(attendees)
        > event.capacity
    )
    if full_session is None and not event_full:
        return Status.CONFIRMED
    if waiting_list:
        return Status.WAITING
    if full_session is not None:
        index = next(i for i, m in enumerate(attendees) if m.session_id == full_session.pk)
        raise RegistrationError(
            _("De sessie ‘%(title)s’ heeft niet genoeg plaatsen meer. Kies een andere sessie.")
            % {"title": full_session.title},
            code="session_full",
            field="session",
            index=index,
        )
    raise RegistrationError(
        _("Deze bijeenkomst heeft niet genoeg plaatsen meer voor uw groep."), code="event_full"
    )


def mark_invoices_paid(*, invoices: Sequence[Invoice], now: datetime.datetime | None = None) -> int:
    """Record the invoices as paid in full at their current amount; return how many changed."""
    now = now or timezone.now()
    changed = 0
    with transaction.atomic():
        for invoice in Invoice.objects.select_for_update().filter(
            pk__in=[invoice.pk for invoice in invoices]
        ):
            if invoice.paid_at is not None and invoice.balance == 0:
                continue
            bump_version(invoice.event_id)  # the overview shows what was paid
            invoice.amount_paid = invoice.amount_due
            invoice.paid_at = now
            invoice.save(update_fields=["amount_paid", "paid_at", "updated_at"])
            changed += 1
    return changed


def change_organisation(*, registration: Registration, organisation: Organisation) -> Registration:
    """Book a sign-up on another organisation (e.g. one typed differently); reprice both."""
    with transaction.atomic():
        lock_event(registration.event_id)
        registration = Registration.objects.select_for_update().get(pk=registration.pk)
        if registration.organisation_id == organisation.pk:
            return registration
        old_invoice = registration.invoice
        new_invoice, _created = Invoice.objects.get_or_create(
            event_id=registration.event_id, organisation=organisation
        )
        registration.organisation = organisation
        registration.invoice = new_invoice
        registration.save(update_fields=["organisation", "invoice", "updated_at"])
        recompute_invoice(old_invoice)
        recompute_invoice(new_invoice)
    return registration


ANONYMOUS_NAME = "Geanonimiseerd"


def anonymise_registrations(
    *, registrations: "QuerySet[Registration]", now: datetime.datetime | None = None
) -> int:
    """Remove the personal data of sign-ups and their board members; return how many.

    Status, counts, organisations and amounts stay for reporting. Addresses become unique
    placeholders on the reserved `.invalid` domain, so the e-mail constraint still holds.
    """
    now = now or timezone.now()
    count = 0
    with transaction.atomic():
        for registration in registrations.select_for_update().filter(anonymised_at__isnull=True):
            bump_version(registration.event_id)  # the overview counts dietary wishes
            for attendee in registration.attendees.all():
                _anonymise_attendee(attendee)
            _anonymise_contact(registration)
            registration.anonymised_at = now
            registration.save()
            count += 1
    return count


def erase_personal_data(*, email: str) -> int:
    """Remove everything stored about one e-mail address; return how many rows changed."""
    address = email.strip().lower()
    changed = 0
    with transaction.atomic():
        attendees = Attendee.objects.alias(email_key=Lower("email")).filter(email_key=address)
        for attendee in attendees.select_for_update():
            bump_version(attendee.event_id)
            _anonymise_attendee(attendee)
            changed += 1
        contacts = Registration.objects.alias(email_key=Lower("contact_email")).filter(
            email_key=address
        )
        for registration in contacts.select_for_update():
            _anonymise_contact(registration)
            registration.save()
            changed += 1
    return changed


def _anonymise_attendee(attendee: Attendee) -> None:
    attendee.name = ANONYMOUS_NAME
    attendee.email = f"anoniem-{attendee.pk}@example.invalid"
    attendee.dietary_wishes = ""
    attendee.save(update_fields=["name", "email", "dietary_wishes"])


def _anonymise_contact(registration: Registration) -> None:
    registration.contact_name = ANONYMOUS_NAME
    registration.contact_email = f"anoniem-r{registration.pk}@example.invalid"
    registration.contact_phone = ""
    registration.remarks = ""
    registration.mail_error = ""

"""The waiting list: members who chose to wait for a full session, and groups that chose to
wait as a whole, move in oldest first when they fit.

Nobody is put on the list without having chosen it (see `registrations.availability`). A
member waits alone: the others of the sign-up come. A group that chose to wait as a whole
moves in together or not at all. Whoever moves in is added to the organisation's price, and
the sign-up gets a mail saying so, with the new amount.
"""

import datetime
from dataclasses import dataclass

from django.db import transaction
from django.utils.translation import gettext as _

from registrations import outbox
from registrations.availability import Places, count_places, event_full, settle_status
from registrations.errors import RegistrationError
from registrations.invoices import recompute_invoice
from registrations.locking import lock_event, lock_event_then_row
from registrations.models import Attendee, Invoice, Registration, Status
from sessions.models import Event


@dataclass
class InLine:
    """One place in the queue: a waiting member, or a group that waits as a whole."""

    since: datetime.datetime
    registration: Registration
    members: list[Attendee]

    @property
    def session_ids(self) -> list[int]:
        return [member.session_id for member in self.members]


def waiting_queue(event: Event) -> list[InLine]:
    """Return who waits for the event, first come first served."""
    waiting = (
        Attendee.objects.waiting()
        .filter(event=event)
        .select_related("registration__invoice__event")
        .order_by("created_at", "pk")
    )
    groups: dict[int, InLine] = {}
    queue = []
    for member in waiting:
        registration = member.registration
        if registration.wait_as_group and registration.status == Status.WAITING:
            if registration.pk not in groups:
                groups[registration.pk] = InLine(registration.created_at, registration, [])
                queue.append(groups[registration.pk])
            groups[registration.pk].members.append(member)
        else:
            queue.append(InLine(member.created_at, registration, [member]))
    return sorted(queue, key=lambda line: (line.since, line.members[0].pk))


def promote_waiting_list(event: Event) -> list[Registration]:
    """Move in whoever waits and now fits, oldest first; the caller holds the event's lock.

    Someone who still does not fit keeps their place in the queue; a later one who fits goes
    ahead, as a place left empty helps nobody. Returns the sign-ups someone moved into.
    """
    places: Places | None = None
    moved: dict[int, tuple[Registration, list[Attendee]]] = {}
    for line in waiting_queue(event):
        places = places or count_places(event)
        if not places.fits(line.session_ids):
            continue
        places.take(line.session_ids)
        moved.setdefault(line.registration.pk, (line.registration, []))[1].extend(line.members)
    for registration, members in moved.values():
        confirm_waiting(registration, members)
    return [registration for registration, _members in moved.values()]


def admit_from_waiting_list(*, registration: Registration) -> Registration:
    """Let staff move the waiting members of one sign-up in by hand, if they all fit."""
    with lock_event_then_row(registration, check_deadline=False) as (event, registration):
        members = list(registration.attendees.waiting())
        if not members:
            raise RegistrationError(
                _("Deze aanmelding staat niet op de wachtlijst."), code="not_waiting"
            )
        places = count_places(event)
        if not places.fits([member.session_id for member in members]):
            if places.event_left is not None and len(members) > places.event_left:
                raise event_full(event, left=places.event_left, size=len(members), field=None)
            raise RegistrationError(
                _("Er is nog te weinig plaats in de gekozen sessies."), code="session_full"
            )
        confirm_waiting(registration, members)
    return registration


def refresh_event(*, event: Event) -> list[Registration]:
    """Apply staff's changes to an event's prices and places to its sign-ups.

    Every organisation's amount is recomputed with the current tiers, and whoever waits and
    fits now (e.g. after a capacity was raised) is moved in; returns their sign-ups.
    """
    with transaction.atomic():
        event = lock_event(event.pk)
        priced = Event.objects.prefetch_related("price_tiers").get(pk=event.pk)
        for invoice in Invoice.objects.filter(event=event):
            invoice.event = priced  # one read of the tiers for all invoices
            recompute_invoice(invoice)
        return promote_waiting_list(event)


def confirm_waiting(registration: Registration, members: list[Attendee]) -> None:
    """Move waiting members in and tell the sign-up; the caller holds the event lock and
    checked that they fit."""
    Attendee.objects.filter(pk__in=[member.pk for member in members]).update(
        status=Status.CONFIRMED
    )
    was_waiting = registration.status == Status.WAITING
    settle_status(registration)
    if was_waiting:
        # The waiting-list notice no longer says how things stand: until the "there is a
        # place" mail reaches the contact person, the sign-up counts as unconfirmed.
        registration.confirmation_sent_at = None
        registration.save(update_fields=["confirmation_sent_at", "updated_at"])
    recompute_invoice(registration.invoice)
    outbox.queue_promoted(registration, [member.name for member in members])

"""The waiting list: whole groups wait together and move in, oldest first, when they fit.

Nobody is put on the list without having chosen it: `registrations.availability.place_group`
only gives a group the waiting status when the event keeps a waiting list.
"""

from django.db import transaction
from django.utils.translation import gettext as _

from registrations import outbox
from registrations.availability import place_group
from registrations.errors import RegistrationError
from registrations.invoices import recompute_invoice
from registrations.locking import lock_event, lock_event_then_row
from registrations.models import Invoice, Registration, Status
from sessions.models import Event


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
        fits = place_group(event, waiting_session_ids(registration), waiting_list=True)
        if fits != Status.CONFIRMED:
            continue
        confirm_waiting_group(registration)
        promoted.append(registration)
    return promoted


def admit_from_waiting_list(*, registration: Registration) -> Registration:
    """Let staff move one waiting group in by hand, if it fits."""
    with lock_event_then_row(registration, check_deadline=False) as (event, registration):
        if registration.status != Status.WAITING:
            raise RegistrationError(
                _("Deze aanmelding staat niet op de wachtlijst."), code="not_waiting"
            )
        # Raises when the group does not fit.
        place_group(event, waiting_session_ids(registration), waiting_list=False)
        confirm_waiting_group(registration)
    return registration


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


def waiting_session_ids(registration: Registration) -> list[int]:
    """Return the sessions the group's waiting members chose."""
    return [a.session_id for a in registration.attendees.all() if a.status == Status.WAITING]


def confirm_waiting_group(registration: Registration) -> None:
    """Move a waiting group in; the caller holds the event lock and checked that it fits."""
    registration.attendees.filter(status=Status.WAITING).update(status=Status.CONFIRMED)
    registration.status = Status.CONFIRMED
    # The waiting-list notice no longer says how things stand: until the "there is a place"
    # mail reaches the contact person, the sign-up counts as unconfirmed.
    registration.confirmation_sent_at = None
    registration.save(update_fields=["status", "confirmation_sent_at", "updated_at"])
    recompute_invoice(registration.invoice)
    outbox.queue_promoted(registration)

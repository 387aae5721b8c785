"""The lock order every writer keeps: first the event's row, then the row being changed.

Every function that fills or frees places, or changes what an organisation owes, takes the
event's lock first, so writers for one event queue in one order and never deadlock. A writer
that touches several events (merging two organisations) locks them lowest id first. Taking the
lock also raises the event's version, which is what cached public pages are keyed on: a write
that changes places always invalidates them, and a refused write rolls the raise back.
"""

import copy
import datetime
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from typing import TypeVar

from django.conf import settings
from django.db import OperationalError, connection, models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from registrations.errors import RegistrationError
from sessions.models import Event, bump_version

Row = TypeVar("Row", bound=models.Model)


def lock_event(event_id: int) -> Event:
    """Lock the event's row for the rest of the transaction and return it fresh.

    `REGISTRATION_LOCK_TIMEOUT_MS` stops a writer stuck behind another from hanging; it then
    gets a friendly "busy" refusal.
    """
    with friendly_lock_timeout():
        bump_version(event_id)  # takes the row lock, and tells cached pages to rebuild
        return Event.objects.select_for_update().get(pk=event_id)


def lock_seen_event(seen: Event) -> tuple[Event, bool]:
    """Lock the event's row, as `lock_event`; return it and whether nothing changed since
    `seen` was read.

    Every write that changes the event or its places raises its version under this lock, so an
    unchanged version means `seen`, and whatever was read about the event after it (the places
    the form showed), is still what the database holds: the caller need not read it again.
    """
    with friendly_lock_timeout():
        unchanged = bump_version(seen.pk, if_version=seen.version)
    if unchanged:
        event = copy.copy(seen)  # the caller's own stays as it was read
        event.version += 1
        return event, True
    return lock_event(seen.pk), False


@contextmanager
def friendly_lock_timeout() -> Iterator[None]:
    """Wait at most `REGISTRATION_LOCK_TIMEOUT_MS` for a lock in this transaction (PostgreSQL;
    SQLite waits for its write lock by itself), then refuse with a friendly "busy"."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT set_config('lock_timeout', %s, true)",
                [f"{settings.REGISTRATION_LOCK_TIMEOUT_MS}ms"],
            )
    try:
        yield
    except OperationalError as error:  # the lock timeout ran out
        raise RegistrationError(
            _("Het is op dit moment erg druk. Probeer het over een minuut nog eens."),
            code="busy",
        ) from error


def lock_events(event_ids: Iterable[int]) -> list[Event]:
    """Lock several events, lowest id first, so two writers that each need several never
    wait on each other in a circle. Writers that need one event take just that one."""
    return [lock_event(event_id) for event_id in sorted(set(event_ids))]


@contextmanager
def lock_event_then_row(
    row: Row, *, check_deadline: bool, now: datetime.datetime | None = None
) -> Iterator[tuple[Event, Row]]:
    """Open a transaction, lock the row's event and then the row; yield both, read fresh.

    With `check_deadline` (changes by the public, not by staff) a change after the event's
    sign-up deadline is refused.
    """
    with transaction.atomic():
        event = lock_event(row.event_id)
        fresh = type(row).objects.select_for_update().get(pk=row.pk)
        if check_deadline:
            check_changeable(event, now or timezone.now())
        yield event, fresh


def check_changeable(event: Event, now: datetime.datetime) -> None:
    """Refuse a change by the public after the sign-up deadline."""
    if now > event.registration_deadline:
        raise RegistrationError(
            _("Wijzigen kan niet meer: de aanmeldtermijn is voorbij. Neem contact op met Atrivé."),
            code="deadline_passed",
        )

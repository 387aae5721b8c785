"""Seat counting: how many places each theme session and the whole evening have left.

Only confirmed board members take a place; waiting and cancelled ones do not. Counts that
decide whether someone gets in are made by `place_group`, after the caller took the event's
lock (see `registrations.locking`), so they cannot change before the caller writes.
"""

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from django.db.models import (
    BooleanField,
    Case,
    Count,
    ExpressionWrapper,
    F,
    IntegerField,
    Q,
    QuerySet,
    Value,
    When,
)
from django.utils.functional import SimpleLazyObject
from django.utils.translation import gettext as _

from registrations.errors import RegistrationError
from registrations.models import Attendee, Status
from sessions.models import Event, ThemeSession


def with_seat_counts(sessions: QuerySet[ThemeSession]) -> QuerySet[ThemeSession]:
    """Annotate `taken` (confirmed attendees), `places_left` (None without a maximum) and
    `is_full` on each session."""
    return sessions.annotate(
        taken=Count("attendees", filter=Q(attendees__status=Status.CONFIRMED), distinct=True)
    ).annotate(
        # Without a maximum, capacity is NULL and so are both comparison and difference.
        places_left=Case(
            When(taken__gte=F("capacity"), then=Value(0)),
            default=F("capacity") - F("taken"),
            output_field=IntegerField(),
        ),
        is_full=ExpressionWrapper(
            Q(capacity__isnull=False, taken__gte=F("capacity")), output_field=BooleanField()
        ),
    )


def sessions_with_seats(event: Event) -> list[ThemeSession]:
    """Return the event's sessions with seat counts, read only when first used.

    A page served from the cache never runs this query at all.
    """
    return SimpleLazyObject(
        lambda: list(with_seat_counts(ThemeSession.objects.filter(event=event)))
    )


def confirmed_count(event: Event) -> int:
    """Return how many board members are confirmed for the event."""
    return Attendee.objects.filter(event=event, status=Status.CONFIRMED).count()


def is_full(event: Event, sessions: Iterable[ThemeSession]) -> bool:
    """Tell whether nobody more fits: the event's maximum is reached, or every session has
    a maximum and is full. `sessions` come from `with_seat_counts`."""
    if event.capacity is not None and confirmed_count(event) >= event.capacity:
        return True
    sessions = list(sessions)
    return bool(sessions) and all(session.is_full for session in sessions)


@dataclass(frozen=True)
class Availability:
    is_full: bool
    places_left: int | None  # None: the evening has no maximum


def availability(event: Event, sessions: Iterable[ThemeSession]) -> Availability:
    """Return whether the evening is full and how many board members still fit in it.

    The evening holds as many as its own maximum allows and, when every session has a
    maximum, as many as the sessions hold together. `sessions` come from `with_seat_counts`.
    """
    sessions = list(sessions)
    limits = []
    if event.capacity is not None:
        limits.append(max(event.capacity - confirmed_count(event), 0))
    if sessions and all(session.capacity is not None for session in sessions):
        limits.append(sum(session.places_left for session in sessions))
    places_left = min(limits) if limits else None
    return Availability(is_full=places_left == 0, places_left=places_left)


def place_group(
    event: Event, session_ids: Sequence[int], *, waiting_list: bool | None = None
) -> str:
    """Return the status a group gets: confirmed if it fits, else waiting, else refuse.

    `session_ids` holds each member's chosen session, in the order of the form's rows.
    `waiting_list` says whether a group that does not fit may wait; by default, when the
    event keeps a waiting list. The caller holds the event's lock.
    """
    if waiting_list is None:
        waiting_list = event.has_waiting_list
    sessions = {s.pk: s for s in with_seat_counts(ThemeSession.objects.filter(event=event))}
    for index, session_id in enumerate(session_ids):
        if session_id not in sessions:
            raise RegistrationError(
                _("Kies een themasessie van deze bijeenkomst."),
                code="invalid_session",
                field="session",
                index=index,
            )
    demand = Counter(session_ids)
    full_session = next(
        (
            sessions[pk]
            for pk, count in demand.items()
            if sessions[pk].capacity is not None
            and sessions[pk].taken + count > sessions[pk].capacity
        ),
        None,
    )
    event_full = (
        event.capacity is not None and confirmed_count(event) + len(session_ids) > event.capacity
    )
    if full_session is None and not event_full:
        return Status.CONFIRMED
    if waiting_list:
        return Status.WAITING
    if full_session is not None:
        raise RegistrationError(
            _("De sessie ‘%(title)s’ heeft niet genoeg plaatsen meer. Kies een andere sessie.")
            % {"title": full_session.title},
            code="session_full",
            field="session",
            index=session_ids.index(full_session.pk),
        )
    raise RegistrationError(
        _("Deze bijeenkomst heeft niet genoeg plaatsen meer voor uw groep."), code="event_full"
    )

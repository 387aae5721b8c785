"""Seat counting: how many places each theme session and the whole evening have left, and
where the board members of a sign-up go: in, on the waiting list by their own choice, or
refused with a message that says what they can choose instead.

Only confirmed board members take a place; waiting and cancelled ones do not. Counts that
decide whether someone gets in are made by `count_places`, after the caller took the event's
lock (see `registrations.locking`), so they cannot change before the caller writes.
"""

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Protocol

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
from django.utils.translation import ngettext

from registrations.errors import RegistrationError
from registrations.models import Attendee, Registration, Status
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


def event_places_left(event: Event) -> int | None:
    """Return how many more the evening takes as a whole; None without a maximum."""
    if event.capacity is None:
        return None
    return max(event.capacity - confirmed_count(event), 0)


def is_full(event: Event, sessions: Iterable[ThemeSession]) -> bool:
    """Tell whether nobody more fits: the event's maximum is reached, or every session has
    a maximum and is full. `sessions` come from `with_seat_counts`."""
    if event_places_left(event) == 0:
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
        limits.append(event_places_left(event))
    if sessions and all(session.capacity is not None for session in sessions):
        limits.append(sum(session.places_left for session in sessions))
    places_left = min(limits) if limits else None
    return Availability(is_full=places_left == 0, places_left=places_left)


@dataclass
class Places:
    """The places left, per session (None: no maximum) and for the evening, as counted once.

    `take` books places for members placed one after another within one write.
    """

    sessions: dict[int, ThemeSession]
    session_left: dict[int, int | None]
    event_left: int | None

    def fits(self, session_ids: Sequence[int]) -> bool:
        """Tell whether all these members can come together."""
        if self.event_left is not None and len(session_ids) > self.event_left:
            return False
        return all(
            self.session_left[pk] is None or count <= self.session_left[pk]
            for pk, count in Counter(session_ids).items()
        )

    def take(self, session_ids: Sequence[int]) -> None:
        for pk in session_ids:
            if self.session_left[pk] is not None:
                self.session_left[pk] -= 1
        if self.event_left is not None:
            self.event_left -= len(session_ids)

    def with_room(self, *, besides: int) -> list[str]:
        """Return the titles of the sessions that still have a place, other than `besides`."""
        return [
            session.title
            for pk, session in self.sessions.items()
            if pk != besides and (self.session_left[pk] is None or self.session_left[pk] > 0)
        ]


def count_places(event: Event, seen: Iterable[ThemeSession] | None = None) -> Places:
    """Count the places left; the caller holds the event's lock.

    `seen`: the sessions with seat counts as read before the lock, when the lock showed that
    nothing changed since (see `locking.lock_seen_event`); they are not read again.
    """
    if seen is None:
        seen = with_seat_counts(ThemeSession.objects.filter(event=event))
    sessions = {s.pk: s for s in seen}
    return Places(
        sessions=sessions,
        session_left={pk: session.places_left for pk, session in sessions.items()},
        event_left=event_places_left(event),
    )


class Choice(Protocol):
    """What placing needs of a board member: the session, and whether they will wait for it."""

    session_id: int
    wait_if_full: bool


def place_members(
    event: Event,
    members: Sequence[Choice],
    *,
    wait_as_group: bool,
    seen: Iterable[ThemeSession] | None = None,
) -> list[str]:
    """Return each member's status (confirmed or waiting), in the order of the form's rows.

    Nobody waits without having chosen it: a member whose session is full waits only with
    `wait_if_full`; a group that does not fit the evening waits only with `wait_as_group`,
    and then as a whole. Anything else is refused with a message at the member or the group
    that says what is still possible. The caller holds the event's lock; `seen` as for
    `count_places`.
    """
    places = count_places(event, seen)
    for index, member in enumerate(members):
        if member.session_id not in places.sessions:
            raise RegistrationError(
                _("Kies een themasessie van deze bijeenkomst."),
                code="invalid_session",
                field="session",
                index=index,
            )
    if places.fits([member.session_id for member in members]):
        return [Status.CONFIRMED] * len(members)
    if wait_as_group and event.has_waiting_list:
        return [Status.WAITING] * len(members)
    event_left = places.event_left
    statuses = []
    for index, member in enumerate(members):
        left = places.session_left[member.session_id]
        if left is not None and left < 1:
            if member.wait_if_full and event.has_waiting_list:
                statuses.append(Status.WAITING)
                continue
            raise session_full(event, places, member.session_id, index=index)
        places.take([member.session_id])
        statuses.append(Status.CONFIRMED)
    coming = statuses.count(Status.CONFIRMED)
    if event_left is not None and coming > event_left:
        raise event_full(event, left=event_left, size=coming)
    return statuses


def place_newcomer(event: Event, member: Choice) -> str:
    """Return the status of one board member added to a sign-up later: confirmed when there is
    a place, waiting when they chose to wait for one; else refuse."""
    places = count_places(event)
    if member.session_id not in places.sessions:
        raise RegistrationError(
            _("Kies een themasessie van deze bijeenkomst."), code="invalid_session", field="session"
        )
    if places.fits([member.session_id]):
        return Status.CONFIRMED
    if member.wait_if_full and event.has_waiting_list:
        return Status.WAITING
    if places.event_left == 0:
        raise event_full(event, left=0, size=1, field="session")
    raise session_full(event, places, member.session_id, index=None)


def session_full(
    event: Event, places: Places, session_id: int, *, index: int | None
) -> RegistrationError:
    """Return the refusal for a member whose session has no place left for them."""
    session = places.sessions[session_id]
    parts = [_("Deze themasessie is vol.")]
    if session.places_left:  # there was room, but not for everyone in this group who chose it
        parts = [
            ngettext(
                "Deze themasessie heeft nog maar %(n)d plaats.",
                "Deze themasessie heeft nog maar %(n)d plaatsen.",
                session.places_left,
            )
            % {"n": session.places_left}
        ]
    others = places.with_room(besides=session_id)
    if others:
        parts.append(_("Er is nog plaats bij: %(titles)s.") % {"titles": ", ".join(others)})
    if event.has_waiting_list:
        parts.append(
            _("Kies een andere sessie, of kies ‘op de wachtlijst voor deze sessie’.")
            if others
            else _("Kies ‘op de wachtlijst voor deze sessie’.")
        )
    elif others:
        parts.append(_("Kies een andere sessie."))
    return RegistrationError(" ".join(parts), code="session_full", field="session", index=index)


def event_full(
    event: Event, *, left: int, size: int, field: str | None = "wait_as_group"
) -> RegistrationError:
    """Return the refusal for a group larger than the places the evening has left."""
    if left == 0:
        parts = [_("Deze bijeenkomst is vol.")]
    else:
        parts = [
            ngettext(
                "Er is nog %(left)d plaats op deze bijeenkomst,",
                "Er zijn nog %(left)d plaatsen op deze bijeenkomst,",
                left,
            )
            % {"left": left}
            + " "
            + ngettext(
                "en u meldt %(size)d bestuurslid aan.",
                "en u meldt %(size)d bestuursleden aan.",
                size,
            )
            % {"size": size}
        ]
    if event.has_waiting_list:
        parts.append(
            _("Meld nu minder bestuursleden aan, of zet de hele groep op de wachtlijst.")
            if left
            else _("U kunt de hele groep op de wachtlijst zetten.")
        )
    elif left:
        parts.append(_("Meld minder bestuursleden aan."))
    return RegistrationError(
        " ".join(parts),
        code="event_full",
        field=field if event.has_waiting_list or field == "session" else None,
    )


def settle_status(registration: Registration) -> None:
    """Set the sign-up's status from its members: confirmed when anyone is confirmed, waiting
    when everyone still coming waits, cancelled when nobody is left."""
    statuses = set(registration.attendees.values_list("status", flat=True))
    if Status.CONFIRMED in statuses:
        status = Status.CONFIRMED
    elif Status.WAITING in statuses:
        status = Status.WAITING
    else:
        status = Status.CANCELLED
    if status != registration.status:
        registration.status = status
        registration.save(update_fields=["status", "updated_at"])

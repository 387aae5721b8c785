"""Where a board member goes, and what a refusal says: a colleague added later
(`place_newcomer`), a member whose session is full, a group too large for the evening, and the
places left that the event page shows (`availability`)."""

import pytest

from registrations.availability import (
    availability,
    place_members,
    place_newcomer,
    with_seat_counts,
)
from registrations.errors import RegistrationError
from registrations.models import Status
from registrations.signup import AttendeeData
from tests.factories import AttendeeFactory, EventFactory, ThemeSessionFactory

pytestmark = pytest.mark.django_db

WAIT_OR_OTHER = "Kies een andere sessie, of kies ‘op de wachtlijst voor deze sessie’."


def lab(*, waiting_list: bool, capacity: int | None = None):
    """A lab with a full session (one place, taken), one with two places and one without a
    maximum."""
    event = EventFactory(has_waiting_list=waiting_list, capacity=capacity)
    full = ThemeSessionFactory(event=event, title="Vol", capacity=1, order=1)
    ThemeSessionFactory(event=event, title="Ruim", capacity=2, order=2)
    ThemeSessionFactory(event=event, title="Open", capacity=None, order=3)
    AttendeeFactory(registration__event=event, session=full)
    return event


def session(event, title):
    return event.sessions.get(title=title)


def refusal(call) -> tuple[str, str, str | None, int | None]:
    with pytest.raises(RegistrationError) as caught:
        call()
    error = caught.value
    return error.code, error.message, error.field, error.index


def newcomer(event, title, *, wait: bool = False) -> AttendeeData:
    return AttendeeData(name="Nieuw Lid", session_id=session(event, title).pk, wait_if_full=wait)


@pytest.mark.parametrize(
    ("waiting_list", "title", "wait", "status"),
    [
        (True, "Ruim", False, Status.CONFIRMED),
        (False, "Open", False, Status.CONFIRMED),
        (True, "Vol", True, Status.WAITING),
    ],
)
def test_a_colleague_added_later_comes_or_waits_by_choice(waiting_list, title, wait, status):
    event = lab(waiting_list=waiting_list)

    assert place_newcomer(event, newcomer(event, title, wait=wait)) == status


def test_a_colleague_for_a_full_session_is_refused_with_what_is_possible():
    with_list = lab(waiting_list=True)
    without_list = lab(waiting_list=False)

    assert refusal(lambda: place_newcomer(with_list, newcomer(with_list, "Vol"))) == (
        "session_full",
        f"Deze themasessie is vol. Er is nog plaats bij: Ruim, Open. {WAIT_OR_OTHER}",
        "session",
        None,
    )
    # Without a waiting list, choosing to wait changes nothing.
    assert refusal(
        lambda: place_newcomer(without_list, newcomer(without_list, "Vol", wait=True))
    ) == (
        "session_full",
        "Deze themasessie is vol. Er is nog plaats bij: Ruim, Open. Kies een andere sessie.",
        "session",
        None,
    )


def test_a_colleague_for_a_full_evening_or_another_labs_session_is_refused():
    event = lab(waiting_list=False, capacity=1)

    assert refusal(lambda: place_newcomer(event, newcomer(event, "Open"))) == (
        "event_full",
        "Deze bijeenkomst is vol.",
        "session",
        None,
    )
    elsewhere = AttendeeData(name="Nieuw Lid", session_id=ThemeSessionFactory().pk)
    assert refusal(lambda: place_newcomer(event, elsewhere))[:3] == (
        "invalid_session",
        "Kies een themasessie van deze bijeenkomst.",
        "session",
    )


def test_a_session_with_fewer_places_than_the_group_chose_says_how_many():
    event = lab(waiting_list=True)
    ThemeSessionFactory(event=event, title="Klein", capacity=1, order=4)
    two_in_small = [newcomer(event, "Klein"), newcomer(event, "Klein")]

    assert refusal(lambda: place_members(event, two_in_small, wait_as_group=False)) == (
        "session_full",
        "Deze themasessie heeft nog maar 1 plaats. Er is nog plaats bij: Ruim, Open. "
        + WAIT_OR_OTHER,
        "session",
        1,  # the second member's row
    )


@pytest.mark.parametrize(
    ("waiting_list", "message"),
    [
        (True, "Deze themasessie is vol. Kies ‘op de wachtlijst voor deze sessie’."),
        (False, "Deze themasessie is vol."),
    ],
)
def test_a_full_session_when_no_other_has_room_offers_only_the_waiting_list(waiting_list, message):
    event = EventFactory(has_waiting_list=waiting_list)
    only = ThemeSessionFactory(event=event, title="Enige", capacity=1)
    AttendeeFactory(registration__event=event, session=only)
    member = AttendeeData(name="Nieuw Lid", session_id=only.pk)

    assert refusal(lambda: place_members(event, [member], wait_as_group=False)) == (
        "session_full",
        message,
        "session",
        0,
    )


@pytest.mark.parametrize(
    ("waiting_list", "message", "field"),
    [
        (
            True,
            "Er zijn nog 2 plaatsen op deze bijeenkomst, en u meldt 3 bestuursleden aan. "
            "Meld nu minder bestuursleden aan, of zet de hele groep op de wachtlijst.",
            "wait_as_group",
        ),
        (
            False,
            "Er zijn nog 2 plaatsen op deze bijeenkomst, en u meldt 3 bestuursleden aan. "
            "Meld minder bestuursleden aan.",
            None,
        ),
    ],
)
def test_a_group_larger_than_the_evening_hears_how_many_places_are_left(
    waiting_list, message, field
):
    event = lab(waiting_list=waiting_list, capacity=3)
    group = [newcomer(event, "Open") for _n in range(3)]

    assert refusal(lambda: place_members(event, group, wait_as_group=False)) == (
        "event_full",
        message,
        field,
        None,
    )


def test_a_full_evening_with_a_waiting_list_offers_it_to_the_whole_group():
    event = lab(waiting_list=True, capacity=1)
    group = [newcomer(event, "Open")]

    assert refusal(lambda: place_members(event, group, wait_as_group=False)) == (
        "event_full",
        "Deze bijeenkomst is vol. U kunt de hele groep op de wachtlijst zetten.",
        "wait_as_group",
        None,
    )
    assert place_members(event, group, wait_as_group=True) == [Status.WAITING]


def test_a_member_who_chose_to_wait_waits_while_the_others_take_their_places():
    event = lab(waiting_list=True)
    members = [newcomer(event, "Vol", wait=True), newcomer(event, "Ruim"), newcomer(event, "Ruim")]

    assert place_members(event, members, wait_as_group=False) == [
        Status.WAITING,
        Status.CONFIRMED,
        Status.CONFIRMED,
    ]


@pytest.mark.parametrize(
    ("capacity", "limited_sessions", "expected"),
    [
        (None, False, (False, None)),  # no maximum anywhere
        (10, False, (False, 9)),  # the evening's own maximum, one taken
        (None, True, (False, 2)),  # the sessions together: full (0) + two
        (10, True, (False, 2)),  # the smaller of the two
        (1, True, (True, 0)),  # the evening is full
    ],
)
def test_availability_is_the_smallest_limit_of_evening_and_sessions(
    capacity, limited_sessions, expected
):
    event = EventFactory(capacity=capacity)
    full = ThemeSessionFactory(event=event, capacity=1)
    ThemeSessionFactory(event=event, capacity=2 if limited_sessions else None)
    AttendeeFactory(registration__event=event, session=full)
    AttendeeFactory(registration__event=event, session=full, status=Status.WAITING)

    result = availability(event, with_seat_counts(event.sessions.all()))

    assert (result.is_full, result.places_left) == expected

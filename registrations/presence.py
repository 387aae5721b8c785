"""Presence on the evening: staff at the door mark a board member present, or undo it.

Two tablets may tap the same person at the same moment. Each write is one conditional
UPDATE (present only when not yet present, absent only when present), so the database
decides who was first and the counts stay right without a lock; the loser changes nothing.
Presence touches neither places nor money, so it takes no event lock.
"""

from django.contrib.auth.base_user import AbstractBaseUser
from django.db.models import Count, Q
from django.utils import timezone

from registrations.models import Attendee, Status
from sessions.models import Event


def check_in(*, event: Event, attendee_id: int, by: AbstractBaseUser) -> bool:
    """Mark a confirmed board member present; return False when someone did so already."""
    return bool(
        Attendee.objects.filter(
            pk=attendee_id, event=event, status=Status.CONFIRMED, checked_in_at__isnull=True
        ).update(checked_in_at=timezone.now(), checked_in_by=by)
    )


def undo_check_in(*, event: Event, attendee_id: int) -> bool:
    """Mark a board member absent again; return False when they were not marked present."""
    return bool(
        Attendee.objects.filter(pk=attendee_id, event=event, checked_in_at__isnull=False).update(
            checked_in_at=None, checked_in_by=None
        )
    )


def presence_counts(event: Event) -> dict[str, int]:
    """Return how many confirmed board members are present, and how many are expected."""
    return (
        Attendee.objects.confirmed()
        .filter(event=event)
        .aggregate(
            present=Count("pk", filter=Q(checked_in_at__isnull=False)),
            expected=Count("pk"),
        )
    )

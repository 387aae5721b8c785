"""Writers for what is on offer: creating an event with its sessions, programme and prices."""

import datetime
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal

from django.db import transaction

from sessions.models import DEFAULT_PRICE_TIERS, Event, PriceTier, ProgrammeItem, ThemeSession


@dataclass(frozen=True)
class SessionData:
    title: str
    description: str = ""
    capacity: int | None = None


def create_event(
    *,
    sessions: Sequence[SessionData],
    programme: Sequence[tuple[datetime.time, str]] = (),
    tiers: Mapping[int, Decimal] = DEFAULT_PRICE_TIERS,
    **fields: object,
) -> Event:
    """Create an event with its theme sessions, programme items and price tiers, all or none."""
    with transaction.atomic():
        event = Event(**fields)
        event.full_clean()
        event.save()
        for order, session in enumerate(sessions, start=1):
            theme_session = ThemeSession(
                event=event,
                title=session.title,
                description=session.description,
                capacity=session.capacity,
                order=order,
            )
            theme_session.full_clean()
            theme_session.save()
        for time, title in programme:
            item = ProgrammeItem(event=event, time=time, title=title)
            item.full_clean()
            item.save()
        for group_size, amount in tiers.items():
            tier = PriceTier(event=event, group_size=group_size, amount=amount)
            tier.full_clean()
            tier.save()
    return event


def reschedule_event(
    *, event: Event, date: datetime.date, registration_deadline: datetime.datetime
) -> Event:
    """Move an event to another date, keeping everything else."""
    with transaction.atomic():
        event.date = date
        event.registration_deadline = registration_deadline
        event.full_clean()
        event.save(update_fields=["date", "registration_deadline", "updated_at"])
    return event

"""Writers for what is on offer: creating an event with its sessions, programme and prices."""

import datetime
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal

from django.core.files import File
from django.db import transaction

from sessions.images import process_upload
from sessions.models import (
    DEFAULT_PRICE_TIERS,
    Contact,
    Event,
    PriceTier,
    ProgrammeItem,
    ThemeSession,
)


@dataclass(frozen=True)
class SessionData:
    title: str
    description: str = ""
    capacity: int | None = None


@dataclass(frozen=True)
class ContactData:
    name: str
    role: str = ""
    phone: str = ""
    email: str = ""


def create_event(
    *,
    sessions: Sequence[SessionData],
    programme: Sequence[tuple[datetime.time, str]] = (),
    tiers: Mapping[int, Decimal] = DEFAULT_PRICE_TIERS,
    contacts: Sequence[ContactData] = (),
    **fields: object,
) -> Event:
    """Create an event with its sessions, programme, prices and contacts, all or none."""
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
        for order, data in enumerate(contacts, start=1):
            contact = Contact(event=event, order=order, **vars(data))
            contact.full_clean()
            contact.save()
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


def set_event_image(*, event: Event, upload: File, alt: str) -> Event:
    """Give an event a header image (checked and resized as in the admin) with its text.

    Raises ValidationError, with a message for staff, when the file is refused.
    """
    with transaction.atomic():
        event.image = process_upload(upload, Event._meta.get_field("image").spec)
        event.image_alt = alt
        event.full_clean()
        event.save()
    return event


def copy_event(*, event: Event) -> Event:
    """Create an unpublished copy of an event as the next lab, without its sign-ups.

    The copy keeps the programme, sessions, capacities, prices, contacts and image; staff
    then give it its own date, deadline and address.
    """
    base_slug = f"{event.slug}-kopie"[:70]
    slug, number = base_slug, 1
    while Event.objects.filter(slug=slug).exists():
        number += 1
        slug = f"{base_slug}-{number}"
    fields = {
        field.name: getattr(event, field.name)
        for field in Event._meta.concrete_fields
        if field.name not in {"id", "slug", "is_published", "created_at", "updated_at"}
    }
    fields["title"] = f"{event.title} (kopie)"[:200]
    return create_event(
        slug=slug,
        is_published=False,
        sessions=[
            SessionData(title=s.title, description=s.description, capacity=s.capacity)
            for s in event.sessions.all()
        ],
        programme=[(item.time, item.title) for item in event.programme.all()],
        tiers={tier.group_size: tier.amount for tier in event.price_tiers.all()},
        contacts=[
            ContactData(name=c.name, role=c.role, phone=c.phone, email=c.email)
            for c in event.contacts.all()
        ],
        **fields,
    )

"""One factory per model, with invented people at example.org."""

import datetime
from decimal import Decimal

import factory
from django.utils import timezone

from registrations.models import (
    Attendee,
    Invoice,
    MailKind,
    MailStatus,
    Organisation,
    OutboxMail,
    Registration,
    Status,
    person_key,
)
from sessions.models import Contact, Event, PriceTier, ProgrammeItem, ThemeSession


class EventFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Event
        skip_postgeneration_save = True

    title = factory.Sequence(lambda n: f"Participatielab {n}")
    slug = factory.Sequence(lambda n: f"lab-{n}")
    theme = "Prestatieafspraken"
    date = factory.LazyFunction(lambda: timezone.localdate() + datetime.timedelta(days=42))
    start_time = datetime.time(17, 0)
    end_time = datetime.time(20, 0)
    venue_name = "Kasteel Rhijnauwen"
    venue_address = "Rhijnauwenselaan 14b"
    venue_city = "Bunnik"
    registration_deadline = factory.LazyFunction(
        lambda: timezone.now() + datetime.timedelta(days=35)
    )
    is_published = True
    has_waiting_list = False

    @factory.post_generation
    def tiers(self, create, extracted, **kwargs):
        """Give every event the default price tiers unless told otherwise (`tiers={}`)."""
        if not create:
            return
        tiers = (
            extracted
            if extracted is not None
            else {1: Decimal("50.00"), 2: Decimal("85.00"), 3: Decimal("100.00")}
        )
        for size, amount in tiers.items():
            PriceTier.objects.create(event=self, group_size=size, amount=amount)


class ThemeSessionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ThemeSession

    event = factory.SubFactory(EventFactory)
    title = factory.Sequence(lambda n: f"Themasessie {n}")
    description = "Een gesprek over prestatieafspraken."
    order = factory.Sequence(lambda n: n)


class ProgrammeItemFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ProgrammeItem

    event = factory.SubFactory(EventFactory)
    time = datetime.time(17, 15)
    title = "Opening"


class PriceTierFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PriceTier

    event = factory.SubFactory(EventFactory, tiers={})
    group_size = factory.Sequence(lambda n: n + 1)
    amount = Decimal("50.00")


class ContactFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Contact

    event = factory.SubFactory(EventFactory)
    name = factory.Sequence(lambda n: f"Adviseur {n}")
    role = "adviseur"
    phone = "030 000 00 01"
    email = factory.Sequence(lambda n: f"adviseur{n}@example.org")
    order = factory.Sequence(lambda n: n)


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation

    name = factory.Sequence(lambda n: f"Huurdersvereniging Voorbeeld {n}")


class InvoiceFactory(factory.django.DjangoModelFactory):
    """An organisation's invoice for an event; reused when one exists (one per pair)."""

    class Meta:
        model = Invoice
        django_get_or_create = ("event", "organisation")

    event = factory.SubFactory(EventFactory)
    organisation = factory.SubFactory(OrganisationFactory)


class RegistrationFactory(factory.django.DjangoModelFactory):
    """A sign-up. Its invoice's amount is not recomputed: use the services for that."""

    class Meta:
        model = Registration

    event = factory.SubFactory(EventFactory)
    organisation = factory.SubFactory(OrganisationFactory)
    invoice = factory.SubFactory(
        InvoiceFactory,
        event=factory.SelfAttribute("..event"),
        organisation=factory.SelfAttribute("..organisation"),
    )
    contact_name = "Karin Voorbeeld"
    contact_email = factory.Sequence(lambda n: f"contact{n}@example.org")
    consent_at = factory.LazyFunction(timezone.now)
    privacy_version = "test"
    status = Status.CONFIRMED


class AttendeeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Attendee

    registration = factory.SubFactory(RegistrationFactory)
    event = factory.SelfAttribute("registration.event")
    organisation = factory.SelfAttribute("registration.organisation")
    session = factory.SubFactory(ThemeSessionFactory, event=factory.SelfAttribute("..event"))
    name = factory.Sequence(lambda n: f"Bestuurslid {n}")
    name_key = factory.LazyAttribute(lambda attendee: person_key(attendee.name))
    email = factory.Sequence(lambda n: f"lid{n}@example.org")
    status = factory.SelfAttribute("registration.status")


class OutboxMailFactory(factory.django.DjangoModelFactory):
    """An outbox row, as the queue functions write it; no send task is enqueued for it."""

    class Meta:
        model = OutboxMail

    kind = MailKind.CONFIRMATION
    registration = factory.SubFactory(RegistrationFactory)
    recipient = factory.Sequence(lambda n: f"ontvanger{n}@example.org")
    language = "nl"
    status = MailStatus.QUEUED
    next_try_at = factory.LazyFunction(timezone.now)

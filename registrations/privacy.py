"""Personal data: what is stored about one address, erasing it, and anonymising old events.

Organisations, head counts, statuses and amounts stay for reporting; names, addresses, phone
numbers, remarks and dietary wishes go.
"""

import datetime

from django.db import transaction
from django.db.models import QuerySet
from django.db.models.functions import Lower
from django.utils import timezone

from registrations.models import Attendee, Registration

ANONYMOUS_NAME = "Geanonimiseerd"


def personal_data_of(email: str) -> dict:
    """Return everything stored about an e-mail address, as plain data."""
    address = email.strip().lower()
    registrations = (
        Registration.objects.alias(email_key=Lower("contact_email"))
        .filter(email_key=address)
        .select_related("event", "organisation")
    )
    attendees = (
        Attendee.objects.alias(email_key=Lower("email"))
        .filter(email_key=address)
        .select_related("event", "session", "registration__organisation")
    )
    return {
        "email": email,
        "as_contact_person": [
            {
                "event": str(r.event),
                "organisation": r.organisation.name,
                "name": r.contact_name,
                "email": r.contact_email,
                "phone": r.contact_phone,
                "remarks": r.remarks,
                "status": r.status,
                "signed_up_at": r.created_at.isoformat(),
                "consent_at": r.consent_at.isoformat(),
                "privacy_version": r.privacy_version,
            }
            for r in registrations
        ],
        "as_attendee": [
            {
                "event": str(a.event),
                "organisation": a.registration.organisation.name,
                "name": a.name,
                "email": a.email,
                "session": a.session.title,
                "dietary_wishes": a.dietary_wishes,
                "status": a.status,
                "signed_up_at": a.created_at.isoformat(),
            }
            for a in attendees
        ],
    }


def anonymise_registrations(
    *, registrations: QuerySet[Registration], now: datetime.datetime | None = None
) -> int:
    """Remove the personal data of sign-ups and their board members; return how many.

    Addresses become unique placeholders on the reserved `.invalid` domain, so the e-mail
    constraint still holds. Sign-ups anonymised before are left as they are.
    """
    now = now or timezone.now()
    count = 0
    with transaction.atomic():
        for registration in registrations.select_for_update().filter(anonymised_at__isnull=True):
            for attendee in registration.attendees.all():
                _anonymise_attendee(attendee)
            _anonymise_contact(registration)
            registration.anonymised_at = now
            registration.save()
            count += 1
    return count


def erase_personal_data(*, email: str) -> int:
    """Remove everything stored about one e-mail address; return how many rows changed."""
    address = email.strip().lower()
    changed = 0
    with transaction.atomic():
        attendees = Attendee.objects.alias(email_key=Lower("email")).filter(email_key=address)
        for attendee in attendees.select_for_update():
            _anonymise_attendee(attendee)
            changed += 1
        contacts = Registration.objects.alias(email_key=Lower("contact_email")).filter(
            email_key=address
        )
        for registration in contacts.select_for_update():
            _anonymise_contact(registration)
            registration.save()
            changed += 1
    return changed


def _anonymise_attendee(attendee: Attendee) -> None:
    attendee.name = ANONYMOUS_NAME
    attendee.email = f"anoniem-{attendee.pk}@example.invalid"
    attendee.dietary_wishes = ""
    attendee.save(update_fields=["name", "email", "dietary_wishes"])


def _anonymise_contact(registration: Registration) -> None:
    registration.contact_name = ANONYMOUS_NAME
    registration.contact_email = f"anoniem-r{registration.pk}@example.invalid"
    registration.contact_phone = ""
    registration.remarks = ""
    registration.mail_error = ""

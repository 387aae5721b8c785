"""Personal data: what is stored about one address, erasing it, and anonymising old events.

Organisations, head counts, statuses and amounts stay for reporting; names, addresses, phone
numbers, remarks and dietary wishes go, and so do the addresses, names and errors in the mail
outbox (a mail not yet sent is dropped).
"""

import datetime

from django.db import transaction
from django.db.models import QuerySet
from django.db.models.functions import Lower
from django.utils import timezone

from registrations.models import Attendee, MailStatus, OutboxMail, Registration

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
        "mails": [
            {
                "event": str(m.registration.event),
                "kind": m.kind,
                "status": m.status,
                "created_at": m.created_at.isoformat(),
                "sent_at": m.sent_at.isoformat() if m.sent_at else None,
            }
            for m in mails_to(address).select_related("registration__event")
        ],
    }


def mails_to(address: str) -> QuerySet[OutboxMail]:
    """Return the outbox rows addressed to an e-mail address, compared without case."""
    return OutboxMail.objects.alias(address=Lower("recipient")).filter(address=address.lower())


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
            _anonymise_mails(registration.mails.all())
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
            # Change mails name the member ("Anna is afgemeld."); they lose the name too.
            _anonymise_mails(
                attendee.registration.mails.filter(params__name=attendee.name), name_only=True
            )
            _anonymise_attendee(attendee)
            changed += 1
        contacts = Registration.objects.alias(email_key=Lower("contact_email")).filter(
            email_key=address
        )
        for registration in contacts.select_for_update():
            _anonymise_contact(registration)
            registration.save()
            changed += 1
        changed += _anonymise_mails(mails_to(address).select_for_update())
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


def _anonymise_mails(mails: QuerySet[OutboxMail], *, name_only: bool = False) -> int:
    """Remove the address, error and person's name from outbox rows; drop those not yet sent.

    With `name_only`, only the name in a change line goes (the rows are to other addresses).
    """
    count = 0
    for mail in mails:
        if "name" in mail.params:
            mail.params = {**mail.params, "name": ANONYMOUS_NAME}
        if not name_only:
            mail.recipient = ""
            mail.last_error = ""
            if mail.status == MailStatus.QUEUED:
                mail.status = MailStatus.DROPPED
        mail.save(update_fields=["params", "recipient", "last_error", "status"])
        count += 1
    return count

"""Personal data: finding a person, exporting and erasing what is stored about them, and
anonymising old events.

A person is found by address, or by organisation and name (for those without an own
address). Erasure works per person staff select: a shared address (secretariaat@) may belong
to several people, and erasing one of them leaves the others as they are.

Organisations, head counts, statuses and amounts stay for reporting; names, addresses, phone
numbers, remarks and dietary wishes go, and so do the addresses, names and errors in the mail
outbox (a mail not yet sent is dropped) and the open answers of the evaluation (its marks,
yes/no answers and themes stay).
"""

import datetime
from collections import defaultdict
from collections.abc import Iterable

from django.db import transaction
from django.db.models import QuerySet
from django.db.models.functions import Lower
from django.utils import timezone

from registrations.evaluation import anonymise_responses
from registrations.invitations import forget_addresses
from registrations.models import (
    Attendee,
    EvaluationAnswer,
    Invoice,
    MailKind,
    MailStatus,
    Organisation,
    OutboxMail,
    Registration,
    normalise_name,
    person_key,
)

ANONYMOUS_NAME = "Geanonimiseerd"
NAMING_MAILS = [MailKind.CHANGE, MailKind.STAFF_CHANGE, MailKind.PROMOTED]


def find_people(
    *, email: str = "", organisation: str = "", name: str = ""
) -> tuple[QuerySet[Registration], QuerySet[Attendee]]:
    """Return the sign-ups whose contact person, and the board members, that match: by
    address (without case), or by organisation and name (case, spacing, accents ignored)."""
    contacts = Registration.objects.filter(anonymised_at__isnull=True).select_related(
        "event", "organisation"
    )
    members = Attendee.objects.exclude(name_key="").select_related(
        "event", "session", "organisation"
    )
    if email:
        address = email.strip().lower()
        contacts = contacts.alias(key=Lower("contact_email")).filter(key=address)
        members = members.alias(key=Lower("email")).filter(key=address)
        return contacts.order_by("pk"), members.order_by("pk")
    found = Organisation.objects.filter(name_key=normalise_name(organisation)).first()
    if found is None:
        return contacts.none(), members.none()
    owner = found.merged_into_id or found.pk  # a merged spelling: its people moved along
    key = person_key(name)
    contact_ids = [
        pk
        for pk, contact_name in Registration.objects.filter(organisation_id=owner).values_list(
            "pk", "contact_name"
        )
        if person_key(contact_name) == key
    ]
    return (
        contacts.filter(pk__in=contact_ids).order_by("pk"),
        members.filter(organisation_id=owner, name_key=key).order_by("pk"),
    )


def personal_data_of(*, email: str = "", organisation: str = "", name: str = "") -> dict:
    """Return everything stored about the people found (see `find_people`), as plain data."""
    contacts, members = find_people(email=email, organisation=organisation, name=name)
    contacts, members = list(contacts), list(members)
    addresses = {r.contact_email.lower() for r in contacts} | {
        a.email.lower() for a in members if a.email
    }
    return {
        "email": email,
        "organisation": organisation,
        "name": name,
        "as_contact_person": [
            {
                "id": r.pk,
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
            for r in contacts
        ],
        "as_attendee": [
            {
                "id": a.pk,
                "event": str(a.event),
                "organisation": a.organisation.name,
                "name": a.name,
                "email": a.email,
                "session": a.session.title,
                "dietary_wishes": a.dietary_wishes,
                "status": a.status,
                "signed_up_at": a.created_at.isoformat(),
            }
            for a in members
        ],
        "evaluation": [
            {
                "event": str(a.response.evaluation.event),
                "question": a.question.text,
                "mark": a.mark,
                "yes_no": a.yes_no,
                "text": a.text,
                "themes": a.themes,
                "name_may_be_shown": a.response.show_name,
            }
            for a in EvaluationAnswer.objects.filter(response__attendee__in=members)
            .select_related("question", "response__evaluation__event")
            .order_by("pk")
        ],
        "mails": [
            {
                "event": str(m.registration.event),
                "to": m.recipient,
                "kind": m.kind,
                "status": m.status,
                "created_at": m.created_at.isoformat(),
                "sent_at": m.sent_at.isoformat() if m.sent_at else None,
            }
            for m in mails_to(addresses).select_related("registration__event").order_by("pk")
        ],
    }


def mails_to(addresses: Iterable[str]) -> QuerySet[OutboxMail]:
    """Return the outbox rows addressed to any of the addresses, compared without case."""
    wanted = [address.lower() for address in addresses if address]
    return OutboxMail.objects.alias(address=Lower("recipient")).filter(address__in=wanted)


def anonymise_registrations(
    *, registrations: QuerySet[Registration], now: datetime.datetime | None = None
) -> int:
    """Remove the personal data of sign-ups and their board members; return how many.

    Sign-ups anonymised before are left as they are.
    """
    now = now or timezone.now()
    count = 0
    with transaction.atomic():
        for registration in registrations.select_for_update().filter(anonymised_at__isnull=True):
            for attendee in registration.attendees.all():
                _anonymise_attendee(attendee)
            _anonymise_contact(registration)
            _anonymise_mails(registration.mails.all())
            # "To the attention of" names a person; the documents issued stay as sent.
            Invoice.objects.filter(pk=registration.invoice_id).update(attention="")
            registration.anonymised_at = now
            registration.save()
            count += 1
    return count


def erase_personal_data(*, contacts: Iterable[int] = (), attendees: Iterable[int] = ()) -> int:
    """Remove what is stored about the selected people: the contact person of each sign-up in
    `contacts`, and each board member in `attendees`; return how many rows changed.

    Mails addressed to an erased address lose it only where nobody left in that sign-up uses
    the address; change mails lose the erased people's names.
    """
    changed = 0
    erased: dict[int, set[str]] = defaultdict(set)
    with transaction.atomic():
        for attendee in Attendee.objects.select_for_update().filter(pk__in=list(attendees)):
            _forget_name(attendee.registration.mails.filter(kind__in=NAMING_MAILS), attendee.name)
            if attendee.email:
                erased[attendee.registration_id].add(attendee.email.lower())
            _anonymise_attendee(attendee)
            changed += 1
        for registration in Registration.objects.select_for_update().filter(pk__in=list(contacts)):
            erased[registration.pk].add(registration.contact_email.lower())
            _anonymise_contact(registration)
            registration.save()
            changed += 1
        forget_addresses(set().union(*erased.values()) - addresses_still_used(erased))
        for registration_id, addresses in erased.items():
            changed += _anonymise_mails(
                mails_to(addresses - addresses_in_use(registration_id)).filter(
                    registration_id=registration_id
                )
            )
    return changed


def addresses_still_used(erased: dict[int, set[str]]) -> set[str]:
    """Return the erased addresses someone in those sign-ups still uses (a shared address)."""
    return set().union(*(addresses & addresses_in_use(pk) for pk, addresses in erased.items()))


def addresses_in_use(registration_id: int) -> set[str]:
    """Return the addresses people of a sign-up still have, without case."""
    registration = Registration.objects.get(pk=registration_id)
    members = Attendee.objects.filter(registration_id=registration_id).exclude(email="")
    return {registration.contact_email.lower()} | {
        email.lower() for email in members.values_list("email", flat=True)
    }


def _anonymise_attendee(attendee: Attendee) -> None:
    attendee.name = ANONYMOUS_NAME
    attendee.name_key = ""  # an erased person is nobody's double
    attendee.email = ""
    attendee.dietary_wishes = ""
    attendee.manage_secret = ""  # their own link stops working
    attendee.save(update_fields=["name", "name_key", "email", "dietary_wishes", "manage_secret"])
    # Their evaluation keeps its marks; open answers and the link go.
    anonymise_responses(attendees=[attendee], now=timezone.now())


def _anonymise_contact(registration: Registration) -> None:
    # The contact's address is required: a placeholder on the reserved .invalid domain.
    registration.contact_name = ANONYMOUS_NAME
    registration.contact_email = f"anoniem-r{registration.pk}@example.invalid"
    registration.contact_phone = ""
    registration.remarks = ""


def _forget_name(mails: QuerySet[OutboxMail], name: str) -> None:
    """Replace a person's name in the change lines of mails (to any address)."""
    for mail in mails:
        params = dict(mail.params)
        if params.get("name") == name:
            params["name"] = ANONYMOUS_NAME
        if name in params.get("names", []):
            params["names"] = [ANONYMOUS_NAME if n == name else n for n in params["names"]]
        if params != mail.params:
            mail.params = params
            mail.save(update_fields=["params"])


def _anonymise_mails(mails: QuerySet[OutboxMail]) -> int:
    """Remove the address, error and names from outbox rows; drop those not yet sent."""
    count = 0
    for mail in mails:
        params = dict(mail.params)
        if "name" in params:
            params["name"] = ANONYMOUS_NAME
        if "names" in params:
            params["names"] = [ANONYMOUS_NAME] * len(params["names"])
        mail.params = params
        mail.recipient = ""
        mail.last_error = ""
        if mail.status == MailStatus.QUEUED:
            mail.status = MailStatus.DROPPED
        mail.save(update_fields=["params", "recipient", "last_error", "status"])
        count += 1
    return count

"""A message from staff to the people of one event: all confirmed attendees, one session's, the
waiting list, or the contact persons.

Each address gets one mail, whoever it stands for: a board member without an own address is
reached through their sign-up's contact person (as every mail about a sign-up is, see
`registrations.audience`), and an address several people use gets the message once. Each mail
is an outbox row linked to the `Mailing`, so staff see per recipient how it went.
"""

from dataclasses import dataclass, field

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction

from registrations.models import (
    Attendee,
    Mailing,
    MailingAudience,
    MailKind,
    OutboxMail,
    Registration,
    Status,
    normalise_address,
)
from registrations.outbox import new_mails, queue
from sessions.models import Event, ThemeSession


@dataclass
class Reach:
    """One address and the people it reaches."""

    address: str
    names: list[str] = field(default_factory=list)


def mailing_reach(
    *, event: Event, audience: str, session: ThemeSession | None = None
) -> list[Reach]:
    """Return each address the message goes to, once, with the people behind it."""
    reach: dict[str, Reach] = {}

    def add(address: str, name: str) -> None:
        if address.strip():
            reach.setdefault(normalise_address(address), Reach(address.strip())).names.append(name)

    if audience == MailingAudience.CONTACTS:
        signups = Registration.objects.filter(event=event, anonymised_at__isnull=True).exclude(
            status=Status.CANCELLED
        )
        for registration in signups.order_by("pk"):
            add(registration.contact_email, registration.contact_name)
        return list(reach.values())
    people = Attendee.objects.filter(event=event, registration__anonymised_at__isnull=True)
    if audience == MailingAudience.WAITING:
        people = people.filter(status=Status.WAITING)
    else:
        people = people.filter(status=Status.CONFIRMED)
    if audience == MailingAudience.SESSION:
        people = people.filter(session=session)
    for person in people.select_related("registration").order_by("registration_id", "pk"):
        add(person.email or person.registration.contact_email, person.name)
    return list(reach.values())


def send_mailing(
    *,
    event: Event,
    audience: str,
    session: ThemeSession | None,
    subject: str,
    body: str,
    sent_by: AbstractBaseUser | None,
) -> Mailing:
    """Store the message and queue one mail per address reached, in one transaction."""
    with transaction.atomic():
        mailing = Mailing.objects.create(
            event=event,
            audience=audience,
            session=session if audience == MailingAudience.SESSION else None,
            subject=subject,
            body=body,
            created_by=sent_by,
        )
        reach = mailing_reach(event=event, audience=audience, session=mailing.session)
        queue(
            new_mails(
                [r.address for r in reach],
                kind=MailKind.MAILING,
                mailing=mailing,
                language=settings.LANGUAGE_CODE,
            )
        )
    return mailing


def unsaved_mail(mailing: Mailing, address: str) -> OutboxMail:
    """Return the outbox row a preview shows, not saved."""
    return OutboxMail(kind=MailKind.MAILING, recipient=address, mailing=mailing, language="nl")

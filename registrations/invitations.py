"""Invitations to a new lab: the contact persons of organisations that came to earlier labs,
and the addresses waiting to hear when sign-up opens.

Legal basis (see README, "Invitations"): an existing relation with the organisation, with the
opt-out offered where the address was collected (the sign-up form's "Geen uitnodigingen") and
in every invitation (the one-click unsubscribe). So an address is never invited when its
sign-up ticked that choice or when it unsubscribed, and at most once per lab: the database
holds that (`invitation_one_per_address_per_lab`), and `send_invitations` skips who has one.
"""

import datetime
from collections.abc import Iterable
from dataclasses import dataclass

from django.conf import settings
from django.db import models, transaction
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from registrations.locking import lock_event
from registrations.models import (
    Invitation,
    MailKind,
    Organisation,
    OutboxMail,
    Registration,
    Status,
    Subscriber,
    normalise_address,
)
from registrations.outbox import new_mails, queue
from registrations.unsubscribe import suppressed_among
from sessions.models import Event


class Scope(models.TextChoices):
    ALL = "all", _("alle organisaties binnen de bewaartermijn")
    LAST = "last", _("de organisaties van de laatste labs")
    PICKED = "picked", _("organisaties die ik kies")


@dataclass(frozen=True)
class Recipient:
    email: str
    name: str = ""
    organisation: Organisation | None = None


def retention_cutoff(today: datetime.date | None = None) -> datetime.date:
    """Return the first day whose labs' sign-ups are still kept (a month counted as 31 days)."""
    today = today or timezone.localdate()
    return today - datetime.timedelta(days=31 * settings.PRIVACY_RETENTION_MONTHS)


def earlier_labs(event: Event) -> models.QuerySet[Event]:
    """Return the labs before `event` whose sign-ups are still kept, newest first."""
    return Event.objects.filter(date__lt=event.date, date__gte=retention_cutoff()).order_by(
        "-date", "-pk"
    )


def earlier_organisations(event: Event) -> models.QuerySet[Organisation]:
    """Return the organisations that came to an earlier lab, for staff to pick from."""
    return (
        Organisation.objects.filter(
            registrations__event__in=earlier_labs(event),
            registrations__status=Status.CONFIRMED,
        )
        .distinct()
        .order_by("name")
    )


def invitation_recipients(
    *,
    event: Event,
    scope: str = Scope.ALL,
    last: int = 1,
    organisations: Iterable[Organisation] = (),
) -> list[Recipient]:
    """Return who would be invited now: contact persons of earlier labs in `scope`, then the
    confirmed addresses waiting for this lab; each address once, without those who opted out,
    unsubscribed, were invited to this lab already or signed up for it."""
    labs = earlier_labs(event)
    if scope == Scope.LAST:
        labs = labs[: max(1, last)]
    signups = (
        Registration.objects.filter(
            event__in=list(labs.values_list("pk", flat=True)),
            status=Status.CONFIRMED,
            anonymised_at__isnull=True,
        )
        .select_related("organisation")
        .order_by("-event__date", "-created_at")
    )
    if scope == Scope.PICKED:
        signups = signups.filter(organisation__in=list(organisations))
    candidates = [Recipient(r.contact_email, r.contact_name, r.organisation) for r in signups]
    waiting = Subscriber.objects.filter(
        announcement__event=event, confirmed_at__isnull=False
    ).order_by("pk")
    candidates += [Recipient(s.email) for s in waiting]
    return without_refusals(event, candidates)


def without_refusals(event: Event, candidates: list[Recipient]) -> list[Recipient]:
    """Keep the first of each address, minus opted-out, unsubscribed, invited or signed up."""
    addresses = [normalise_address(c.email) for c in candidates]
    refused = suppressed_among(addresses)
    refused |= lower_set(
        Registration.objects.filter(no_invitations=True), "contact_email", addresses
    )
    refused |= lower_set(event.registrations.all(), "contact_email", addresses)
    refused |= lower_set(Invitation.objects.filter(event=event), "email", addresses)
    chosen: dict[str, Recipient] = {}
    for candidate, address in zip(candidates, addresses, strict=True):
        if address and address not in refused:
            chosen.setdefault(address, candidate)
    return list(chosen.values())


def lower_set(queryset: models.QuerySet, field: str, addresses: list[str]) -> set[str]:
    """Return which of `addresses` (lower case) `field` of `queryset` holds, without case."""
    return set(
        queryset.annotate(address=Lower(field))
        .filter(address__in=addresses)
        .values_list("address", flat=True)
    )


def send_invitations(*, event: Event, recipients: list[Recipient]) -> list[Invitation]:
    """Write one invitation per address not invited to this lab yet, and queue its mail."""
    with transaction.atomic():
        lock_event(event.pk)  # two runs at once: the second sees the first one's rows
        recipients = without_refusals(event, recipients)
        invitations = Invitation.objects.bulk_create(
            Invitation(
                event=event,
                email=r.email.strip(),
                name=r.name,
                organisation=r.organisation,
            )
            for r in recipients
        )
        mails: list[OutboxMail] = []
        for invitation in invitations:
            mails += new_mails(
                [invitation.email],
                kind=MailKind.INVITATION,
                language=settings.LANGUAGE_CODE,
                params={"invitation": invitation.pk},
            )
        queue(mails)
    return invitations


def forget_invitations_before(cutoff: datetime.date) -> int:
    """Delete the invitations to labs before `cutoff` and empty their mails' addresses."""
    with transaction.atomic():
        old = Invitation.objects.filter(event__date__lt=cutoff)
        ids = list(old.values_list("pk", flat=True))
        OutboxMail.objects.filter(kind=MailKind.INVITATION, params__invitation__in=ids).update(
            recipient=""
        )
        count, _ = old.delete()
    return count


def forget_addresses(addresses: Iterable[str]) -> None:
    """Delete the notify-me rows and invitations of erased addresses; empty their mails."""
    wanted = [normalise_address(a) for a in addresses if a]
    invitations = Invitation.objects.annotate(address=Lower("email")).filter(address__in=wanted)
    ids = list(invitations.values_list("pk", flat=True))
    OutboxMail.objects.filter(kind=MailKind.INVITATION, params__invitation__in=ids).update(
        recipient=""
    )
    invitations.delete()
    Subscriber.objects.annotate(address=Lower("email")).filter(address__in=wanted).delete()

"""What worked, per lab: invitations sent, sign-ups that came from one, and attendance.

A sign-up counts as coming from an invitation when its contact person's address, or its
organisation, was invited to that lab before it signed up. Attendance is who was checked in
(`Attendee.checked_in_at`), out of the confirmed board members. For the event overview and the
dashboard (`templates/admin/registrations/dashboard/_invitations.html`).
"""

from collections.abc import Sequence
from dataclasses import dataclass

from django.db.models import Count, Exists, OuterRef, Q
from django.db.models.functions import Lower

from registrations.models import Attendee, Invitation, Registration, Status
from sessions.models import Event


@dataclass(frozen=True)
class LabResult:
    event: Event
    invited: int  # invitations sent (one per address)
    signups_from_invitation: int  # sign-ups by an invited address or organisation
    organisations_from_invitation: int
    confirmed: int  # board members confirmed
    checked_in: int  # of them, checked in at the desk


def lab_results(events: Sequence[Event]) -> list[LabResult]:
    """Return the figures of each lab, in the order given, in three queries whatever the count."""
    ids = [event.pk for event in events]
    invited = dict(
        Invitation.objects.filter(event__in=ids)
        .values("event_id")
        .annotate(count=Count("pk"))
        .values_list("event_id", "count")
    )
    # An invitation to the sign-up's lab, before it, to its contact's address or organisation.
    invitation_before = (
        Invitation.objects.annotate(email_lower=Lower("email"))
        .filter(event_id=OuterRef("event_id"), created_at__lte=OuterRef("created_at"))
        .filter(
            Q(email_lower=Lower(OuterRef("contact_email")))
            | Q(organisation_id=OuterRef("organisation_id"))
        )
    )
    from_invitation = {
        row["event_id"]: row
        for row in Registration.objects.filter(event__in=ids)
        .exclude(status=Status.CANCELLED)
        .filter(Exists(invitation_before))
        .values("event_id")
        .annotate(signups=Count("pk"), organisations=Count("organisation_id", distinct=True))
    }
    presence = {
        row["event_id"]: row
        for row in Attendee.objects.filter(event__in=ids, status=Status.CONFIRMED)
        .values("event_id")
        .annotate(
            confirmed=Count("pk"), checked_in=Count("pk", filter=Q(checked_in_at__isnull=False))
        )
    }
    return [
        LabResult(
            event=event,
            invited=invited.get(event.pk, 0),
            signups_from_invitation=from_invitation.get(event.pk, {}).get("signups", 0),
            organisations_from_invitation=from_invitation.get(event.pk, {}).get("organisations", 0),
            confirmed=presence.get(event.pk, {}).get("confirmed", 0),
            checked_in=presence.get(event.pk, {}).get("checked_in", 0),
        )
        for event in events
    ]


def recent_lab_results(count: int = 5) -> list[LabResult]:
    """Return the figures of the latest `count` published labs, newest first (the dashboard)."""
    return lab_results(list(Event.objects.published().order_by("-date", "-pk")[:count]))

"""What worked, per lab: invitations sent, sign-ups that came from one, and attendance.

A sign-up counts as coming from an invitation when its contact person's address, or its
organisation, was invited to that lab before it signed up. Attendance is who was checked in
(`Attendee.checked_in_at`), out of the confirmed board members. For the event overview and the
dashboard (`templates/admin/registrations/dashboard/_invitations.html`).
"""

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

from django.db.models import Count, Q

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
    invitations = defaultdict(list)
    for event_id, email, organisation_id, created_at in Invitation.objects.filter(
        event__in=ids
    ).values_list("event_id", "email", "organisation_id", "created_at"):
        invitations[event_id].append((email.lower(), organisation_id, created_at))
    from_invitation = defaultdict(set)
    for pk, event_id, email, organisation_id, created_at in (
        Registration.objects.filter(event__in=ids)
        .exclude(status=Status.CANCELLED)
        .values_list("pk", "event_id", "contact_email", "organisation_id", "created_at")
    ):
        for invited_email, invited_organisation, invited_at in invitations[event_id]:
            if invited_at <= created_at and (
                invited_email == email.lower() or invited_organisation == organisation_id
            ):
                from_invitation[event_id].add((pk, organisation_id))
                break
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
            invited=len(invitations[event.pk]),
            signups_from_invitation=len(from_invitation[event.pk]),
            organisations_from_invitation=len({org for _pk, org in from_invitation[event.pk]}),
            confirmed=presence.get(event.pk, {}).get("confirmed", 0),
            checked_in=presence.get(event.pk, {}).get("checked_in", 0),
        )
        for event in events
    ]


def recent_lab_results(count: int = 5) -> list[LabResult]:
    """Return the figures of the latest `count` published labs, newest first (the dashboard)."""
    return lab_results(list(Event.objects.published().order_by("-date", "-pk")[:count]))

"""Who a mail about a sign-up is for, and which manage link it may carry.

The contact person manages the whole group: their mail carries the group's link and shows
the money. A board member with an own address, used by nobody else in the sign-up, gets a
link that manages only themselves, and no money. An address several members share (and the
contact does not use) gets one mail for all of them, without a link: changes go through the
contact person. Members without an address hear everything through the contact person.
"""

from collections.abc import Iterable
from dataclasses import dataclass, field

from django.conf import settings

from registrations.models import Attendee, EvaluationResponse, Registration, Status

COMING = (Status.CONFIRMED, Status.WAITING)


@dataclass(frozen=True)
class Audience:
    """The reader(s) at one address: the contact person, one member, or members sharing it."""

    kind: str  # "contact", "member" or "shared"
    names: list[str]
    members: list[Attendee] = field(default_factory=list)  # the members at this address
    manage_url: str = ""  # empty: no link for this address

    @property
    def shows_money(self) -> bool:
        return self.kind == "contact"

    @property
    def all_waiting(self) -> bool:
        """Whether everyone this mail is about waits for a place."""
        return bool(self.members) and all(m.status == Status.WAITING for m in self.members)


def same(first: str, second: str) -> bool:
    return first.strip().lower() == second.strip().lower()


def person_addresses(
    registration: Registration,
    *,
    statuses: Iterable[str] = COMING,
    members: Iterable[Attendee] | None = None,
) -> list[str]:
    """Return who hears about a sign-up: the contact person, then each member still coming
    (with `statuses`: only members in those) who has an address; each address once.

    `members`: the sign-up's members in the order written, when the caller has them.
    """
    statuses = list(statuses)
    if members is None:
        emails = registration.attendees.filter(status__in=statuses).order_by("pk")
        emails = emails.values_list("email", flat=True)
    else:
        emails = [member.email for member in members if member.status in statuses]
    addresses = [registration.contact_email]
    for email in emails:
        if email and not any(same(email, known) for known in addresses):
            addresses.append(email)
    return addresses


def members_at(registration: Registration, address: str) -> list[Attendee]:
    """Return the sign-up's members who use `address`: those still coming, else (a mail about
    their own cancellation) the cancelled ones."""
    people = [a for a in registration.attendees.all() if a.email and same(a.email, address)]
    coming = [a for a in people if a.status != Status.CANCELLED]
    return coming or people


def audience(registration: Registration, address: str) -> Audience:
    """Return who reads a mail to `address` about the sign-up, and what it may carry."""
    if same(address, registration.contact_email):
        return Audience(
            "contact",
            [registration.contact_name],
            manage_url=settings.SITE_URL + registration.get_absolute_url(),
        )
    members = members_at(registration, address)
    if len(members) == 1:
        (member,) = members
        return Audience(
            "member",
            [member.name],
            members,
            manage_url=settings.SITE_URL + member.get_absolute_url(),
        )
    return Audience("shared", [m.name for m in members] or [registration.contact_name], members)


def has_own_address(attendee: Attendee, registration: Registration) -> bool:
    """Tell whether the member's address is theirs alone in the sign-up (then they get a link
    of their own)."""
    if not attendee.email or same(attendee.email, registration.contact_email):
        return False
    return audience(registration, attendee.email).kind == "member"


def evaluation_address(attendee: Attendee, registration: Registration) -> str:
    """Return where a member's evaluation link goes: their own address, else the contact
    person's (who passes it on; one mail carries the links of everyone they reach)."""
    return attendee.email if has_own_address(attendee, registration) else registration.contact_email


def evaluation_links(registration: Registration, address: str) -> list[tuple[str, str]]:
    """Return (name, link) for each evaluation link a mail to `address` carries."""
    links = {
        response.attendee_id: response
        for response in EvaluationResponse.objects.filter(attendee__registration=registration)
    }
    return [
        (member.name, settings.SITE_URL + links[member.pk].get_absolute_url())
        for member in registration.attendees.all()
        if member.pk in links and same(evaluation_address(member, registration), address)
    ]

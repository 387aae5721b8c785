"""What the plain HTML sign-up form posts, and where, for every test module that signs up.

`signup_data` is the form's POST body; `members_of` makes the (name, e-mail, session) rows
that both it and the `sign_up` fixture (tests/conftest.py) take; `event_url` and `signup_url`
are the public pages a visitor signs up from.
"""

from django.urls import reverse

from registrations.models import Attendee, Organisation, Registration


def event_url(event) -> str:
    """Return the address of the event's public page."""
    return reverse("registrations:event_detail", args=[event.slug])


def signup_url(event) -> str:
    """Return the address of the event's sign-up form."""
    return reverse("registrations:signup", args=[event.slug])


def members_of(event, count, *, prefix="lid", diets=()):
    """Return `count` board members, each in the next session of the event.

    Rows are (name, e-mail, session); with `diets`, each row also carries the dietary wishes
    at its place in `diets` (empty when `diets` runs out).
    """
    sessions = list(event.sessions.all())
    members = []
    for n in range(count):
        member = (
            f"Bestuurslid {prefix} {n}",
            f"{prefix}{n}@example.org",
            sessions[n % len(sessions)],
        )
        if diets:
            member += (diets[n] if n < len(diets) else "",)
        members.append(member)
    return members


def signup_data(members, *, total_forms=3, **fields):
    """Return the POST body of the sign-up form: `members` are (name, e-mail, session) rows.

    Rows after the filled ones are sent as empty strings, as a browser without JavaScript does.
    Any keyword overrides a field, e.g. `organisation_name=...` or `contact_email=...`.
    """
    data = {
        "organisation_name": "Huurdersvereniging De Linde",
        "contact_name": "Karin Voorbeeld",
        "contact_email": "karin@example.org",
        "contact_phone": "",
        "remarks": "",
        "consent": "on",
        "members-TOTAL_FORMS": str(total_forms),
        "members-INITIAL_FORMS": "0",
        "members-MIN_NUM_FORMS": "1",
        "members-MAX_NUM_FORMS": "3",
    }
    for index in range(total_forms):
        name, email, session = members[index] if index < len(members) else ("", "", "")
        data |= {
            f"members-{index}-name": name,
            f"members-{index}-email": email,
            f"members-{index}-session": str(getattr(session, "pk", session)),
            f"members-{index}-dietary_wishes": "",
        }
    return data | fields


def row_counts() -> tuple[int, int, int]:
    """Return how many registrations, attendees and organisations the database holds."""
    return (Registration.objects.count(), Attendee.objects.count(), Organisation.objects.count())

"""What the plain HTML sign-up form posts, for every test module that signs up through it."""

from registrations.models import Attendee, Organisation, Registration


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

"""Who comes: organisations, their sign-ups (registrations) and the board members attending.

One module per concern; every model is importable from `registrations.models`.
"""

from registrations.models.organisations import Invoice, Organisation, normalise_name
from registrations.models.signups import (
    LOOKUP_LENGTH,
    Attendee,
    AttendeeQuerySet,
    Registration,
    Status,
    new_lookup,
    new_secret,
)

__all__ = [
    "LOOKUP_LENGTH",
    "Attendee",
    "AttendeeQuerySet",
    "Invoice",
    "Organisation",
    "Registration",
    "Status",
    "new_lookup",
    "new_secret",
    "normalise_name",
]

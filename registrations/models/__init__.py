"""Who comes: organisations, their sign-ups (registrations), the board members attending, and
the mails about them (the outbox), and the invoices and payments.

One module per concern; every model is importable from `registrations.models`.
"""

from registrations.models.billing import (
    DocumentKind,
    InvoiceDocument,
    InvoiceNumberSequence,
    Payment,
)
from registrations.models.mail import MailKind, MailStatus, OutboxMail, OutboxMailQuerySet
from registrations.models.names import normalise_name, person_key
from registrations.models.organisations import Invoice, Organisation, OrganisationQuerySet
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
    "DocumentKind",
    "Invoice",
    "InvoiceDocument",
    "InvoiceNumberSequence",
    "MailKind",
    "MailStatus",
    "Organisation",
    "OrganisationQuerySet",
    "OutboxMail",
    "OutboxMailQuerySet",
    "Payment",
    "Registration",
    "Status",
    "new_lookup",
    "new_secret",
    "normalise_name",
    "person_key",
]

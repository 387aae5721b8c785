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
from registrations.models.campaigns import (
    Invitation,
    Mailing,
    MailingAudience,
    Subscriber,
    Suppression,
    address_hash,
    normalise_address,
)
from registrations.models.evaluation import (
    Evaluation,
    EvaluationAnswer,
    EvaluationQuestion,
    EvaluationResponse,
    QuestionKind,
)
from registrations.models.mail import (
    CAMPAIGN_KINDS,
    MailKind,
    MailStatus,
    OutboxMail,
    OutboxMailQuerySet,
)
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
    "CAMPAIGN_KINDS",
    "LOOKUP_LENGTH",
    "Attendee",
    "AttendeeQuerySet",
    "DocumentKind",
    "Evaluation",
    "EvaluationAnswer",
    "EvaluationQuestion",
    "EvaluationResponse",
    "Invitation",
    "Invoice",
    "InvoiceDocument",
    "InvoiceNumberSequence",
    "MailKind",
    "MailStatus",
    "Mailing",
    "MailingAudience",
    "Organisation",
    "OrganisationQuerySet",
    "OutboxMail",
    "OutboxMailQuerySet",
    "Payment",
    "QuestionKind",
    "Registration",
    "Status",
    "Subscriber",
    "Suppression",
    "address_hash",
    "new_lookup",
    "new_secret",
    "normalise_address",
    "normalise_name",
    "person_key",
]

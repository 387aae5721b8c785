"""The back office: one module per model admin; importing them registers them."""

from registrations.admin import (
    attendees,
    campaigns,
    evaluation,
    events,
    invoices,
    mail,
    organisations,
    registrations,
)

__all__ = [
    "attendees",
    "campaigns",
    "evaluation",
    "events",
    "invoices",
    "mail",
    "organisations",
    "registrations",
]

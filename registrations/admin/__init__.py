"""The back office: one module per model admin; importing them registers them."""

from registrations.admin import (
    attendees,
    campaigns,
    events,
    invoices,
    mail,
    organisations,
    registrations,
)

__all__ = ["attendees", "campaigns", "events", "invoices", "mail", "organisations", "registrations"]

"""The back office: one module per model admin; importing them registers them."""

from registrations.admin import attendees, events, invoices, organisations, registrations

__all__ = ["attendees", "events", "invoices", "organisations", "registrations"]

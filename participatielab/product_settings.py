"""The product's own settings, read from the environment like the rest (`settings.py` takes
them all): abuse limits, sign-ups, privacy and retention, reminders, invoices, the demo."""

import os

from participatielab.env import env_bool

# ABUSE LIMITS
# ------------------------------------------------------------------------------
# The client address is REMOTE_ADDR, or the last address in CLIENT_IP_HEADER (e.g.
# HTTP_X_FORWARDED_FOR) when a trusted proxy sets it. Behind a proxy it must be set, else every
# visitor has the proxy's address and they all share one count.
CLIENT_IP_HEADER = os.environ.get("CLIENT_IP_HEADER", "")
# The POSTs under a manage link: the contact person's for the group and a member's own (one
# counter per link for all of them).
MANAGE_LINK_VIEWS = [
    "registrations:add_colleague",
    "registrations:change_session",
    "registrations:cancel_attendee",
    "registrations:cancel_all",
    "registrations:member_change_session",
    "registrations:member_cancel",
]
# POSTs allowed per window, "count/seconds", counted per client address ("address") or per
# URL argument (e.g. "token": one manage link). Beyond it a friendly 429. Counts are kept in
# the "limits" cache below, shared by all workers.
RATE_LIMITS = {
    "signup": {
        "views": ["registrations:signup"],
        "per": "address",
        "rate": os.environ.get("SIGNUP_RATE_LIMIT", "20/3600"),
    },
    "notify": {
        "views": ["registrations:announcement", "registrations:notify_confirm"],
        "per": "address",
        "rate": os.environ.get("NOTIFY_RATE_LIMIT", "10/3600"),
    },
    "unsubscribe": {
        "views": ["registrations:unsubscribe"],
        "per": "address",
        "rate": os.environ.get("UNSUBSCRIBE_RATE_LIMIT", "30/3600"),
    },
    "login": {
        "views": ["admin:login"],
        "per": "address",
        "rate": os.environ.get("LOGIN_RATE_LIMIT", "10/900"),
    },
    "manage-link": {
        "views": MANAGE_LINK_VIEWS,
        "per": "token",
        "rate": os.environ.get("MANAGE_LINK_RATE_LIMIT", "10/3600"),
    },
    "manage-address": {
        "views": MANAGE_LINK_VIEWS,
        "per": "address",
        "rate": os.environ.get("MANAGE_ADDRESS_RATE_LIMIT", "30/3600"),
    },
    # Answers sent through one evaluation link, as many as changes through a manage link.
    "evaluation-link": {
        "views": ["registrations:evaluation"],
        "per": "token",
        "rate": os.environ.get("MANAGE_LINK_RATE_LIMIT", "10/3600"),
    },
}
# A sign-up sent sooner than this after the form was shown is refused (bots are fast); each
# form may be sent once. 0 switches both guards off (the tests and the benchmark do).
SIGNUP_MIN_SECONDS = int(os.environ.get("SIGNUP_MIN_SECONDS", "3"))

# REGISTRATIONS
# ------------------------------------------------------------------------------
# How long a sign-up waits for another one holding the event's lock before it gives up.
REGISTRATION_LOCK_TIMEOUT_MS = int(os.environ.get("REGISTRATION_LOCK_TIMEOUT_MS", "5000"))
# The version of the privacy statement people agree to; stored with each consent.
PRIVACY_STATEMENT_VERSION = os.environ.get("PRIVACY_STATEMENT_VERSION", "2026-11")
# Personal data of events older than this many months is anonymised by
# `manage.py anonymise_old_events` (counts, organisations and amounts stay).
PRIVACY_RETENTION_MONTHS = int(os.environ.get("PRIVACY_RETENTION_MONTHS", "12"))
# How many days before an event `send_reminders` mails the attendees.
REMINDER_DAYS_BEFORE = int(os.environ.get("REMINDER_DAYS_BEFORE", "3"))

# INVOICES AND PAYMENTS
# ------------------------------------------------------------------------------
# Who sends the invoices: printed at the top and bottom of every invoice PDF.
INVOICE_SENDER = {
    "name": os.environ.get("INVOICE_SENDER_NAME", "Atrivé"),
    "address": os.environ.get(
        "INVOICE_SENDER_ADDRESS", "Postbus 1234\\n3430 AA Nieuwegein"
    ).replace("\\n", "\n"),
    "email": os.environ.get("INVOICE_SENDER_EMAIL", "administratie@example.org"),
    "chamber_of_commerce": os.environ.get("INVOICE_SENDER_KVK", "12345678"),
    "vat_number": os.environ.get("INVOICE_SENDER_VAT_NUMBER", "NL000000000B01"),
    "iban": os.environ.get("INVOICE_SENDER_IBAN", "NL00BANK0123456789"),
}
# The VAT rate in percent included in the amounts; 0 prints INVOICE_VAT_EXEMPTION instead.
INVOICE_VAT_RATE = os.environ.get("INVOICE_VAT_RATE", "0")
INVOICE_VAT_EXEMPTION = os.environ.get(
    "INVOICE_VAT_EXEMPTION",
    "Vrijgesteld van btw (artikel 11, lid 1, onder o, Wet op de omzetbelasting 1968).",
)
# Days to pay after an invoice's date; a payment reminder goes out after this term, the next
# one PAYMENT_REMINDER_INTERVAL_DAYS later, up to PAYMENT_REMINDER_LEVELS reminders.
INVOICE_PAYMENT_TERM_DAYS = int(os.environ.get("INVOICE_PAYMENT_TERM_DAYS", "30"))
PAYMENT_REMINDER_INTERVAL_DAYS = int(os.environ.get("PAYMENT_REMINDER_INTERVAL_DAYS", "14"))
PAYMENT_REMINDER_LEVELS = int(os.environ.get("PAYMENT_REMINDER_LEVELS", "2"))

# The demo login `seed_demo` creates has a published password: only with DEBUG on, and only on
# SQLite unless this says a development PostgreSQL may have it too.
ALLOW_DEMO_LOGIN = env_bool("ALLOW_DEMO_LOGIN", default=False)

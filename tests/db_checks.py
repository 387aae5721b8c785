"""Helpers for checking that a refused or failed write left the database as it was."""

from django.apps import apps

from registrations.models import Attendee, Invoice, Organisation, Registration


def db_state() -> dict[str, list[tuple]]:
    """Return every row the write paths touch, to compare before and after a failure."""
    return {
        "organisations": list(Organisation.objects.order_by("pk").values_list("pk", "name")),
        "invoices": list(
            Invoice.objects.order_by("pk").values_list(
                "pk", "organisation_id", "attendee_count", "amount_due", "amount_paid"
            )
        ),
        "registrations": list(
            Registration.objects.order_by("pk").values_list(
                "pk", "status", "organisation_id", "invoice_id", "contact_name", "contact_email"
            )
        ),
        "attendees": list(
            Attendee.objects.order_by("pk").values_list(
                "pk", "registration_id", "status", "session_id", "name", "email", "dietary_wishes"
            )
        ),
    }


class InjectedFailure(RuntimeError):
    """The failure the "fails halfway" tests inject in the middle of a write."""


def fail_after(monkeypatch, target, name, *, seen: list) -> None:
    """Replace `target.name` by a function that records what was written so far, then fails.

    Patch the name in the module that calls it (e.g. `registrations.signup`, which imported
    `recompute_invoice`), so the write really is cut off halfway; the test then checks `seen`.
    """

    def failing(*args, **kwargs):
        seen.append(db_state())
        raise InjectedFailure(f"{name} failed")

    monkeypatch.setattr(target, name, failing)


def every_row() -> dict[str, list[dict]]:
    """Return every row of every model, whatever app holds it (mail outboxes and task queues
    included), leaving out the event's `version`: taking the event's lock raises it."""
    return {
        model._meta.label: [
            {name: value for name, value in row.items() if name != "version"}
            for row in model._default_manager.order_by("pk").values()
        ]
        for model in apps.get_models()
    }

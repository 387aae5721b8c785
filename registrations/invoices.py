"""What each organisation owes for an event, and what it has paid.

An organisation has one invoice per event. Its amount is the group price of all its
confirmed board members at that event, however many sign-ups they used; every writer that
changes who attends calls `recompute_invoice` under the event's lock.
"""

import datetime
from collections.abc import Sequence
from decimal import Decimal

from django.db import transaction
from django.db.models import Count, Q, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from registrations.models import Attendee, Invoice, Organisation
from registrations.pricing import ZERO, group_price, organisation_amount_due
from sessions.models import Event


def invoice_for(*, event: Event, organisation: Organisation) -> Invoice:
    """Return the organisation's invoice for the event, made when it has none yet.

    The caller holds the event's lock, so two writers cannot both make one.
    """
    return Invoice.objects.filter(
        event=event, organisation=organisation
    ).first() or Invoice.objects.create(event=event, organisation=organisation)


def recompute_invoice(invoice: Invoice) -> Invoice:
    """Recount the organisation's attending board members at the event and reprice them."""
    attending_per_signup = list(
        Attendee.objects.confirmed()
        .filter(registration__invoice=invoice)
        .values("registration")
        .annotate(count=Count("pk"))
        .values_list("count", flat=True)
    )
    invoice.attendee_count = sum(attending_per_signup)
    invoice.amount_due = organisation_amount_due(
        tiers=invoice.event.price_tiers_map(), attending_per_signup=attending_per_signup
    )
    invoice.save(update_fields=["attendee_count", "amount_due", "updated_at"])
    return invoice


def amount_without(invoice: Invoice, *, leaving: int) -> Decimal:
    """Return what the organisation would owe with `leaving` fewer confirmed board members,
    to say so before someone cancels."""
    return group_price(
        tiers=invoice.event.price_tiers_map(), size=max(invoice.attendee_count - leaving, 0)
    )


def mark_invoices_paid(*, invoices: Sequence[Invoice], now: datetime.datetime | None = None) -> int:
    """Record the invoices as paid in full at their current amount; return how many changed."""
    now = now or timezone.now()
    changed = 0
    with transaction.atomic():
        for invoice in Invoice.objects.select_for_update().filter(
            pk__in=[invoice.pk for invoice in invoices]
        ):
            if invoice.paid_at is not None and invoice.balance == 0:
                continue
            invoice.amount_paid = invoice.amount_due
            invoice.paid_at = now
            invoice.save(update_fields=["amount_paid", "paid_at", "updated_at"])
            changed += 1
    return changed


def payment_status(
    *, amount_due: Decimal, amount_paid: Decimal, paid_at: datetime.datetime | None
) -> str:
    """Return how an invoice stands, in words staff use ("open", "betaald", ...)."""
    if amount_due == 0 and amount_paid == 0:
        return _("niets te betalen")
    if paid_at is None:
        return _("open")
    if amount_due == amount_paid:
        return _("betaald")
    if amount_due > amount_paid:
        return _("betaald, nog niet alles")
    return _("te veel betaald")


def invoice_status(invoice: Invoice) -> str:
    """Return how this invoice stands, in words staff use."""
    return payment_status(
        amount_due=invoice.amount_due, amount_paid=invoice.amount_paid, paid_at=invoice.paid_at
    )


def money_totals(event: Event) -> dict:
    """Return what an event's organisations owe, have paid and still owe, and how many pay."""
    totals = Invoice.objects.filter(event=event).aggregate(
        organisations=Count("pk", filter=Q(attendee_count__gt=0)),
        due=Sum("amount_due", default=ZERO),
        paid=Sum("amount_paid", default=ZERO),
    )
    totals["open"] = totals["due"] - totals["paid"]
    return totals

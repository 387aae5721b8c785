"""What each organisation owes for an event, and what it has paid.

An organisation has one account (`Invoice`) per event. Its amount is the group price of all its
confirmed board members at that event, however many sign-ups they used; every writer that
changes who attends calls `recompute_invoice` under the event's lock. Payments are rows
(`record_payment`); the numbered documents sent are made by `registrations.issuing`.
"""

import datetime
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from decimal import Decimal

from django.db.models import Count, Max, Q, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from registrations.errors import RegistrationError
from registrations.locking import lock_event_then_row
from registrations.models import Attendee, Invoice, InvoiceDocument, Organisation, Payment
from registrations.pricing import ZERO, group_price, money, organisation_amount_due
from registrations.text import single_line
from sessions.models import Event


def invoice_for(*, event: Event, organisation: Organisation) -> Invoice:
    """Return the organisation's invoice for the event, made when it has none yet.

    The caller holds the event's lock, so two writers cannot both make one.
    """
    return Invoice.objects.filter(
        event=event, organisation=organisation
    ).first() or Invoice.objects.create(event=event, organisation=organisation)


def invoice_for_signup(
    *,
    event: Event,
    organisation: Organisation,
    known_new: bool,
    details: "InvoiceDetails",
    confirmed: int,
) -> tuple[Invoice, bool]:
    """Return the organisation's invoice for the event with a sign-up's invoice details, and
    whether it is priced already.

    The organisation's first sign-up for the lab (always so for a `known_new` organisation)
    writes its invoice once, priced for the `confirmed` members it brings. An existing invoice
    gets the details; the caller recomputes it once the members are written. The caller holds
    the event's lock.
    """
    if not known_new:
        invoice = Invoice.objects.filter(event=event, organisation=organisation).first()
        if invoice is not None:
            invoice.event = event  # the locked one, with its price tiers when read already
            set_invoice_details(invoice, **asdict(details))
            return invoice, False
    invoice = Invoice(
        event=event,
        organisation=organisation,
        **cleaned_details(**asdict(details)),
        attendee_count=confirmed,
        amount_due=organisation_amount_due(
            tiers=event.price_tiers_map(), attending_per_signup=[confirmed]
        ),
    )
    invoice.save()
    return invoice, True


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


@dataclass(frozen=True)
class InvoiceDetails:
    """The invoice details a sign-up form gives: all optional."""

    attention: str = ""
    address: str = ""
    customer_reference: str = ""


def set_invoice_details(
    invoice: Invoice, *, attention: str = "", address: str = "", customer_reference: str = ""
) -> None:
    """Store the invoice details a sign-up gave; a field left empty keeps what was there.

    The caller holds the event's lock (a sign-up writes them with the rest).
    """
    given = cleaned_details(
        attention=attention, address=address, customer_reference=customer_reference
    )
    changed = [name for name, value in given.items() if value and value != getattr(invoice, name)]
    for name in changed:
        setattr(invoice, name, given[name])
    if changed:
        invoice.save(update_fields=[*changed, "updated_at"])


def cleaned_details(*, attention: str, address: str, customer_reference: str) -> dict[str, str]:
    """Return invoice details as stored: one-line fields on one line, the address trimmed."""
    return {
        "attention": single_line(attention),
        "address": address.strip(),
        "customer_reference": single_line(customer_reference),
    }


def record_payment(
    *,
    invoice: Invoice,
    amount: Decimal,
    paid_on: datetime.date,
    note: str = "",
    recorded_by=None,
) -> Payment:
    """Record money received on the account (a part or the whole) and recount what is paid."""
    if amount <= 0:
        raise RegistrationError(
            _("Een betaling is een bedrag groter dan nul."), code="amount", field="amount"
        )
    with lock_event_then_row(invoice, check_deadline=False) as (_event, invoice):
        return add_payment(invoice, amount, paid_on=paid_on, note=note, recorded_by=recorded_by)


def add_payment(
    invoice: Invoice, amount: Decimal, *, paid_on: datetime.date, note: str, recorded_by
) -> Payment:
    """Write a payment on a locked account and recount it."""
    payment = Payment.objects.create(
        account=invoice,
        amount=money(amount),
        paid_on=paid_on,
        note=single_line(note),
        recorded_by=recorded_by,
    )
    recount_payments(invoice)
    return payment


def recount_payments(invoice: Invoice) -> Invoice:
    """Set the account's paid amount to the sum of its payments, and when it was last paid."""
    totals = invoice.payments.aggregate(paid=Sum("amount", default=ZERO), last=Max("created_at"))
    invoice.amount_paid = totals["paid"]
    invoice.paid_at = totals["last"]
    invoice.save(update_fields=["amount_paid", "paid_at", "updated_at"])
    return invoice


def mark_invoices_paid(
    *, invoices: Sequence[Invoice], recorded_by=None, today: datetime.date | None = None
) -> int:
    """Record a payment of the open amount on each account that has one; return how many."""
    today = today or timezone.localdate()
    changed = 0
    for invoice in invoices:
        with lock_event_then_row(invoice, check_deadline=False) as (_event, fresh):
            if fresh.balance <= 0:
                continue
            add_payment(
                fresh,
                fresh.balance,
                paid_on=today,
                note=_("als betaald gemarkeerd"),
                recorded_by=recorded_by,
            )
            changed += 1
    return changed


def payment_status(*, amount_due: Decimal, amount_paid: Decimal) -> str:
    """Return how an account stands, in the words staff use ("open", "betaald", ...)."""
    if amount_due == 0 and amount_paid == 0:
        return _("niets te betalen")
    if amount_paid == 0:
        return _("open")
    if amount_due == amount_paid:
        return _("betaald")
    if amount_due > amount_paid:
        return _("deels betaald")
    return _("te veel betaald")


def invoice_status(invoice: Invoice) -> str:
    """Return how this account stands, in words staff use."""
    return payment_status(amount_due=invoice.amount_due, amount_paid=invoice.amount_paid)


def invoiced_amount(account: Invoice) -> Decimal:
    """Return what the account's documents add up to (credit notes count negative)."""
    return account.documents.aggregate(total=Sum("amount", default=ZERO))["total"]


def open_on_invoices(account: Invoice) -> Decimal:
    """Return what is still to be paid of what was invoiced (a change not yet invoiced is
    not reminded of)."""
    return min(account.balance, invoiced_amount(account) - account.amount_paid)


def money_totals(event: Event) -> dict:
    """Return what an event's organisations owe, have paid and still owe, how many pay, and
    what the documents sent add up to (`invoiced`)."""
    totals = Invoice.objects.filter(event=event).aggregate(
        organisations=Count("pk", filter=Q(attendee_count__gt=0)),
        due=Sum("amount_due", default=ZERO),
        paid=Sum("amount_paid", default=ZERO),
    )
    totals["open"] = totals["due"] - totals["paid"]
    totals["invoiced"] = InvoiceDocument.objects.filter(account__event=event).aggregate(
        total=Sum("amount", default=ZERO)
    )["total"]
    return totals

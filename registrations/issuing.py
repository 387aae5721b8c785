"""Issuing invoices: numbered documents that settle what each organisation owes.

`issue_invoices(event=...)` is the one action staff take, as often as they like: for every
account of the event it compares what the documents sent add up to with what is owed now and
settles the difference with one new document: an invoice (nothing sent yet), an additional
invoice (more is owed) or a credit note (less is owed). A document once issued never
changes. After organisations were merged, the account's documents are credited in full and
one new invoice is issued for the whole amount.

Numbers come from one sequence per year ("2026-0001"): the year's row is locked while a
number is taken and stays locked until the issuing transaction commits, so two runs at once
never take the same number, and a run that fails rolls its numbers back with its documents:
no number repeats or is skipped.
"""

import datetime
from collections.abc import Iterable
from decimal import Decimal

from django.conf import settings
from django.db import OperationalError, transaction
from django.db.models import Count, F, Max, OuterRef, Q, Subquery, Sum
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.text import get_text_list
from django.utils.translation import gettext as _
from django.utils.translation import ngettext, override

from registrations.errors import RegistrationError
from registrations.invoices import invoiced_amount
from registrations.locking import lock_event
from registrations.models import (
    Attendee,
    DocumentKind,
    Invoice,
    InvoiceDocument,
    InvoiceNumberSequence,
    MailKind,
    Registration,
    Status,
)
from registrations.outbox import new_mails, queue
from registrations.pricing import ZERO
from registrations.templatetags.money import euro
from sessions.models import Event


def issue_invoices(
    *, event: Event, issued_by=None, today: datetime.date | None = None
) -> list[InvoiceDocument]:
    """Settle every account of the event with a new document where needed; mail each one.

    Returns the documents issued (none when everything was settled already).
    """
    today = today or timezone.localdate()
    try:
        with transaction.atomic():
            event = lock_event(event.pk)
            documents = []
            for account in accounts_to_settle(event):
                documents += settle_account(account, today=today, issued_by=issued_by)
            for document in documents:
                queue_document_mail(document)
    except OperationalError as error:  # the lock timeout ran out
        raise RegistrationError(
            _("Het is op dit moment erg druk. Probeer het over een minuut nog eens."),
            code="busy",
        ) from error
    return documents


def accounts_to_settle(event: Event) -> list[Invoice]:
    """Lock and return the event's accounts, by organisation name."""
    return list(
        Invoice.objects.select_for_update(of=("self",))
        .filter(event=event)
        .select_related("organisation", "event")
        .order_by("organisation__name", "pk")
    )


def what_to_issue(account: Invoice, documents: Iterable[InvoiceDocument]) -> Decimal | None:
    """Return how much the next issue run changes what the account was invoiced, given its
    documents, or None when it would issue nothing (after a merge it credits everything and
    invoices afresh, which may change nothing in total)."""
    invoiced = sum((document.amount for document in documents), start=ZERO)
    if account.amount_due != invoiced or (account.needs_reissue and invoiced != 0):
        return account.amount_due - invoiced
    return None


def settle_account(
    account: Invoice, *, today: datetime.date, issued_by=None
) -> list[InvoiceDocument]:
    """Issue what settles one locked account: nothing, one document, or (after a merge) a
    credit note for everything sent and a new invoice."""
    invoiced = invoiced_amount(account)
    last = account.documents.order_by("-year", "-sequence").first()
    documents = []
    with override(settings.LANGUAGE_CODE):  # the document's words are stored in Dutch
        if account.needs_reissue and invoiced != 0:
            documents.append(
                new_document(
                    account,
                    kind=DocumentKind.CREDIT_NOTE,
                    amount=-invoiced,
                    description=_(
                        "Creditering van alle eerdere facturen (organisaties samengevoegd)"
                    ),
                    corrects=last,
                    today=today,
                    issued_by=issued_by,
                )
            )
            invoiced = ZERO
        difference = account.amount_due - invoiced
        if difference != 0:
            documents.append(
                new_document(
                    account,
                    kind=document_kind(difference=difference, invoiced=invoiced),
                    amount=difference,
                    description=document_description(account, invoiced=invoiced),
                    corrects=last if invoiced != 0 else None,
                    today=today,
                    issued_by=issued_by,
                )
            )
    if account.needs_reissue:
        account.needs_reissue = False
        account.save(update_fields=["needs_reissue", "updated_at"])
    return documents


def document_kind(*, difference: Decimal, invoiced: Decimal) -> DocumentKind:
    if difference < 0:
        return DocumentKind.CREDIT_NOTE
    return DocumentKind.INVOICE if invoiced == 0 else DocumentKind.ADDITIONAL


def document_description(account: Invoice, *, invoiced: Decimal) -> str:
    """Say what the amount is for: the lab, its date and how many board members come."""
    event = account.event
    text = ngettext(
        "Deelname aan %(title)s op %(date)s: %(count)d bestuurslid",
        "Deelname aan %(title)s op %(date)s: %(count)d bestuursleden",
        account.attendee_count,
    ) % {
        "title": event.title,
        "date": date_format(event.date, "j F Y"),
        "count": account.attendee_count,
    }
    if invoiced != 0:
        text += " " + _("(eerder gefactureerd: %(amount)s)") % {"amount": euro(invoiced)}
    return text


def new_document(
    account: Invoice,
    *,
    kind: DocumentKind,
    amount: Decimal,
    description: str,
    corrects: InvoiceDocument | None,
    today: datetime.date,
    issued_by,
) -> InvoiceDocument:
    """Write one numbered document with the account's details as they are now."""
    year, sequence = take_number(today.year)
    names = list(
        Attendee.objects.confirmed()
        .filter(registration__invoice=account)
        .order_by("name")
        .values_list("name", flat=True)
    )
    lines = [{"description": description, "amount": str(amount)}]
    if names and kind != DocumentKind.CREDIT_NOTE:
        lines[0]["detail"] = _("Bestuursleden: %(names)s") % {
            "names": get_text_list(names, _("en"))
        }
    return InvoiceDocument.objects.create(
        account=account,
        number=f"{year}-{sequence:04d}",
        year=year,
        sequence=sequence,
        kind=kind,
        issued_on=today,
        due_on=today + datetime.timedelta(days=settings.INVOICE_PAYMENT_TERM_DAYS),
        amount=amount,
        organisation_name=account.organisation.name,
        attention=account.attention,
        address=account.address,
        customer_reference=account.customer_reference,
        lines=lines,
        corrects=corrects,
        issued_by=issued_by,
    )


def take_number(year: int) -> tuple[int, int]:
    """Take the year's next number; the sequence row stays locked until the caller commits."""
    # Makes the year's row when it is the first number of the year; a run that makes it at
    # the same moment waits for the other's insert and then finds the row.
    InvoiceNumberSequence.objects.bulk_create(
        [InvoiceNumberSequence(year=year)], ignore_conflicts=True
    )
    sequence = InvoiceNumberSequence.objects.select_for_update().get(year=year)
    sequence.last_number += 1
    sequence.save(update_fields=["last_number"])
    return year, sequence.last_number


def billing_contact(account: Invoice) -> Registration | None:
    """Return the sign-up whose contact person gets the account's mail: the first one still
    standing, else the first one. An account left without sign-ups by a merge writes to the
    organisation it was merged into."""
    registrations = account.registrations.order_by("created_at", "pk")
    if not registrations.exists() and account.organisation.merged_into_id is not None:
        registrations = Registration.objects.filter(
            event=account.event_id, organisation=account.organisation.merged_into_id
        ).order_by("created_at", "pk")
    return registrations.exclude(status=Status.CANCELLED).first() or registrations.first()


def queue_document_mail(document: InvoiceDocument) -> None:
    """Queue the mail that carries the document as a PDF, in the caller's transaction."""
    registration = billing_contact(document.account)
    if registration is None or not registration.contact_email:
        return
    queue(
        new_mails(
            [registration.contact_email],
            kind=MailKind.INVOICE,
            registration=registration,
            language=registration.language,
            params={"document": document.pk},
        )
    )


def money_attention(*, today: datetime.date | None = None) -> dict:
    """Return what needs staff's attention about money, for the admin's dashboard.

    `to_issue`: per event, how many organisations have something still to invoice or credit
    (events by date, as dicts with `event` and `count`); `overdue`: how many accounts still
    owe after the term of their last invoice, and `overdue_amount` what they owe together.
    """
    today = today or timezone.localdate()
    documents = InvoiceDocument.objects.filter(account=OuterRef("pk")).values("account")
    accounts = Invoice.objects.annotate(
        invoiced=Coalesce(Subquery(documents.annotate(total=Sum("amount")).values("total")), ZERO),
        last_due=Subquery(
            documents.filter(amount__gt=0).annotate(last=Max("due_on")).values("last")
        ),
    )
    pending = (
        accounts.filter(~Q(amount_due=F("invoiced")) | (Q(needs_reissue=True) & ~Q(invoiced=0)))
        .values("event")
        .annotate(count=Count("pk"))
        .order_by()
    )
    events = Event.objects.in_bulk([row["event"] for row in pending])
    overdue = accounts.filter(amount_due__gt=F("amount_paid"), last_due__lt=today).aggregate(
        count=Count("pk"), amount=Sum(F("amount_due") - F("amount_paid"), default=ZERO)
    )
    return {
        "to_issue": sorted(
            ({"event": events[row["event"]], "count": row["count"]} for row in pending),
            key=lambda row: (row["event"].date, row["event"].pk),
        ),
        "overdue": overdue["count"],
        "overdue_amount": overdue["amount"],
    }

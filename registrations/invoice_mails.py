"""The mails about money: an invoice or credit note with its PDF, and a payment reminder.

`registrations.emails.compose` calls these for the outbox rows of kind `INVOICE` and
`PAYMENT_REMINDER`; they are written for the contact person of the organisation's sign-up.
"""

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.utils.translation import gettext as _

from registrations.invoice_pdf import invoice_pdf, pdf_filename
from registrations.invoices import open_on_invoices
from registrations.models import DocumentKind, InvoiceDocument, OutboxMail, Registration


def invoice_mail(registration: Registration, mail: OutboxMail) -> EmailMultiAlternatives | None:
    """Send an issued document with its PDF attached."""
    document = (
        InvoiceDocument.objects.select_related("account__event")
        .filter(pk=mail.params.get("document"))
        .first()
    )
    if document is None:
        return None
    is_credit = document.kind == DocumentKind.CREDIT_NOTE
    subject = (
        _("Creditnota %(number)s: %(title)s") if is_credit else _("Factuur %(number)s: %(title)s")
    ) % {"number": document.number, "title": document.account.event.title}
    message = money_message(
        registration,
        mail,
        subject,
        {"document": document, "is_credit": is_credit, "sender": settings.INVOICE_SENDER},
    )
    message.attach(pdf_filename(document), invoice_pdf(document), "application/pdf")
    return message


def payment_reminder(registration: Registration, mail: OutboxMail) -> EmailMultiAlternatives | None:
    """Remind the contact person of what is still open, once the payment term has passed."""
    account = registration.invoice
    still_open = open_on_invoices(account)
    if still_open <= 0:
        return None  # paid meanwhile
    documents = list(account.documents.filter(amount__gt=0).order_by("year", "sequence"))
    return money_message(
        registration,
        mail,
        _("Herinnering: betaling voor %(title)s") % {"title": account.event.title},
        {
            "account": account,
            "still_open": still_open,
            "documents": documents,
            "sender": settings.INVOICE_SENDER,
        },
    )


def money_message(
    registration: Registration, mail: OutboxMail, subject: str, context: dict
) -> EmailMultiAlternatives:
    """Return a plain-text mail about money to the contact person."""
    context |= {"registration": registration, "event": registration.event, "kind": mail.kind}
    return EmailMultiAlternatives(
        subject=subject,
        body=render_to_string("emails/money.txt", context),
        to=[mail.recipient],
        reply_to=[settings.INVOICE_SENDER["email"]],
    )

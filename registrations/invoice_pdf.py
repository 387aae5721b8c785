"""The PDF of an invoice document, drawn by WeasyPrint from a Django template.

Everything the PDF shows comes from the document row (copied in when it was issued) and from
the settings (who sends it, VAT), so the same document gives the same invoice every time.
"""

from decimal import Decimal

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import translation
from weasyprint import CSS, HTML

from registrations.models import DocumentKind, InvoiceDocument
from registrations.pricing import money


def vat_part(amount: Decimal) -> Decimal | None:
    """Return the VAT included in an amount at INVOICE_VAT_RATE, or None when exempt."""
    rate = Decimal(settings.INVOICE_VAT_RATE or "0")
    if rate <= 0:
        return None
    return money(amount * rate / (100 + rate))


def document_context(document: InvoiceDocument) -> dict:
    """Return what the invoice template shows."""
    event = document.account.event
    return {
        "document": document,
        "event": event,
        "is_credit": document.kind == DocumentKind.CREDIT_NOTE,
        "lines": [line | {"amount": Decimal(line["amount"])} for line in document.lines],
        "sender": settings.INVOICE_SENDER,
        "vat_rate": Decimal(settings.INVOICE_VAT_RATE or "0"),
        "vat": vat_part(document.amount),
        "vat_exemption": settings.INVOICE_VAT_EXEMPTION,
        "payment_term_days": (document.due_on - document.issued_on).days,
    }


def invoice_pdf(document: InvoiceDocument) -> bytes:
    """Return the document as a PDF, in Dutch."""
    with translation.override(settings.LANGUAGE_CODE):
        html = render_to_string("registrations/invoice/document.html", document_context(document))
        css = render_to_string("registrations/invoice/document.css")
    return HTML(string=html).write_pdf(stylesheets=[CSS(string=css)])


def pdf_filename(document: InvoiceDocument) -> str:
    """Return the file name of a document's PDF, e.g. "factuur-2026-0001.pdf"."""
    prefix = "creditnota" if document.kind == DocumentKind.CREDIT_NOTE else "factuur"
    return f"{prefix}-{document.number}.pdf"

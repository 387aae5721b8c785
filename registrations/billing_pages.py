"""Staff pages about money: issuing an event's invoices, the invoices CSV, a document's PDF,
and recording a payment on an organisation's account.

Each checks `registrations.manage_invoices` (advisers have it). The event pages hook into the
Event admin through `event_invoice_urls()`, the others into the Invoice admin.
"""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import URLPattern, path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_http_methods, require_safe

from registrations.errors import RegistrationError
from registrations.exports import csv_download, flavour_from_request, invoice_rows
from registrations.invoice_pdf import invoice_pdf, pdf_filename
from registrations.invoices import invoice_status, money_totals, record_payment
from registrations.issuing import issue_invoices, what_to_issue
from registrations.models import Invoice, InvoiceDocument
from sessions.models import Event

INVOICE_PERMISSION = "registrations.manage_invoices"


def require_invoice_permission(request: HttpRequest) -> None:
    if not request.user.has_perm(INVOICE_PERMISSION):
        raise PermissionDenied


def event_invoice_urls(admin_site: admin.AdminSite) -> list[URLPattern]:
    """Return the money pages of an event, to put before the Event admin's own URLs."""
    return [
        path(
            "<int:event_id>/facturen/",
            admin_site.admin_view(event_invoices),
            name="theme_sessions_event_invoices",
        ),
        path(
            "<int:event_id>/facturen/export/",
            admin_site.admin_view(export_invoices),
            name="theme_sessions_event_invoice_export",
        ),
    ]


def account_urls(admin_site: admin.AdminSite) -> list[URLPattern]:
    """Return the money pages of one account, to put before the Invoice admin's own URLs."""
    return [
        path(
            "<int:invoice_id>/betaling/",
            admin_site.admin_view(add_payment),
            name="registrations_invoice_payment",
        ),
        path(
            "document/<int:document_id>/pdf/",
            admin_site.admin_view(document_pdf),
            name="registrations_invoice_document_pdf",
        ),
    ]


@require_http_methods(["GET", "HEAD", "POST"])
def event_invoices(request: HttpRequest, event_id: int) -> HttpResponse:
    """Show what each organisation owes and was invoiced; issue what is not yet invoiced."""
    require_invoice_permission(request)
    event = get_object_or_404(Event, pk=event_id)
    if request.method == "POST":
        try:
            documents = issue_invoices(event=event, issued_by=request.user)
        except RegistrationError as error:
            messages.error(request, error.message)
        else:
            if documents:
                messages.success(
                    request,
                    ngettext(
                        "%(count)d document uitgegeven en gemaild: %(numbers)s.",
                        "%(count)d documenten uitgegeven en gemaild: %(numbers)s.",
                        len(documents),
                    )
                    % {
                        "count": len(documents),
                        "numbers": ", ".join(document.number for document in documents),
                    },
                )
            else:
                messages.info(request, _("Alles is al gefactureerd; er is niets uitgegeven."))
        return redirect("admin:theme_sessions_event_invoices", event.pk)
    accounts = list(
        Invoice.objects.filter(event=event)
        .select_related("organisation")
        .prefetch_related("documents")
        .order_by("organisation__name", "pk")
    )
    rows = [
        {
            "account": account,
            "documents": list(account.documents.all()),
            "pending": what_to_issue(account, account.documents.all()),
            "status": invoice_status(account),
        }
        for account in accounts
    ]
    context = {
        **admin.site.each_context(request),
        "title": _("Facturen van %(title)s") % {"title": event},
        "event": event,
        "opts": Event._meta,
        "event_url": reverse("admin:theme_sessions_event_change", args=[event.pk]),
        "rows": rows,
        "to_issue": sum(1 for row in rows if row["pending"] is not None),
        "money": money_totals(event),
    }
    return render(request, "admin/registrations/event/invoices.html", context)


@require_safe
def export_invoices(request: HttpRequest, event_id: int) -> StreamingHttpResponse:
    """Download one row per invoice and credit note of the event, with paid and open."""
    require_invoice_permission(request)
    event = get_object_or_404(Event, pk=event_id)
    flavour = flavour_from_request(request)
    return csv_download(
        invoice_rows(event, flavour=flavour),
        flavour=flavour,
        filename=f"facturen-{event.slug}-{event.date:%Y-%m-%d}-{flavour}",
    )


@require_safe
def document_pdf(request: HttpRequest, document_id: int) -> HttpResponse:
    """Download an issued invoice or credit note as PDF."""
    require_invoice_permission(request)
    document = get_object_or_404(
        InvoiceDocument.objects.select_related("account__event"), pk=document_id
    )
    response = HttpResponse(invoice_pdf(document), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{pdf_filename(document)}"'
    return response


class PaymentForm(forms.Form):
    paid_on = forms.DateField(
        label=gettext_lazy("Betaald op"),
        help_text=gettext_lazy("Bijvoorbeeld 15-05-2026."),
        input_formats=["%d-%m-%Y", "%Y-%m-%d"],
    )
    amount = forms.DecimalField(
        label=gettext_lazy("Bedrag in euro"),
        max_digits=8,
        decimal_places=2,
        min_value=0.01,
        localize=True,
    )
    note = forms.CharField(label=gettext_lazy("Notitie"), max_length=200, required=False)


@require_http_methods(["GET", "HEAD", "POST"])
def add_payment(request: HttpRequest, invoice_id: int) -> HttpResponse:
    """Record a payment (part or whole) on an organisation's account for an event."""
    require_invoice_permission(request)
    invoice = get_object_or_404(
        Invoice.objects.select_related("organisation", "event"), pk=invoice_id
    )
    change_url = reverse("admin:registrations_invoice_change", args=[invoice.pk])
    form = PaymentForm(
        request.POST if request.method == "POST" else None,
        initial={"paid_on": timezone.localdate().strftime("%d-%m-%Y"), "amount": invoice.balance}
        if invoice.balance > 0
        else {"paid_on": timezone.localdate().strftime("%d-%m-%Y")},
    )
    if form.is_valid():
        try:
            record_payment(
                invoice=invoice,
                amount=form.cleaned_data["amount"],
                paid_on=form.cleaned_data["paid_on"],
                note=form.cleaned_data["note"],
                recorded_by=request.user,
            )
        except RegistrationError as error:
            form.add_error(error.field if error.field in form.fields else None, error.message)
        else:
            messages.success(request, _("Betaling vastgelegd."))
            return redirect(change_url)
    context = {
        **admin.site.each_context(request),
        "title": _("Betaling vastleggen"),
        "opts": Invoice._meta,
        "original": invoice,
        "form": form,
        "cancel_url": change_url,
        "submit_label": _("Betaling vastleggen"),
        "question": _("Wat heeft %(organisation)s betaald voor %(event)s?")
        % {"organisation": invoice.organisation, "event": invoice.event},
    }
    return render(request, "admin/registrations/object_action.html", context)

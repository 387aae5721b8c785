from django.contrib import admin, messages
from django.db.models import F, QuerySet
from django.http import HttpRequest
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from registrations.billing_pages import INVOICE_PERMISSION, account_urls
from registrations.invoices import invoice_status, mark_invoices_paid
from registrations.models import Invoice, InvoiceDocument, Payment
from registrations.templatetags.money import euro
from sessions.admin_labels import LabelledTabularInline


class PaymentStatusFilter(admin.SimpleListFilter):
    """Open, partly paid, paid or overpaid; works on accounts and on sign-ups (through their
    account)."""

    title = _("betaling")
    parameter_name = "betaling"

    def lookups(self, request, model_admin):
        return [
            ("open", _("open")),
            ("partly", _("deels betaald")),
            ("paid", _("betaald")),
            ("overpaid", _("te veel betaald")),
        ]

    def queryset(self, request, queryset):
        prefix = "" if queryset.model is Invoice else "invoice__"
        due = F(f"{prefix}amount_due")
        filters = {
            "open": {f"{prefix}amount_paid": 0, f"{prefix}amount_due__gt": 0},
            "partly": {f"{prefix}amount_paid__gt": 0, f"{prefix}amount_paid__lt": due},
            "paid": {f"{prefix}amount_paid__gt": 0, f"{prefix}amount_paid": due},
            "overpaid": {f"{prefix}amount_paid__gt": due},
        }
        if self.value() in filters:
            return queryset.filter(**filters[self.value()])
        return queryset


class DocumentInline(LabelledTabularInline):
    """The invoices and credit notes sent for the account: read only, each with its PDF."""

    model = InvoiceDocument
    fk_name = "account"
    extra = 0
    can_delete = False
    fields = ["number", "kind", "issued_on", "amount_display", "pdf_link"]
    readonly_fields = fields
    verbose_name = _("verstuurd document")
    verbose_name_plural = _("verstuurde documenten")

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    @admin.display(description=_("bedrag"))
    def amount_display(self, document: InvoiceDocument) -> str:
        return euro(document.amount)

    @admin.display(description=_("PDF"))
    def pdf_link(self, document: InvoiceDocument) -> str:
        url = reverse("admin:registrations_invoice_document_pdf", args=[document.pk])
        return format_html('<a href="{}">{}</a>', url, f"{document.number}.pdf")


class PaymentInline(LabelledTabularInline):
    """The payments received on the account: read only; a new one has its own page."""

    model = Payment
    extra = 0
    can_delete = False
    fields = ["paid_on", "amount_display", "note", "recorded_by"]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    @admin.display(description=_("bedrag"))
    def amount_display(self, payment: Payment) -> str:
        return euro(payment.amount)


@admin.register(Invoice)
class InvoiceAdmin(admin.ModelAdmin):
    list_display = [
        "organisation",
        "event",
        "attendee_count",
        "amount_due_display",
        "amount_paid_display",
        "balance_display",
        "payment_status",
        "customer_reference",
    ]
    list_filter = ["event", PaymentStatusFilter]
    list_select_related = ["organisation", "event"]
    search_fields = ["organisation__name", "reference", "customer_reference", "documents__number"]
    readonly_fields = [
        "event",
        "organisation",
        "attendee_count",
        "amount_due_display",
        "amount_paid_display",
        "balance_display",
        "payment_status",
        "record_payment_link",
        "reference",
    ]
    fieldsets = [
        (
            None,
            {
                "fields": [
                    "event",
                    "organisation",
                    "attendee_count",
                    "amount_due_display",
                    "amount_paid_display",
                    "balance_display",
                    "payment_status",
                    "record_payment_link",
                ]
            },
        ),
        (
            _("Factuurgegevens"),
            {"fields": ["attention", "address", "customer_reference", "reference"]},
        ),
    ]
    inlines = [DocumentInline, PaymentInline]
    actions = ["mark_paid"]

    def get_urls(self):
        return [*account_urls(self.admin_site), *super().get_urls()]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # accounts follow sign-ups

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    def has_manage_invoices_permission(self, request: HttpRequest) -> bool:
        return request.user.has_perm(INVOICE_PERMISSION)

    @admin.display(description=_("te betalen"), ordering="amount_due")
    def amount_due_display(self, invoice: Invoice) -> str:
        return euro(invoice.amount_due)

    @admin.display(description=_("betaald"), ordering="amount_paid")
    def amount_paid_display(self, invoice: Invoice) -> str:
        return euro(invoice.amount_paid)

    @admin.display(description=_("open"))
    def balance_display(self, invoice: Invoice) -> str:
        return euro(invoice.balance)

    @admin.display(description=_("betaling"))
    def payment_status(self, invoice: Invoice) -> str:
        return invoice_status(invoice)

    @admin.display(description=_("betaling vastleggen"))
    def record_payment_link(self, invoice: Invoice) -> str:
        url = reverse("admin:registrations_invoice_payment", args=[invoice.pk])
        return format_html('<a class="button" href="{}">{}</a>', url, _("Betaling vastleggen"))

    @admin.action(description=_("Markeren als betaald"), permissions=["manage_invoices"])
    def mark_paid(self, request: HttpRequest, queryset: QuerySet[Invoice]) -> None:
        selected = list(queryset)
        count = mark_invoices_paid(invoices=selected, recorded_by=request.user)
        self.message_user(
            request,
            _("Betaling van het open bedrag vastgelegd voor %(count)d organisatie(s).")
            % {"count": count},
            messages.SUCCESS,
        )
        if len(selected) > count:
            self.message_user(
                request,
                _("Niets open bij %(count)d organisatie(s): daar is niets vastgelegd.")
                % {"count": len(selected) - count},
                messages.INFO,
            )

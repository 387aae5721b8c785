from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from registrations.invoices import invoice_status, mark_invoices_paid
from registrations.models import Invoice
from registrations.templatetags.money import euro


class PaymentStatusFilter(admin.SimpleListFilter):
    """Open or paid; works on invoices and on sign-ups (through their invoice)."""

    title = _("betaling")
    parameter_name = "betaling"

    def lookups(self, request, model_admin):
        return [("open", _("open")), ("paid", _("betaald"))]

    def queryset(self, request, queryset):
        prefix = "" if queryset.model is Invoice else "invoice__"
        if self.value() == "open":
            return queryset.filter(**{f"{prefix}paid_at__isnull": True})
        if self.value() == "paid":
            return queryset.filter(**{f"{prefix}paid_at__isnull": False})
        return queryset


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
        "reference",
    ]
    list_filter = ["event", PaymentStatusFilter]
    list_select_related = ["organisation", "event"]
    search_fields = ["organisation__name", "reference"]
    readonly_fields = [
        "event",
        "organisation",
        "attendee_count",
        "amount_due",
        "amount_paid",
        "paid_at",
        "payment_status",
    ]
    fields = [
        "event",
        "organisation",
        "attendee_count",
        "amount_due",
        "reference",
        "amount_paid",
        "paid_at",
        "payment_status",
    ]
    actions = ["mark_paid"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # invoices follow sign-ups

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    @admin.display(description=_("te betalen"), ordering="amount_due")
    def amount_due_display(self, invoice: Invoice) -> str:
        return euro(invoice.amount_due)

    @admin.display(description=_("betaald"), ordering="amount_paid")
    def amount_paid_display(self, invoice: Invoice) -> str:
        return euro(invoice.amount_paid)

    @admin.display(description=_("verschil"))
    def balance_display(self, invoice: Invoice) -> str:
        return euro(invoice.balance)

    @admin.display(description=_("betaling"))
    def payment_status(self, invoice: Invoice) -> str:
        return invoice_status(invoice)

    @admin.action(description=_("Markeren als betaald"), permissions=["change"])
    def mark_paid(self, request: HttpRequest, queryset: QuerySet[Invoice]) -> None:
        count = mark_invoices_paid(invoices=list(queryset))
        self.message_user(
            request,
            _("%(count)d factuur/facturen als betaald gemarkeerd.") % {"count": count},
            messages.SUCCESS,
        )

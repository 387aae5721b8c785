from django import forms
from django.contrib import admin
from django.db.models import Count, Q, QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from registrations.invoices import invoice_status
from registrations.models import Invoice, Organisation, Status, normalise_name
from registrations.templatetags.money import euro
from registrations.text import SingleLineField


class InvoiceInline(admin.TabularInline):
    """An organisation's history: one row per lab with head count and payment."""

    model = Invoice
    extra = 0
    can_delete = False
    fields = ["event", "attendee_count", "due", "paid", "status", "reference"]
    readonly_fields = ["event", "attendee_count", "due", "paid", "status"]
    show_change_link = True

    def has_add_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    def get_queryset(self, request: HttpRequest) -> QuerySet[Invoice]:
        return super().get_queryset(request).select_related("event", "organisation")

    @admin.display(description=_("te betalen"))
    def due(self, invoice: Invoice) -> str:
        return euro(invoice.amount_due)

    @admin.display(description=_("betaald"))
    def paid(self, invoice: Invoice) -> str:
        return euro(invoice.amount_paid)

    @admin.display(description=_("betaling"))
    def status(self, invoice: Invoice) -> str:
        return invoice_status(invoice)


class OrganisationAdminForm(forms.ModelForm):
    class Meta:
        model = Organisation
        fields = ["name"]
        field_classes = {"name": SingleLineField}

    def clean_name(self) -> str:
        name = self.cleaned_data["name"]
        twin = (
            Organisation.objects.filter(name_key=normalise_name(name))
            .exclude(pk=self.instance.pk)
            .first()
        )
        if twin is not None:
            raise forms.ValidationError(
                _(
                    "Er is al een organisatie ‘%(name)s’. Koppel de aanmeldingen aan die "
                    "organisatie (bij de aanmelding: ‘Organisatie wijzigen’) in plaats van deze te "
                    "hernoemen."
                ),
                code="duplicate",
                params={"name": twin.name},
            )
        return name


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    form = OrganisationAdminForm
    list_display = ["name", "labs", "people", "created_at"]
    search_fields = ["name"]
    readonly_fields = ["created_at"]
    fields = ["name", "created_at"]
    inlines = [InvoiceInline]

    def get_queryset(self, request: HttpRequest) -> QuerySet[Organisation]:
        return (
            super()
            .get_queryset(request)
            .annotate(
                lab_count=Count(
                    "invoices", filter=Q(invoices__attendee_count__gt=0), distinct=True
                ),
                people_count=Count(
                    "registrations__attendees",
                    filter=Q(registrations__attendees__status=Status.CONFIRMED),
                    distinct=True,
                ),
            )
        )

    @admin.display(description=_("labs"), ordering="lab_count")
    def labs(self, organisation: Organisation) -> int:
        return organisation.lab_count

    @admin.display(description=_("deelnemers in totaal"), ordering="people_count")
    def people(self, organisation: Organisation) -> int:
        return organisation.people_count

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        # Organisations hold history across labs; merge or rename instead.
        return False

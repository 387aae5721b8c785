"""The back office: who comes, what each organisation owes, and what staff may change.

Every change that affects places or prices goes through `registrations.services`, so the
admin obeys the same rules as the public form.
"""

from django import forms
from django.contrib import admin, messages
from django.db.models import Count, Q, QuerySet
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import path
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from registrations import emails, services
from registrations.models import (
    Attendee,
    Invoice,
    Organisation,
    Registration,
    Status,
    normalise_name,
)
from registrations.templatetags.money import euro


def _refuse(request: HttpRequest, error: services.RegistrationError) -> None:
    """Show a refusal of the services and remember it, so no success message follows."""
    messages.error(request, error.message)
    request._service_refused = True


class ServiceRefusalMixin:
    """Skip the admin's "changed successfully" when a service refused the change."""

    def response_change(self, request: HttpRequest, obj) -> HttpResponse:
        if getattr(request, "_service_refused", False):
            return HttpResponseRedirect(request.path)
        return super().response_change(request, obj)


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
        return invoice.payment_status


class OrganisationAdminForm(forms.ModelForm):
    class Meta:
        model = Organisation
        fields = ["name"]

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
                    "organisatie (bij de aanmelding, veld organisatie) in plaats van deze te "
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


class AttendeeInline(admin.TabularInline):
    """Board members of a sign-up; move or cancel them from the attendee list."""

    model = Attendee
    extra = 0
    can_delete = False
    fields = ["name", "email", "session", "dietary_wishes", "status"]
    readonly_fields = fields
    show_change_link = True

    def has_add_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    def get_queryset(self, request: HttpRequest) -> QuerySet[Attendee]:
        return super().get_queryset(request).select_related("session")


class PaymentStatusFilter(admin.SimpleListFilter):
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


class MailFilter(admin.SimpleListFilter):
    title = _("bevestiging")
    parameter_name = "mail"

    def lookups(self, request, model_admin):
        return [("unsent", _("niet verstuurd")), ("sent", _("verstuurd"))]

    def queryset(self, request, queryset):
        if self.value() == "unsent":
            return queryset.filter(confirmation_sent_at__isnull=True)
        if self.value() == "sent":
            return queryset.filter(confirmation_sent_at__isnull=False)
        return queryset


@admin.register(Registration)
class RegistrationAdmin(ServiceRefusalMixin, admin.ModelAdmin):
    list_display = [
        "organisation",
        "event",
        "contact_name",
        "people",
        "status",
        "created_at",
        "amount_due",
        "payment_status",
        "mail_sent",
    ]
    list_filter = ["event", "status", PaymentStatusFilter, MailFilter]
    list_select_related = ["organisation", "event", "invoice"]
    search_fields = ["organisation__name", "contact_name", "contact_email", "attendees__name"]
    autocomplete_fields = ["organisation"]
    readonly_fields = [
        "event",
        "status",
        "created_at",
        "consent_at",
        "privacy_version",
        "amount_due",
        "payment_status",
        "manage_link",
        "confirmation_sent_at",
        "reminder_sent_at",
        "mail_error",
    ]
    fields = [
        "event",
        "organisation",
        "status",
        "contact_name",
        "contact_email",
        "contact_phone",
        "remarks",
        "amount_due",
        "payment_status",
        "created_at",
        "consent_at",
        "privacy_version",
        "manage_link",
        "confirmation_sent_at",
        "reminder_sent_at",
        "mail_error",
    ]
    inlines = [AttendeeInline]
    actions = ["cancel_registrations", "admit_from_waiting_list", "resend_confirmation"]
    date_hierarchy = "created_at"

    def get_urls(self):
        from registrations import admin_views

        return [
            path(
                "persoonsgegevens/",
                self.admin_site.admin_view(admin_views.personal_data),
                name="registrations_registration_personal_data",
            ),
            *super().get_urls(),
        ]

    def get_queryset(self, request: HttpRequest) -> QuerySet[Registration]:
        return (
            super()
            .get_queryset(request)
            .annotate(
                people_count=Count("attendees", filter=~Q(attendees__status=Status.CANCELLED))
            )
        )

    def save_model(self, request: HttpRequest, obj: Registration, form, change: bool) -> None:
        organisation = form.cleaned_data["organisation"]
        obj.organisation_id = form.initial.get("organisation", obj.organisation_id)
        obj.save(update_fields=["contact_name", "contact_email", "contact_phone", "remarks"])
        if organisation.pk != obj.organisation_id:
            try:
                services.change_organisation(registration=obj, organisation=organisation)
            except services.RegistrationError as error:
                _refuse(request, error)

    def has_add_permission(self, request: HttpRequest) -> bool:
        # New sign-ups are entered from the event ("Aanmelding invoeren"), through the form.
        return False

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        return False  # sign-ups are cancelled, never deleted

    @admin.display(description=_("personen"), ordering="people_count")
    def people(self, registration: Registration) -> int:
        return registration.people_count

    @admin.display(description=_("organisatie betaalt"), ordering="invoice__amount_due")
    def amount_due(self, registration: Registration) -> str:
        return euro(registration.invoice.amount_due)

    @admin.display(description=_("betaling"))
    def payment_status(self, registration: Registration) -> str:
        return registration.invoice.payment_status

    @admin.display(description=_("bevestiging verstuurd"), boolean=True)
    def mail_sent(self, registration: Registration) -> bool:
        return registration.confirmation_sent_at is not None

    def get_ordering(self, request: HttpRequest) -> list[str]:
        # The waiting list is shown in its own order: first come, first served.
        if request.GET.get("status__exact") == Status.WAITING:
            return ["created_at", "pk"]
        return super().get_ordering(request)

    @admin.action(description=_("Van de wachtlijst plaatsen"), permissions=["change"])
    def admit_from_waiting_list(self, request: HttpRequest, queryset: QuerySet[Registration]):
        for registration in queryset.filter(status=Status.WAITING).order_by("created_at"):
            try:
                services.admit_from_waiting_list(registration=registration)
            except services.RegistrationError as error:
                reason = (
                    _("er is nog te weinig plaats. Verhoog eerst het maximum.")
                    if error.code in {"session_full", "event_full"}
                    else error.message
                )
                self.message_user(request, f"{registration.organisation}: {reason}", messages.ERROR)
            else:
                self.message_user(
                    request,
                    _("%(organisation)s is van de wachtlijst geplaatst.")
                    % {"organisation": registration.organisation},
                    messages.SUCCESS,
                )

    @admin.action(description=_("Bevestiging opnieuw versturen"), permissions=["change"])
    def resend_confirmation(self, request: HttpRequest, queryset: QuerySet[Registration]):
        selected = queryset.exclude(status=Status.CANCELLED)
        results = [emails.send_confirmation(pk) for pk in selected.values_list("pk", flat=True)]
        if results.count(True):
            self.message_user(
                request,
                _("%(count)d bevestiging(en) verstuurd.") % {"count": results.count(True)},
                messages.SUCCESS,
            )
        if results.count(False):
            self.message_user(
                request,
                _("%(count)d bevestiging(en) konden niet worden verstuurd; zie de mailfout.")
                % {"count": results.count(False)},
                messages.ERROR,
            )

    @admin.display(description=_("beheerlink"))
    def manage_link(self, registration: Registration) -> str:
        return format_html('<a href="{0}">{0}</a>', registration.get_absolute_url())

    @admin.action(description=_("Geselecteerde aanmeldingen afmelden"), permissions=["change"])
    def cancel_registrations(self, request: HttpRequest, queryset: QuerySet[Registration]):
        count = 0
        for registration in queryset.exclude(status=Status.CANCELLED):
            try:
                services.cancel_registration(registration=registration, by_staff=True)
            except services.RegistrationError as error:
                _refuse(request, error)
                break
            count += 1
        self.message_user(
            request, _("%(count)d aanmelding(en) afgemeld.") % {"count": count}, messages.SUCCESS
        )


class AttendeeAdminForm(forms.ModelForm):
    class Meta:
        model = Attendee
        fields = ["name", "email", "session", "dietary_wishes"]

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["session"].queryset = self.fields["session"].queryset.filter(
                event=self.instance.event_id
            )


@admin.register(Attendee)
class AttendeeAdmin(ServiceRefusalMixin, admin.ModelAdmin):
    form = AttendeeAdminForm
    list_display = ["name", "email", "organisation", "event", "session", "status", "created_at"]
    # Newest first by primary key: sorting by a joined column would sort every row of a
    # large lab for each page; and no second count of all rows behind a filter.
    ordering = ["-pk"]
    show_full_result_count = False
    list_filter = ["event", "session", "status"]
    list_select_related = ["registration__organisation", "event", "session"]
    search_fields = ["name", "email", "registration__organisation__name"]
    readonly_fields = ["registration", "event", "status", "created_at"]
    fields = ["registration", "event", "name", "email", "session", "dietary_wishes", "status"]
    actions = ["cancel_attendees", "export_selected"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        return False  # board members are cancelled, never deleted

    @admin.display(description=_("organisatie"), ordering="registration__organisation__name")
    def organisation(self, attendee: Attendee) -> Organisation:
        return attendee.registration.organisation

    def save_model(self, request: HttpRequest, obj: Attendee, form, change: bool) -> None:
        try:
            services.change_attendee(
                attendee=Attendee.objects.get(pk=obj.pk),
                name=form.cleaned_data["name"],
                email=form.cleaned_data["email"],
                dietary_wishes=form.cleaned_data["dietary_wishes"],
                session=form.cleaned_data["session"],
            )
        except services.RegistrationError as error:
            _refuse(request, error)

    @admin.action(description=_("Geselecteerde deelnemers afmelden"), permissions=["change"])
    def cancel_attendees(self, request: HttpRequest, queryset: QuerySet[Attendee]) -> None:
        count = 0
        for attendee in queryset.exclude(status=Status.CANCELLED):
            try:
                services.cancel_attendee(attendee=attendee, by_staff=True)
            except services.RegistrationError as error:
                _refuse(request, error)
                break
            count += 1
        self.message_user(
            request, _("%(count)d deelnemer(s) afgemeld.") % {"count": count}, messages.SUCCESS
        )

    @admin.action(
        description=_("Geselecteerde deelnemers exporteren (Excel NL)"), permissions=["export"]
    )
    def export_selected(self, request: HttpRequest, queryset: QuerySet[Attendee]):
        from registrations.exports import export_attendees

        return export_attendees(request, queryset, filename="deelnemers-selectie")

    def has_export_permission(self, request: HttpRequest) -> bool:
        return request.user.has_perm("registrations.export_personal_data")


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
        return invoice.payment_status

    @admin.action(description=_("Markeren als betaald"), permissions=["change"])
    def mark_paid(self, request: HttpRequest, queryset: QuerySet[Invoice]) -> None:
        count = services.mark_invoices_paid(invoices=list(queryset))
        self.message_user(
            request,
            _("%(count)d factuur/facturen als betaald gemarkeerd.") % {"count": count},
            messages.SUCCESS,
        )

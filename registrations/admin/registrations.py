from django import forms
from django.contrib import admin, messages
from django.contrib.admin.widgets import AutocompleteSelect
from django.db.models import Count, OuterRef, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.http import HttpRequest, HttpResponse
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from registrations import outbox, waiting_list
from registrations.admin.actions import ConfirmForm, bulk_action, object_action
from registrations.admin.invoices import PaymentStatusFilter
from registrations.admin.mail import MailInline
from registrations.backoffice import personal_data
from registrations.changes import cancel_registration, change_organisation
from registrations.invoices import invoice_status
from registrations.models import Attendee, Organisation, Registration, Status
from registrations.templatetags.money import euro
from registrations.text import SingleLineField


class AttendeeInline(admin.TabularInline):
    """Board members of a sign-up; move or cancel them from the attendee's own page."""

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


class MailFilter(admin.SimpleListFilter):
    title = gettext_lazy("bevestiging")
    parameter_name = "mail"

    def lookups(self, request, model_admin):
        return [("unsent", gettext_lazy("niet verstuurd")), ("sent", gettext_lazy("verstuurd"))]

    def queryset(self, request, queryset):
        if self.value() == "unsent":
            return queryset.filter(confirmation_sent_at__isnull=True)
        if self.value() == "sent":
            return queryset.filter(confirmation_sent_at__isnull=False)
        return queryset


class RegistrationAdminForm(forms.ModelForm):
    """Contact details; the organisation, status and money have pages of their own."""

    class Meta:
        model = Registration
        fields = ["contact_name", "contact_email", "contact_phone", "remarks"]
        field_classes = {"contact_name": SingleLineField, "contact_phone": SingleLineField}


class OrganisationForm(forms.Form):
    organisation = forms.ModelChoiceField(
        queryset=Organisation.objects.current(), label=gettext_lazy("Organisatie")
    )

    def __init__(self, *args, obj: Registration, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["organisation"]
        field.widget = AutocompleteSelect(Registration._meta.get_field("organisation"), admin.site)
        field.widget.choices = field.choices  # the widget reads its choices from the field
        field.initial = obj.organisation_id


@admin.register(Registration)
class RegistrationAdmin(admin.ModelAdmin):
    form = RegistrationAdminForm
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
    readonly_fields = [
        "event",
        "organisation_display",
        "status_display",
        "wait_as_group",
        "created_at",
        "consent_at",
        "privacy_version",
        "amount_due",
        "payment_status",
        "manage_link",
        "confirmation_sent_at",
        "over_capacity",
        "over_capacity_by",
    ]
    fields = [
        "event",
        "organisation_display",
        "status_display",
        "wait_as_group",
        "no_invitations",
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
        "over_capacity",
        "over_capacity_by",
    ]
    inlines = [AttendeeInline, MailInline]
    actions = ["cancel_registrations", "admit_from_waiting_list", "resend_confirmation"]
    date_hierarchy = "created_at"
    # One count of the sign-ups shown, not a second one of all of them.
    show_full_result_count = False

    def get_urls(self):
        wrap = self.admin_site.admin_view
        return [
            path(
                "persoonsgegevens/",
                wrap(personal_data),
                name="registrations_registration_personal_data",
            ),
            path(
                "<path:object_id>/organisatie/",
                wrap(self.organisation_view),
                name="registrations_registration_organisation",
            ),
            path(
                "<path:object_id>/afmelden/",
                wrap(self.cancel_view),
                name="registrations_registration_cancel",
            ),
            *super().get_urls(),
        ]

    def get_queryset(self, request: HttpRequest) -> QuerySet[Registration]:
        return (
            super()
            .get_queryset(request)
            # Counted per row shown, not grouped over every sign-up before the page is cut.
            .annotate(
                people_count=Coalesce(
                    Subquery(
                        Attendee.objects.filter(registration=OuterRef("pk"))
                        .exclude(status=Status.CANCELLED)
                        .values("registration")
                        .annotate(count=Count("pk"))
                        .values("count")
                    ),
                    0,
                )
            )
        )

    def has_add_permission(self, request: HttpRequest) -> bool:
        # New sign-ups are entered from the event ("Aanmelding invoeren"), through the form.
        return False

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        return False  # sign-ups are cancelled, never deleted

    def organisation_view(self, request: HttpRequest, object_id: str) -> HttpResponse:
        """Book the sign-up on another organisation; both organisations are repriced."""

        def act(registration: Registration, form: OrganisationForm) -> str:
            organisation = form.cleaned_data["organisation"]
            change_organisation(registration=registration, organisation=organisation)
            return _("Organisatie gewijzigd in %(name)s.") % {"name": organisation}

        return object_action(
            self,
            request,
            object_id,
            form_class=OrganisationForm,
            title=_("Organisatie wijzigen"),
            submit_label=_("Organisatie wijzigen"),
            act=act,
        )

    def cancel_view(self, request: HttpRequest, object_id: str) -> HttpResponse:
        """Cancel the whole sign-up after staff confirm it."""

        def act(registration: Registration, form: ConfirmForm) -> str:
            cancel_registration(registration=registration, by_staff=True)
            return _("De hele aanmelding is afgemeld.")

        return object_action(
            self,
            request,
            object_id,
            form_class=ConfirmForm,
            title=_("Aanmelding afmelden"),
            submit_label=_("Ja, alles afmelden"),
            question=_(
                "Alle deelnemers van deze aanmelding worden afgemeld. Het bedrag van de "
                "organisatie wordt opnieuw berekend en vrije plaatsen gaan naar de wachtlijst."
            ),
            act=act,
        )

    @admin.display(description=gettext_lazy("organisatie"))
    def organisation_display(self, registration: Registration) -> str:
        url = reverse("admin:registrations_registration_organisation", args=[registration.pk])
        return format_html(
            '{} <a class="button" href="{}">{}</a>',
            registration.organisation,
            url,
            _("Organisatie wijzigen"),
        )

    @admin.display(description=gettext_lazy("status"))
    def status_display(self, registration: Registration) -> str:
        if registration.status == Status.CANCELLED:
            return registration.get_status_display()
        url = reverse("admin:registrations_registration_cancel", args=[registration.pk])
        return format_html(
            '{} <a class="button" href="{}">{}</a>',
            registration.get_status_display(),
            url,
            _("Afmelden"),
        )

    @admin.display(description=gettext_lazy("personen"), ordering="people_count")
    def people(self, registration: Registration) -> int:
        return registration.people_count

    @admin.display(description=gettext_lazy("organisatie betaalt"), ordering="invoice__amount_due")
    def amount_due(self, registration: Registration) -> str:
        return euro(registration.invoice.amount_due)

    @admin.display(description=gettext_lazy("betaling"))
    def payment_status(self, registration: Registration) -> str:
        return invoice_status(registration.invoice)

    @admin.display(description=gettext_lazy("bevestiging verstuurd"), boolean=True)
    def mail_sent(self, registration: Registration) -> bool:
        return registration.confirmation_sent_at is not None

    @admin.display(description=gettext_lazy("beheerlink"))
    def manage_link(self, registration: Registration) -> str:
        return format_html('<a href="{0}">{0}</a>', registration.get_absolute_url())

    def get_ordering(self, request: HttpRequest) -> list[str]:
        # The waiting list is shown in its own order: first come, first served.
        if request.GET.get("status__exact") == Status.WAITING:
            return ["created_at", "pk"]
        return super().get_ordering(request)

    @admin.action(description=gettext_lazy("Van de wachtlijst plaatsen"), permissions=["change"])
    def admit_from_waiting_list(self, request: HttpRequest, queryset: QuerySet[Registration]):
        bulk_action(
            self,
            request,
            # Sign-ups without a waiting member are refused one by one, so staff see why.
            queryset.select_related("organisation"),
            act=lambda registration: waiting_list.admit_from_waiting_list(
                registration=registration
            ),
            label=lambda registration: str(registration.organisation),
            done_message=_("Van de wachtlijst geplaatst: %(names)s."),
            reason=lambda error: (
                _("er is nog te weinig plaats. Verhoog eerst het maximum.")
                if error.code in {"session_full", "event_full"}
                else error.message
            ),
        )

    @admin.action(description=gettext_lazy("Bevestiging opnieuw versturen"), permissions=["change"])
    def resend_confirmation(self, request: HttpRequest, queryset: QuerySet[Registration]):
        queued = [
            outbox.queue_confirmation(registration)
            for registration in queryset.exclude(status=Status.CANCELLED)
        ]
        if queued:
            self.message_user(
                request,
                _(
                    "Bevestiging van %(count)d aanmelding(en) in de wachtrij gezet; "
                    "zij gaat binnen enkele minuten de deur uit."
                )
                % {"count": len(queued)},
                messages.SUCCESS,
            )
        cancelled = queryset.filter(status=Status.CANCELLED).count()
        if cancelled:
            self.message_user(
                request,
                _("%(count)d afgemelde aanmelding(en) overgeslagen: daar valt niets te bevestigen.")
                % {"count": cancelled},
                messages.WARNING,
            )

    @admin.action(
        description=gettext_lazy("Geselecteerde aanmeldingen afmelden"), permissions=["change"]
    )
    def cancel_registrations(self, request: HttpRequest, queryset: QuerySet[Registration]):
        bulk_action(
            self,
            request,
            queryset.exclude(status=Status.CANCELLED).select_related("organisation"),
            act=lambda registration: cancel_registration(registration=registration, by_staff=True),
            label=lambda registration: str(registration.organisation),
            done_message=_("%(count)d aanmelding(en) afgemeld: %(names)s."),
        )

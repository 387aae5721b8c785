from django import forms
from django.contrib import admin
from django.contrib.admin.widgets import AutocompleteSelect
from django.db.models import Count, Q, QuerySet
from django.http import HttpRequest, HttpResponse
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from registrations.admin.actions import object_action
from registrations.invoices import invoice_status
from registrations.models import Invoice, Organisation, Status, normalise_name
from registrations.organisations import merge_organisations
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
        fields = ["name", "hidden_from_suggestions"]
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
                    "Er is al een organisatie ‘%(name)s’. Voeg de twee samen (‘Samenvoegen’) in "
                    "plaats van deze te hernoemen."
                ),
                code="duplicate",
                params={"name": twin.name},
            )
        return name


class NamedAutocompleteSelect(AutocompleteSelect):
    """An autocomplete box that a screen reader names after its label, also before anything
    is chosen (Select2 names it by the chosen text only)."""

    @property
    def media(self) -> forms.Media:
        # Listed after the admin's script, so Django's media merge keeps that order.
        names = forms.Media(js=["admin/js/autocomplete.js", "js/autocomplete_names.js"])
        return super().media + names


class MergeForm(forms.Form):
    """The organisation that goes up in the one whose page this is."""

    organisation = forms.ModelChoiceField(
        queryset=Organisation.objects.current(),
        label=_("Samenvoegen met"),
        help_text=_(
            "Alle aanmeldingen van deze organisatie gaan naar de organisatie hierboven; de "
            "bedragen per bijeenkomst worden opnieuw berekend."
        ),
    )

    def __init__(self, *args, obj: Organisation, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["organisation"]
        field.queryset = Organisation.objects.current().exclude(pk=obj.pk)
        field.widget = NamedAutocompleteSelect(
            Organisation._meta.get_field("merged_into"), admin.site
        )
        field.widget.choices = field.choices  # the widget reads its choices from the field


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    form = OrganisationAdminForm
    list_display = [
        "name",
        "labs",
        "people",
        "hidden_from_suggestions",
        "merged_into",
        "created_at",
    ]
    list_filter = ["hidden_from_suggestions", ("merged_into", admin.EmptyFieldListFilter)]
    list_select_related = ["merged_into"]
    search_fields = ["name"]
    readonly_fields = ["merge_display", "created_at"]
    fields = ["name", "hidden_from_suggestions", "merge_display", "created_at"]
    inlines = [InvoiceInline]

    def get_urls(self):
        return [
            path(
                "<path:object_id>/samenvoegen/",
                self.admin_site.admin_view(self.merge_view),
                name="registrations_organisation_merge",
            ),
            *super().get_urls(),
        ]

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
            # A grouped query drops Meta.ordering; the autocomplete pages through this one.
            .order_by("name", "pk")
        )

    def get_search_results(self, request: HttpRequest, queryset, search_term: str):
        queryset, may_have_duplicates = super().get_search_results(request, queryset, search_term)
        if request.path == reverse("admin:autocomplete"):
            # Choosing an organisation for a sign-up or a merge: merged spellings are gone.
            queryset = queryset.filter(merged_into__isnull=True)
        return queryset, may_have_duplicates

    def merge_view(self, request: HttpRequest, object_id: str) -> HttpResponse:
        """Merge another organisation into this one: its sign-ups move, amounts are redone."""

        def act(keep: Organisation, form: MergeForm) -> str:
            merge = form.cleaned_data["organisation"]
            amounts = merge_organisations(keep=keep, merge=merge)
            self.log_change(
                request, merge, gettext("Samengevoegd met %(name)s.") % {"name": keep.name}
            )
            lines = [
                gettext("%(event)s: %(kept)s en %(merged)s, nu samen %(after)s")
                % {
                    "event": amount.event,
                    "kept": euro(amount.kept_before),
                    "merged": euro(amount.merged_before),
                    "after": euro(amount.after),
                }
                for amount in amounts
            ]
            return gettext("%(merged)s is samengevoegd met %(kept)s.") % {
                "merged": merge.name,
                "kept": keep.name,
            } + "".join(f" {line}." for line in lines)

        return object_action(
            self,
            request,
            object_id,
            form_class=MergeForm,
            title=gettext("Organisaties samenvoegen"),
            submit_label=gettext("Samenvoegen"),
            question=gettext(
                "Kies de organisatie die hetzelfde is als deze, maar anders gespeld. Haar "
                "aanmeldingen en deelnemers gaan naar deze organisatie; per bijeenkomst komt er "
                "één factuur, met wat al betaald is. Haar naam wordt niet meer voorgesteld, en "
                "wie hem later typt, komt bij deze organisatie. Dit is niet terug te draaien."
            ),
            act=act,
            initial={"organisation": request.GET.get("met")},
        )

    @admin.display(description=_("samenvoegen"))
    def merge_display(self, organisation: Organisation) -> str:
        if organisation.merged_into_id is not None:
            url = reverse(
                "admin:registrations_organisation_change", args=[organisation.merged_into_id]
            )
            return format_html(
                '{} <a href="{}">{}</a>',
                gettext("Samengevoegd met"),
                url,
                organisation.merged_into,
            )
        url = reverse("admin:registrations_organisation_merge", args=[organisation.pk])
        return format_html(
            '<a class="button" href="{}">{}</a>',
            url,
            gettext("Een dubbele organisatie hierin opnemen"),
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

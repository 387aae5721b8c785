from django import forms
from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from registrations.models import Attendee, Organisation, Registration


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ["name", "created_at"]
    search_fields = ["name"]


class AttendeeInlineForm(forms.ModelForm):
    class Meta:
        model = Attendee
        fields = ["name", "email", "session", "dietary_wishes"]

    def clean(self) -> dict:
        cleaned = super().clean()
        registration = self.instance.registration
        session = cleaned.get("session")
        if session is not None and session.event_id != registration.event_id:
            self.add_error(
                "session", _("Kies een themasessie van de bijeenkomst van deze aanmelding.")
            )
        # The attendee's event always follows its registration's.
        self.instance.event_id = registration.event_id
        return cleaned


class AttendeeInline(admin.TabularInline):
    model = Attendee
    form = AttendeeInlineForm
    extra = 0
    fields = ["name", "email", "session", "dietary_wishes", "status"]
    readonly_fields = ["status"]


@admin.register(Registration)
class RegistrationAdmin(admin.ModelAdmin):
    list_display = ["organisation", "event", "contact_name", "status", "created_at"]
    list_filter = ["event", "status"]
    list_select_related = ["organisation", "event"]
    search_fields = ["organisation__name", "contact_name", "contact_email"]
    autocomplete_fields = ["organisation"]
    readonly_fields = ["created_at", "consent_at", "privacy_version"]
    inlines = [AttendeeInline]


@admin.register(Attendee)
class AttendeeAdmin(admin.ModelAdmin):
    list_display = ["name", "email", "registration", "session", "status"]
    list_filter = ["event", "session", "status"]
    list_select_related = ["registration__organisation", "registration__event", "session"]
    search_fields = ["name", "email", "registration__organisation__name"]

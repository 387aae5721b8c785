from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from sessions.admin_labels import LabelledFieldsMixin, LabelledTabularInline
from sessions.models import (
    Announcement,
    Contact,
    Event,
    PriceTier,
    ProgrammeItem,
    SiteSettings,
    ThemeSession,
)
from sessions.services import copy_event


def image_preview(image, alt: str) -> str:
    """Show a stored image small on its change form, so staff see what the public sees."""
    if not image:
        return "–"
    width, url = image.renditions()[0]
    height = round(width * image.height / image.width)
    return format_html('<img src="{}" alt="{}" width="{}" height="{}">', url, alt, width, height)


class ThemeSessionInline(LabelledTabularInline):
    model = ThemeSession
    extra = 0
    fields = ["order", "title", "description", "capacity"]


class ProgrammeItemInline(LabelledTabularInline):
    model = ProgrammeItem
    extra = 0


class PriceTierInline(LabelledTabularInline):
    model = PriceTier
    extra = 0


class ContactInline(LabelledTabularInline):
    model = Contact
    extra = 0
    fields = ["order", "name", "role", "phone", "email"]


@admin.register(Event)
class EventAdmin(LabelledFieldsMixin, admin.ModelAdmin):
    list_display = [
        "title",
        "date",
        "venue_city",
        "registration_deadline",
        "is_published",
    ]
    list_filter = ["is_published", "date"]
    search_fields = ["title", "theme", "venue_name", "venue_city"]
    prepopulated_fields = {"slug": ["title"]}
    date_hierarchy = "date"
    inlines = [ThemeSessionInline, ProgrammeItemInline, PriceTierInline, ContactInline]
    actions = ["copy_as_next_lab"]
    readonly_fields = ["current_image"]
    fieldsets = [
        (None, {"fields": ["title", "slug", "theme", "description", "is_published"]}),
        (_("Afbeelding"), {"fields": ["image", "image_alt", "current_image"]}),
        (_("Wanneer"), {"fields": ["date", "start_time", "end_time", "registration_deadline"]}),
        (
            _("Waar"),
            {
                "fields": [
                    "venue_name",
                    "venue_address",
                    "venue_city",
                    "route",
                    "parking",
                    "public_transport",
                    "practical_notes",
                ]
            },
        ),
        (
            _("Aanmelden en betalen"),
            {
                "fields": [
                    "capacity",
                    "max_group_size",
                    "has_waiting_list",
                    "included",
                    "payment_info",
                ]
            },
        ),
        (_("Meldingen"), {"fields": ["notification_email"]}),
        (_("Verslag"), {"fields": ["report_file", "report_text"]}),
    ]

    @admin.display(description=_("zoals op de site"))
    def current_image(self, event: Event) -> str:
        return image_preview(event.image, event.image_alt)

    @admin.action(description=_("Kopiëren als volgend lab"), permissions=["add"])
    def copy_as_next_lab(self, request: HttpRequest, queryset: QuerySet[Event]) -> None:
        for event in queryset.prefetch_related("sessions", "programme", "price_tiers", "contacts"):
            copy = copy_event(event=event)
            self.message_user(
                request,
                format_html(
                    _("Concept ‘{}’ aangemaakt. Geef het een nieuwe datum en publiceer het."),
                    copy.title,
                ),
                messages.SUCCESS,
            )


@admin.register(ThemeSession)
class ThemeSessionAdmin(admin.ModelAdmin):
    list_display = ["title", "event", "capacity", "order"]
    list_filter = ["event"]
    list_select_related = ["event"]
    search_fields = ["title", "event__title"]

    def get_readonly_fields(self, request: HttpRequest, obj=None) -> list[str]:
        # A session with sign-ups belongs to its event for good: moving it would put its
        # attendees in another event's session.
        return ["event"] if obj is not None else []

    def formfield_for_dbfield(self, db_field, request: HttpRequest, **kwargs):
        # No buttons beside the event's list: one of them would change or delete the event.
        field = super().formfield_for_dbfield(db_field, request, **kwargs)
        if db_field.name == "event" and field is not None:
            widget = field.widget
            widget.can_add_related = widget.can_change_related = False
            widget.can_delete_related = widget.can_view_related = False
        return field


@admin.register(SiteSettings)
class SiteSettingsAdmin(admin.ModelAdmin):
    """One row of settings: the list goes straight to its change form, which cannot be deleted."""

    fields = ["logo", "logo_alt", "current_logo"]
    readonly_fields = ["current_logo"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # the one row is changed, never added

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    def get_object(self, request: HttpRequest, object_id: str, from_field=None):
        # Before staff first save it, the row does not exist: show the defaults.
        return SiteSettings.load() if object_id == "1" else None

    def changelist_view(self, request: HttpRequest, extra_context=None) -> HttpResponse:
        return HttpResponseRedirect(reverse("admin:theme_sessions_sitesettings_change", args=[1]))

    @admin.display(description=_("zoals op de site"))
    def current_logo(self, settings: SiteSettings) -> str:
        return image_preview(settings.logo, settings.logo_alt)


@admin.register(Announcement)
class AnnouncementAdmin(admin.ModelAdmin):
    list_display = ["theme", "when", "event", "is_visible", "order"]
    list_editable = ["is_visible", "order"]
    list_select_related = ["event"]
    search_fields = ["theme", "when"]
    autocomplete_fields = ["event"]
    fields = ["theme", "when", "text", "event", "is_visible", "order"]

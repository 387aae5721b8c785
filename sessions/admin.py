from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from sessions.models import Event, PriceTier, ProgrammeItem, ThemeSession
from sessions.services import copy_event


class ThemeSessionInline(admin.TabularInline):
    model = ThemeSession
    extra = 0
    fields = ["order", "title", "description", "capacity"]


class ProgrammeItemInline(admin.TabularInline):
    model = ProgrammeItem
    extra = 0


class PriceTierInline(admin.TabularInline):
    model = PriceTier
    extra = 0


@admin.register(Event)
class EventAdmin(admin.ModelAdmin):
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
    inlines = [ThemeSessionInline, ProgrammeItemInline, PriceTierInline]
    actions = ["copy_as_next_lab"]
    fieldsets = [
        (None, {"fields": ["title", "slug", "theme", "description", "is_published"]}),
        (_("Wanneer"), {"fields": ["date", "start_time", "end_time", "registration_deadline"]}),
        (_("Waar"), {"fields": ["venue_name", "venue_address", "venue_city", "route"]}),
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
        (_("Contact"), {"fields": ["contact", "notification_email"]}),
    ]

    @admin.action(description=_("Kopiëren als volgend lab"), permissions=["add"])
    def copy_as_next_lab(self, request: HttpRequest, queryset: QuerySet[Event]) -> None:
        for event in queryset.prefetch_related("sessions", "programme", "price_tiers"):
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

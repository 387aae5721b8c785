from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest
from django.urls import path, reverse
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
        "overview_link",
    ]
    list_filter = ["is_published", "date"]
    search_fields = ["title", "theme", "venue_name", "venue_city"]
    prepopulated_fields = {"slug": ["title"]}
    date_hierarchy = "date"
    inlines = [ThemeSessionInline, ProgrammeItemInline, PriceTierInline]
    actions = ["copy_as_next_lab"]
    change_form_template = "admin/theme_sessions/event/change_form.html"
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

    def get_urls(self):
        # The back-office pages about an event's sign-ups live with the registrations app.
        from registrations import admin_views, exports

        def wrap(view):
            return self.admin_site.admin_view(view)

        return [
            path(
                "<int:event_id>/overzicht/",
                wrap(admin_views.event_overview),
                name="theme_sessions_event_overview",
            ),
            path(
                "<int:event_id>/aanmelden/",
                wrap(admin_views.signup_on_behalf),
                name="theme_sessions_event_signup",
            ),
            path(
                "<int:event_id>/export/",
                wrap(exports.export_event),
                name="theme_sessions_event_export",
            ),
            path(
                "<int:event_id>/sessie/<int:session_id>/export/",
                wrap(exports.export_session),
                name="theme_sessions_event_session_export",
            ),
            path(
                "<int:event_id>/sessie/<int:session_id>/presentielijst/",
                wrap(exports.presence_list),
                name="theme_sessions_event_presence_list",
            ),
            *super().get_urls(),
        ]

    def save_related(self, request: HttpRequest, form, formsets, change: bool) -> None:
        super().save_related(request, form, formsets, change)
        if change:
            refresh_after_change(self, request, form.instance)

    @admin.display(description=_("overzicht"))
    def overview_link(self, event: Event) -> str:
        url = reverse("admin:theme_sessions_event_overview", args=[event.pk])
        return format_html('<a href="{}">{}</a>', url, _("Overzicht"))

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

    def save_model(self, request: HttpRequest, obj: ThemeSession, form, change: bool) -> None:
        super().save_model(request, obj, form, change)
        if change:
            refresh_after_change(self, request, obj.event)


def refresh_after_change(model_admin: admin.ModelAdmin, request: HttpRequest, event: Event) -> None:
    """Reprice the event's sign-ups and fill freed places after staff changed the event."""
    # The registrations app builds on this one; import it only when needed.
    from registrations.services import RegistrationError, refresh_event

    try:
        admitted = refresh_event(event=event)
    except RegistrationError as error:
        model_admin.message_user(request, error.message, messages.ERROR)
        return
    for registration in admitted:
        model_admin.message_user(
            request,
            format_html(_("{} is van de wachtlijst geplaatst."), registration.organisation),
            messages.SUCCESS,
        )

"""The Event and ThemeSession admins of `sessions`, extended with what sign-ups need.

`sessions` knows nothing of sign-ups, so this app re-registers its admins with the staff pages
about an event (overview, phone sign-up, exports, presence lists), a link to the public page,
and a refresh of prices and the waiting list after staff change the event.
"""

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from registrations.backoffice import event_urls
from registrations.billing_pages import event_invoice_urls
from registrations.door import door_urls
from registrations.errors import RegistrationError
from registrations.evaluation_staff import evaluation_urls
from registrations.notify import publish_event, unpublish_event
from registrations.waiting_list import refresh_event
from sessions.admin import EventAdmin, ThemeSessionAdmin
from sessions.models import Event, ThemeSession


def refresh_after_change(model_admin: admin.ModelAdmin, request: HttpRequest, event: Event) -> None:
    """Reprice the event's sign-ups and fill freed places after staff changed the event."""
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


class EventWithSignupsAdmin(EventAdmin):
    list_display = [*EventAdmin.list_display, "overview_link"]
    change_form_template = "admin/registrations/event/change_form.html"

    actions = [*EventAdmin.actions, "publish", "unpublish"]

    def get_readonly_fields(self, request: HttpRequest, obj=None) -> list[str]:
        # Publishing mails whoever waits for it: an action (below), never a checkbox.
        return [*super().get_readonly_fields(request, obj), "is_published"]

    @admin.action(
        description=_("Publiceren (wie op bericht wacht, krijgt een e-mail)"),
        permissions=["change"],
    )
    def publish(self, request: HttpRequest, queryset: QuerySet[Event]) -> None:
        for event in queryset:
            try:
                mailed = publish_event(event=event)
            except RegistrationError as error:
                self.message_user(request, error.message, messages.ERROR)
                continue
            self.message_user(
                request,
                format_html(
                    _("‘{}’ staat op de site. E-mails aan wie op bericht wachtte: {}."),
                    event.title,
                    mailed,
                ),
                messages.SUCCESS,
            )

    @admin.action(description=_("Van de site halen"), permissions=["change"])
    def unpublish(self, request: HttpRequest, queryset: QuerySet[Event]) -> None:
        for event in queryset:
            unpublish_event(event=event)
            self.message_user(
                request,
                format_html(_("‘{}’ staat niet meer op de site."), event.title),
                messages.SUCCESS,
            )

    def get_urls(self):
        return [
            *event_urls(self.admin_site),
            *event_invoice_urls(self.admin_site),
            *door_urls(self.admin_site),
            *evaluation_urls(self.admin_site),
            *super().get_urls(),
        ]

    def view_on_site(self, event: Event) -> str:
        return reverse("registrations:event_detail", args=[event.slug])

    def save_related(self, request: HttpRequest, form, formsets, change: bool) -> None:
        super().save_related(request, form, formsets, change)
        if change:
            refresh_after_change(self, request, form.instance)

    @admin.display(description=_("overzicht"))
    def overview_link(self, event: Event) -> str:
        url = reverse("admin:theme_sessions_event_overview", args=[event.pk])
        return format_html('<a href="{}">{}</a>', url, _("Overzicht"))


class ThemeSessionWithSignupsAdmin(ThemeSessionAdmin):
    def save_model(self, request: HttpRequest, obj: ThemeSession, form, change: bool) -> None:
        super().save_model(request, obj, form, change)
        if change:
            refresh_after_change(self, request, obj.event)


admin.site.unregister(Event)
admin.site.register(Event, EventWithSignupsAdmin)
admin.site.unregister(ThemeSession)
admin.site.register(ThemeSession, ThemeSessionWithSignupsAdmin)

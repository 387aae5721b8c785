"""The record of mail beyond one sign-up: messages to attendees (each recipient with the status
of their mail), invitations, addresses waiting for news, and unsubscribed addresses."""

from django.contrib import admin
from django.db.models import Count
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from registrations.models import Invitation, Mailing, OutboxMail, Subscriber, Suppression


class ReadOnlyAdmin(admin.ModelAdmin):
    """Written by the pages that send, never by hand."""

    def has_add_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        return False


class MailInline(admin.TabularInline):
    model = OutboxMail
    fields = ["recipient", "status", "attempts", "sent_at", "last_error"]
    readonly_fields = fields
    extra = 0
    can_delete = False
    verbose_name = _("e-mail")
    verbose_name_plural = _("e-mails per ontvanger")

    def has_add_permission(self, request: HttpRequest, obj=None) -> bool:
        return False


@admin.register(Mailing)
class MailingAdmin(ReadOnlyAdmin):
    list_display = ["subject", "event", "audience", "recipients", "created_at", "created_by"]
    list_filter = ["event"]
    list_select_related = ["event", "created_by"]
    fields = ["event", "audience", "session", "subject", "body", "created_by", "created_at"]
    readonly_fields = fields
    inlines = [MailInline]

    def get_queryset(self, request: HttpRequest):
        return super().get_queryset(request).annotate(recipient_count=Count("mails"))

    @admin.display(description=_("ontvangers"), ordering="recipient_count")
    def recipients(self, mailing: Mailing) -> int:
        return mailing.recipient_count


@admin.register(Invitation)
class InvitationAdmin(ReadOnlyAdmin):
    list_display = ["email", "organisation", "event", "created_at"]
    list_filter = ["event"]
    list_select_related = ["event", "organisation"]
    search_fields = ["email", "organisation__name"]


@admin.register(Subscriber)
class SubscriberAdmin(ReadOnlyAdmin):
    list_display = ["email", "announcement", "confirmed_at", "notified_at"]
    list_filter = ["announcement"]
    list_select_related = ["announcement"]
    search_fields = ["email"]
    exclude = ["token"]


@admin.register(Suppression)
class SuppressionAdmin(ReadOnlyAdmin):
    list_display = ["address_hash", "created_at"]

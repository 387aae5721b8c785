"""The outbox in the back office: every mail, whether it went out, and resending failed ones."""

from django.contrib import admin, messages
from django.db.models import Count, Min, Q, QuerySet
from django.http import HttpRequest, HttpResponse
from django.template.defaultfilters import truncatechars
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from registrations.models import MailStatus, OutboxMail
from registrations.outbox import resend_mails

MAIL_FIELDS = [
    "created_at",
    "kind",
    "recipient",
    "status",
    "attempts",
    "last_error",
    "next_try_at",
    "sent_at",
]


def queue_summary() -> dict:
    """Return when the oldest unsent mail was queued and how many mails failed, in one query."""
    return OutboxMail.objects.aggregate(
        oldest_unsent=Min(
            "created_at", filter=Q(status__in=[MailStatus.QUEUED, MailStatus.SENDING])
        ),
        failed=Count("pk", filter=Q(status=MailStatus.FAILED)),
    )


class MailInline(admin.TabularInline):
    """The mails about a sign-up, newest first: whether they went out, and the last error."""

    model = OutboxMail
    extra = 0
    can_delete = False
    fields = MAIL_FIELDS
    readonly_fields = MAIL_FIELDS
    show_change_link = True
    verbose_name_plural = gettext_lazy("e-mails")

    def has_add_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        return False


@admin.register(OutboxMail)
class OutboxMailAdmin(admin.ModelAdmin):
    list_display = [
        "created_at",
        "kind",
        "recipient",
        "registration",
        "status",
        "attempts",
        "error",
        "next_try_at",
        "sent_at",
    ]
    list_filter = ["status", "kind"]
    list_select_related = ["registration__organisation", "registration__event"]
    search_fields = ["recipient", "registration__organisation__name"]
    fields = ["registration", *MAIL_FIELDS, "language", "message", "params", "claimed_at"]
    readonly_fields = fields
    actions = ["resend"]
    date_hierarchy = "created_at"
    show_full_result_count = False

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # mails are written by the sign-up, change and reminder functions

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        return False  # the outbox is the record of what was sent

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        # A mail's page is read-only; the permission only allows the resend action.
        return obj is None and super().has_change_permission(request)

    def changelist_view(self, request: HttpRequest, extra_context=None) -> HttpResponse:
        return super().changelist_view(
            request, {**(extra_context or {}), "mail_queue": queue_summary()}
        )

    @admin.display(description=gettext_lazy("laatste fout"))
    def error(self, mail: OutboxMail) -> str:
        return truncatechars(mail.last_error, 80)

    @admin.action(description=gettext_lazy("Opnieuw versturen"), permissions=["change"])
    def resend(self, request: HttpRequest, queryset: QuerySet[OutboxMail]) -> None:
        queued, refused = resend_mails(mails=queryset)
        if queued:
            self.message_user(
                request,
                _("%(count)d e-mail(s) opnieuw in de wachtrij gezet.") % {"count": len(queued)},
                messages.SUCCESS,
            )
        for mail in refused:
            self.message_user(
                request,
                _("%(mail)s: niet opnieuw verstuurd, want de status is ‘%(status)s’.")
                % {"mail": mail, "status": mail.get_status_display()}
                if mail.recipient
                else _("%(mail)s: niet opnieuw verstuurd, want het adres is gewist.")
                % {"mail": mail},
                messages.ERROR,
            )

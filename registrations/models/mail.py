"""The outbox: every mail the site sends, one row per address per send.

A row is written in the transaction that causes the mail and holds what the worker needs to
write it then (kind, sign-up, language and, for a change, the untranslated line that says
what changed); `registrations.outbox` sends it and records how that went.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower
from django.utils.translation import gettext_lazy as _

from registrations.models.campaigns import Mailing
from registrations.models.signups import Registration


class MailKind(models.TextChoices):
    CONFIRMATION = "confirmation", _("bevestiging")
    PROMOTED = "promoted", _("plaats vrijgekomen")
    CHANGE = "change", _("wijziging")
    REMINDER = "reminder", _("herinnering")
    EVALUATION = "evaluation", _("evaluatie")
    STAFF_NEW = "staff_new", _("melding aan Atrivé: nieuwe aanmelding")
    STAFF_CHANGE = "staff_change", _("melding aan Atrivé: wijziging")
    INVOICE = "invoice", _("factuur")
    PAYMENT_REMINDER = "payment_reminder", _("betalingsherinnering")
    NOTIFY_CONFIRM = "notify_confirm", _("bevestig: bericht als aanmelden kan")
    SIGNUP_OPEN = "signup_open", _("aanmelden kan")
    INVITATION = "invitation", _("uitnodiging")
    MAILING = "mailing", _("bericht aan deelnemers")


# Mails that belong to no one sign-up; `registrations.campaign_mails` writes them.
CAMPAIGN_KINDS = {
    MailKind.NOTIFY_CONFIRM,
    MailKind.SIGNUP_OPEN,
    MailKind.INVITATION,
    MailKind.MAILING,
}


class MailStatus(models.TextChoices):
    QUEUED = "queued", _("in de wachtrij")
    SENDING = "sending", _("wordt verstuurd")
    SENT = "sent", _("verstuurd")
    FAILED = "failed", _("mislukt")
    DROPPED = "dropped", _("niet meer nodig")


class OutboxMailQuerySet(models.QuerySet):
    def unsent(self) -> "OutboxMailQuerySet":
        """Mails still to be tried: waiting in the queue or being sent right now."""
        return self.filter(status__in=[MailStatus.QUEUED, MailStatus.SENDING])


class OutboxMail(models.Model):
    kind = models.CharField(_("soort"), max_length=20, choices=MailKind.choices)
    registration = models.ForeignKey(
        Registration,
        on_delete=models.CASCADE,
        related_name="mails",
        verbose_name=_("aanmelding"),
        # Empty for a mail about no one sign-up: an invitation, a notify-me mail.
        null=True,
        blank=True,
    )
    mailing = models.ForeignKey(
        Mailing,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="mails",
        verbose_name=_("bericht aan deelnemers"),
    )
    # Emptied when the sign-up is anonymised or the person asks to be erased.
    recipient = models.EmailField(_("ontvanger"), blank=True)
    language = models.CharField(_("taal"), max_length=10, choices=settings.LANGUAGES)
    # A change mail's first line, stored untranslated and translated when the mail is written.
    message = models.CharField(_("bericht"), max_length=300, blank=True)
    params = models.JSONField(_("gegevens bij het bericht"), default=dict, blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=MailStatus.choices, default=MailStatus.QUEUED
    )
    attempts = models.PositiveSmallIntegerField(_("pogingen"), default=0)
    next_try_at = models.DateTimeField(_("volgende poging"), null=True, blank=True)
    claimed_at = models.DateTimeField(_("laatste poging begonnen"), null=True, blank=True)
    sent_at = models.DateTimeField(_("verstuurd op"), null=True, blank=True)
    last_error = models.TextField(_("laatste fout"), blank=True)
    created_at = models.DateTimeField(_("aangemaakt"), auto_now_add=True)

    objects = OutboxMailQuerySet.as_manager()

    class Meta:
        verbose_name = _("uitgaande e-mail")
        verbose_name_plural = _("uitgaande e-mails")
        ordering = ["-created_at", "-pk"]
        constraints = [
            # The reminder run is safe to repeat: at most one reminder per sign-up and address.
            models.UniqueConstraint(
                "registration",
                Lower("recipient"),
                condition=Q(kind=MailKind.REMINDER) & ~Q(recipient=""),
                name="outbox_one_reminder_per_address",
            ),
            # Likewise the evaluation run: one evaluation mail per sign-up and address.
            models.UniqueConstraint(
                "registration",
                Lower("recipient"),
                condition=Q(kind=MailKind.EVALUATION) & ~Q(recipient=""),
                name="outbox_one_evaluation_per_address",
            ),
        ]
        indexes = [
            # The oldest unsent mail (health check, admin) and the sweeper's scan.
            models.Index(fields=["status", "created_at"], name="outbox_status_created"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} – {self.recipient or '…'}"

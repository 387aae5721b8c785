"""Invoice documents with their numbers, and payments: what was sent and what came in.

An organisation's account at an event (`Invoice`) says what it owes now. Each document sent
for it (`InvoiceDocument`: an invoice, an additional invoice or a credit note) is a fixed
record with a number from one sequence per year (`InvoiceNumberSequence`); a change in what
is owed after sending produces a new document, never a changed one. `Payment` rows are what
came in, in parts or at once.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from registrations.models.organisations import Invoice


class InvoiceNumberSequence(models.Model):
    """The last number given out in one year; its row is locked while a number is taken."""

    year = models.PositiveSmallIntegerField(_("jaar"), unique=True)
    last_number = models.PositiveIntegerField(_("laatste nummer"), default=0)

    class Meta:
        verbose_name = _("factuurnummerreeks")
        verbose_name_plural = _("factuurnummerreeksen")
        ordering = ["year"]

    def __str__(self) -> str:
        return f"{self.year}: {self.last_number}"


class DocumentKind(models.TextChoices):
    INVOICE = "invoice", _("factuur")
    ADDITIONAL = "additional", _("aanvullende factuur")
    CREDIT_NOTE = "credit_note", _("creditnota")


class InvoiceDocument(models.Model):
    """One invoice or credit note as sent: numbered, dated and never changed afterwards.

    What it shows (organisation, invoice details, lines) is copied in when it is issued, so
    the PDF made from it later is the same document. A credit note's amount is negative, so
    the amounts of an account's documents add up to what was invoiced.
    """

    account = models.ForeignKey(
        Invoice,
        on_delete=models.PROTECT,
        related_name="documents",
        verbose_name=_("rekening"),
    )
    number = models.CharField(_("nummer"), max_length=20, unique=True)
    year = models.PositiveSmallIntegerField(_("jaar"))
    sequence = models.PositiveIntegerField(_("volgnummer"))
    kind = models.CharField(_("soort"), max_length=20, choices=DocumentKind.choices)
    issued_on = models.DateField(_("datum"))
    due_on = models.DateField(_("te betalen voor"))
    amount = models.DecimalField(_("bedrag"), max_digits=8, decimal_places=2)
    organisation_name = models.CharField(_("organisatie"), max_length=200)
    attention = models.CharField(_("ter attentie van"), max_length=200, blank=True)
    address = models.TextField(_("factuuradres"), blank=True)
    customer_reference = models.CharField(_("uw kenmerk"), max_length=100, blank=True)
    # [{"description": ..., "amount": "85.00"}, ...], written when issued.
    lines = models.JSONField(_("regels"), default=list)
    # The document this one corrects (an additional invoice or credit note), if any.
    corrects = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="corrections",
        verbose_name=_("correctie op"),
    )
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("uitgegeven door"),
    )
    created_at = models.DateTimeField(_("aangemaakt"), auto_now_add=True)

    class Meta:
        verbose_name = _("factuurdocument")
        verbose_name_plural = _("factuurdocumenten")
        ordering = ["year", "sequence"]
        constraints = [
            models.UniqueConstraint(fields=["year", "sequence"], name="document_number_once"),
            models.CheckConstraint(
                condition=Q(kind=DocumentKind.CREDIT_NOTE, amount__lt=0)
                | (~Q(kind=DocumentKind.CREDIT_NOTE) & Q(amount__gt=0)),
                name="document_amount_sign_follows_kind",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.number}"

    def save(self, *args, **kwargs) -> None:
        # An issued document is a record of what was sent: a change is a new document.
        if not self._state.adding:
            raise ValueError(f"Invoice document {self.number} was issued and cannot change.")
        super().save(*args, **kwargs)


class Payment(models.Model):
    """Money received on an account: a part or the whole, on a date, with a note."""

    account = models.ForeignKey(
        Invoice,
        on_delete=models.PROTECT,
        related_name="payments",
        verbose_name=_("rekening"),
    )
    paid_on = models.DateField(_("betaald op"))
    amount = models.DecimalField(_("bedrag"), max_digits=8, decimal_places=2)
    note = models.CharField(_("notitie"), max_length=200, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("vastgelegd door"),
    )
    created_at = models.DateTimeField(_("vastgelegd op"), auto_now_add=True)

    class Meta:
        verbose_name = _("betaling")
        verbose_name_plural = _("betalingen")
        ordering = ["paid_on", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="payment_amount_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.paid_on}: {self.amount}"

"""Tenant organisations and what each owes for an event."""

from decimal import Decimal

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from registrations.text import single_line
from sessions.models import Event


def normalise_name(name: str) -> str:
    """Return the key two spellings of one organisation name share (case and spaces ignored)."""
    return " ".join(name.split()).casefold()


class Organisation(models.Model):
    name = models.CharField(_("naam"), max_length=200)
    # Case folding can make a name longer ("ß" becomes "ss"), so the key has room to spare.
    name_key = models.CharField(_("zoeksleutel"), max_length=600, unique=True, editable=False)
    created_at = models.DateTimeField(_("aangemaakt"), auto_now_add=True)

    class Meta:
        verbose_name = _("organisatie")
        verbose_name_plural = _("organisaties")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs) -> None:
        self.name = single_line(self.name)
        self.name_key = normalise_name(self.name)
        super().save(*args, **kwargs)


class Invoice(models.Model):
    """What one organisation owes for one event, and whether it has paid.

    The amount and head count are recomputed by the services on every sign-up, change and
    cancellation, so lists and exports read them without pricing each row again.
    """

    event = models.ForeignKey(
        Event, on_delete=models.PROTECT, related_name="invoices", verbose_name=_("bijeenkomst")
    )
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="invoices",
        verbose_name=_("organisatie"),
    )
    reference = models.CharField(_("factuurnummer"), max_length=50, blank=True)
    attendee_count = models.PositiveIntegerField(_("deelnemers"), default=0)
    amount_due = models.DecimalField(
        _("te betalen"), max_digits=8, decimal_places=2, default=Decimal("0.00")
    )
    amount_paid = models.DecimalField(
        _("betaald bedrag"), max_digits=8, decimal_places=2, default=Decimal("0.00")
    )
    paid_at = models.DateTimeField(_("betaald op"), null=True, blank=True)
    updated_at = models.DateTimeField(_("gewijzigd"), auto_now=True)

    class Meta:
        verbose_name = _("factuur")
        verbose_name_plural = _("facturen")
        ordering = ["event", "organisation__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["event", "organisation"], name="invoice_one_per_organisation_per_event"
            ),
            models.CheckConstraint(
                condition=Q(amount_due__gte=0), name="invoice_amount_due_not_negative"
            ),
            models.CheckConstraint(
                condition=Q(amount_paid__gte=0), name="invoice_amount_paid_not_negative"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.organisation} – {self.event}"

    @property
    def balance(self) -> Decimal:
        """Return what is still to be paid (negative when more was paid than is owed)."""
        return self.amount_due - self.amount_paid

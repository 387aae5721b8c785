"""Tenant organisations and what each owes for an event."""

from decimal import Decimal

from django.db import models
from django.db.models import Count, Max, Q
from django.utils.translation import gettext_lazy as _

from registrations.models.names import normalise_name
from registrations.text import single_line
from sessions.models import Event


class OrganisationQuerySet(models.QuerySet):
    def current(self) -> "OrganisationQuerySet":
        """Leave out organisations merged into another: they live on as a spelling only."""
        return self.filter(merged_into__isnull=True)

    def suggestions(self) -> "OrganisationQuerySet":
        """The names the public sign-up form suggests: current ones staff did not hide."""
        return self.current().filter(hidden_from_suggestions=False).order_by("name")

    def list_version(self) -> str:
        """Return a value that changes with every write to any organisation (one query).

        Every save raises `updated_at`; a deletion lowers the count. The cached sign-up form,
        which suggests organisation names, is keyed on it (see docs/architecture.md).
        """
        figures = self.aggregate(count=Count("pk"), last=Max("updated_at"))
        last = figures["last"].timestamp() if figures["last"] else 0
        return f"{figures['count']}.{last}"


class Organisation(models.Model):
    name = models.CharField(_("naam"), max_length=200)
    # Case folding can make a name longer ("ß" becomes "ss"), so the key has room to spare.
    name_key = models.CharField(_("zoeksleutel"), max_length=600, unique=True, editable=False)
    hidden_from_suggestions = models.BooleanField(
        _("niet voorstellen"),
        default=False,
        help_text=_(
            "Aangevinkt: het aanmeldformulier stelt deze naam niet voor als iemand een "
            "organisatie typt."
        ),
    )
    # A merged organisation stays as a known spelling: a sign-up that types its name is booked
    # on the organisation it was merged into (see registrations.organisations).
    merged_into = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="merged",
        verbose_name=_("samengevoegd met"),
        editable=False,
    )
    created_at = models.DateTimeField(_("aangemaakt"), auto_now_add=True)
    updated_at = models.DateTimeField(_("gewijzigd"), auto_now=True, db_index=True)

    objects = OrganisationQuerySet.as_manager()

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
    """The account of one organisation at one event: what it owes and what it has paid.

    The amount and head count are recomputed by the services on every sign-up, change and
    cancellation, so lists and exports read them without pricing each row again. The
    documents sent (`InvoiceDocument`: invoices and credit notes with their own numbers) and
    the payments received (`Payment`) hang from it; `amount_paid` is the sum of the payments.
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
    # Older free-text field (before numbered invoice documents); kept for what staff wrote.
    reference = models.CharField(
        _("eerder factuurnummer"),
        max_length=50,
        blank=True,
        help_text=_("Met de hand ingevuld, van vóór de genummerde facturen."),
    )
    # The invoice details the organisation gives (once, optionally, on the sign-up form).
    attention = models.CharField(_("ter attentie van"), max_length=200, blank=True)
    address = models.TextField(_("factuuradres"), max_length=500, blank=True)
    customer_reference = models.CharField(
        _("uw kenmerk"),
        max_length=100,
        blank=True,
        help_text=_("Het eigen kenmerk of ordernummer van de organisatie, voor op de factuur."),
    )
    attendee_count = models.PositiveIntegerField(_("deelnemers"), default=0)
    amount_due = models.DecimalField(
        _("te betalen"), max_digits=8, decimal_places=2, default=Decimal("0.00")
    )
    amount_paid = models.DecimalField(
        _("betaald bedrag"), max_digits=8, decimal_places=2, default=Decimal("0.00")
    )
    paid_at = models.DateTimeField(_("betaald op"), null=True, blank=True)
    # Set when organisations were merged after documents went out: the next issue run
    # credits everything sent and issues one new invoice for the whole amount.
    needs_reissue = models.BooleanField(_("opnieuw factureren"), default=False, editable=False)
    # The highest payment reminder sent (0: none); each level is mailed once.
    reminder_level = models.PositiveSmallIntegerField(
        _("herinneringen verstuurd"), default=0, editable=False
    )
    updated_at = models.DateTimeField(_("gewijzigd"), auto_now=True)

    class Meta:
        verbose_name = _("factuur")
        verbose_name_plural = _("facturen")
        ordering = ["event", "organisation__name"]
        permissions = [
            (
                "manage_invoices",
                _("Kan facturen uitsturen, betalingen vastleggen en facturen exporteren"),
            ),
        ]
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

    @property
    def overpaid(self) -> Decimal:
        """Return how much more was paid than is owed (zero when not)."""
        return max(self.amount_paid - self.amount_due, Decimal("0.00"))

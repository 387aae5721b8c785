"""Who comes: organisations, their sign-ups (registrations) and the board members attending."""

import secrets
from decimal import Decimal

from django.db import models
from django.db.models import Count, Q
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from registrations.pricing import organisation_amount_due
from sessions.models import Event, ThemeSession


def normalise_name(name: str) -> str:
    """Return the key two spellings of one organisation name share (case and spaces ignored)."""
    return " ".join(name.split()).casefold()


def new_token() -> str:
    """Return a fresh secret for a registration's manage link (256 bits)."""
    return secrets.token_urlsafe(32)


class Status(models.TextChoices):
    CONFIRMED = "confirmed", _("aangemeld")
    WAITING = "waiting", _("op de wachtlijst")
    CANCELLED = "cancelled", _("afgemeld")


class Organisation(models.Model):
    name = models.CharField(_("naam"), max_length=200)
    name_key = models.CharField(_("zoeksleutel"), max_length=200, unique=True, editable=False)
    created_at = models.DateTimeField(_("aangemaakt"), auto_now_add=True)

    class Meta:
        verbose_name = _("organisatie")
        verbose_name_plural = _("organisaties")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs) -> None:
        self.name = " ".join(self.name.split())
        self.name_key = normalise_name(self.name)
        super().save(*args, **kwargs)

    def amount_due(self, event: Event) -> Decimal:
        """Return what this organisation owes for `event`, over all its sign-ups together."""
        attending_per_signup = (
            Attendee.objects.confirmed()
            .filter(event=event, registration__organisation=self)
            .values("registration")
            .annotate(count=Count("pk"))
            .values_list("count", flat=True)
        )
        return organisation_amount_due(
            tiers=event.price_tiers_map(), attending_per_signup=attending_per_signup
        )


class Registration(models.Model):
    event = models.ForeignKey(
        Event,
        on_delete=models.PROTECT,
        related_name="registrations",
        verbose_name=_("bijeenkomst"),
    )
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="registrations",
        verbose_name=_("organisatie"),
    )
    contact_name = models.CharField(_("naam contactpersoon"), max_length=200)
    contact_email = models.EmailField(_("e-mail contactpersoon"))
    contact_phone = models.CharField(_("telefoon contactpersoon"), max_length=40, blank=True)
    remarks = models.TextField(_("opmerkingen"), blank=True, max_length=2000)
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.CONFIRMED
    )
    token = models.CharField(
        _("geheime sleutel"), max_length=64, unique=True, default=new_token, editable=False
    )
    consent_at = models.DateTimeField(_("toestemming gegeven op"))
    privacy_version = models.CharField(_("versie privacyverklaring"), max_length=20)
    created_at = models.DateTimeField(_("aangemeld op"), auto_now_add=True, db_index=True)
    updated_at = models.DateTimeField(_("gewijzigd"), auto_now=True)

    class Meta:
        verbose_name = _("aanmelding")
        verbose_name_plural = _("aanmeldingen")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.organisation} – {self.event.title}"

    def get_absolute_url(self) -> str:
        return reverse("registrations:detail", kwargs={"token": self.token})


class AttendeeQuerySet(models.QuerySet):
    def confirmed(self) -> "AttendeeQuerySet":
        return self.filter(status=Status.CONFIRMED)


class Attendee(models.Model):
    registration = models.ForeignKey(
        Registration,
        on_delete=models.CASCADE,
        related_name="attendees",
        verbose_name=_("aanmelding"),
    )
    # The event is repeated from the registration so the database can hold one e-mail
    # address to one place per event.
    event = models.ForeignKey(
        Event, on_delete=models.PROTECT, related_name="attendees", verbose_name=_("bijeenkomst")
    )
    session = models.ForeignKey(
        ThemeSession,
        on_delete=models.PROTECT,
        related_name="attendees",
        verbose_name=_("themasessie"),
    )
    name = models.CharField(_("naam"), max_length=200)
    email = models.EmailField(_("e-mail"))
    dietary_wishes = models.CharField(_("dieetwensen"), max_length=300, blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.CONFIRMED
    )
    created_at = models.DateTimeField(_("aangemeld op"), auto_now_add=True)

    objects = AttendeeQuerySet.as_manager()

    class Meta:
        verbose_name = _("deelnemer")
        verbose_name_plural = _("deelnemers")
        ordering = ["registration", "pk"]
        constraints = [
            models.UniqueConstraint(
                Lower("email"),
                "event",
                condition=~Q(status=Status.CANCELLED),
                name="attendee_email_once_per_event",
                violation_error_message=_("Dit e-mailadres is al aangemeld voor deze bijeenkomst."),
            ),
        ]
        indexes = [models.Index(fields=["session", "status"], name="attendee_session_status")]

    def __str__(self) -> str:
        return self.name

"""Sign-ups (registrations), the board members attending, and the status both share."""

import hmac
import secrets

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from participatielab.validators import validate_email_domain
from registrations.models.names import person_key
from registrations.models.organisations import Invoice, Organisation
from registrations.text import single_line
from sessions.models import Event, ThemeSession

LOOKUP_LENGTH = 12


def new_lookup() -> str:
    """Return a fresh public half of a manage link: finds the row, proves nothing."""
    return secrets.token_urlsafe(9)[:LOOKUP_LENGTH]


def new_secret() -> str:
    """Return a fresh secret half of a manage link (256 bits)."""
    return secrets.token_urlsafe(32)


class Status(models.TextChoices):
    CONFIRMED = "confirmed", _("aangemeld")
    WAITING = "waiting", _("op de wachtlijst")
    CANCELLED = "cancelled", _("afgemeld")


class ManageLink(models.Model):
    """A secret link to manage a sign-up (the contact person's) or one's own place (a member's).

    The link carries lookup + secret: the lookup finds the row through an index, the secret is
    then compared in constant time, so response times reveal nothing about it.
    """

    manage_lookup = models.CharField(
        _("beheersleutel"),
        max_length=LOOKUP_LENGTH,
        unique=True,
        default=new_lookup,
        editable=False,
    )
    manage_secret = models.CharField(_("geheim"), max_length=64, default=new_secret, editable=False)

    class Meta:
        abstract = True

    @property
    def token(self) -> str:
        """Return the secret token of this row's manage link."""
        return f"{self.manage_lookup}{self.manage_secret}"

    @classmethod
    def from_token(cls, token: str, queryset: "models.QuerySet | None" = None):
        """Return the row a manage-link token belongs to, or None.

        The secret half is compared with `hmac.compare_digest`, never with `==`.
        """
        lookup, secret = token[:LOOKUP_LENGTH], token[LOOKUP_LENGTH:]
        if len(lookup) != LOOKUP_LENGTH or not secret:
            return None
        row = (
            (queryset if queryset is not None else cls.objects).filter(manage_lookup=lookup).first()
        )
        if row is None or not row.manage_secret:
            return None
        if not hmac.compare_digest(row.manage_secret.encode(), secret.encode()):
            return None
        return row


class Registration(ManageLink):
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
    invoice = models.ForeignKey(
        Invoice,
        on_delete=models.PROTECT,
        related_name="registrations",
        verbose_name=_("factuur"),
        editable=False,
    )
    contact_name = models.CharField(_("naam contactpersoon"), max_length=200)
    contact_email = models.EmailField(
        _("e-mail contactpersoon"), validators=[validate_email_domain]
    )
    contact_phone = models.CharField(_("telefoon contactpersoon"), max_length=40, blank=True)
    remarks = models.TextField(_("opmerkingen"), blank=True, max_length=2000)
    # Follows the board members: confirmed when anyone in it is confirmed, waiting when all
    # still coming wait, cancelled when nobody is left (`registrations.signup.settle_status`).
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.CONFIRMED
    )
    # The group chose to wait as a whole when the evening had too few places: its waiting
    # members move in together, or not at all.
    wait_as_group = models.BooleanField(_("wacht als groep"), default=False)
    # The opt-out offered where the address is collected: never invited to a next lab.
    no_invitations = models.BooleanField(
        _("geen uitnodigingen voor volgende Participatielabs"), default=False
    )
    # When the mail that says how the sign-up stands (confirmation, waiting list, "there is a
    # place") reached the contact person; written by the outbox, emptied when it is out of date.
    confirmation_sent_at = models.DateTimeField(
        _("bevestiging verstuurd op"), null=True, blank=True
    )
    anonymised_at = models.DateTimeField(_("geanonimiseerd op"), null=True, blank=True)
    # A walk-in at the door let in beyond the maximum: the staff member's explicit choice.
    over_capacity = models.BooleanField(_("boven het maximum toegelaten"), default=False)
    over_capacity_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("boven het maximum toegelaten door"),
    )
    language = models.CharField(
        _("taal"), max_length=10, choices=settings.LANGUAGES, default=settings.LANGUAGE_CODE
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

    def waiting(self) -> "AttendeeQuerySet":
        return self.filter(status=Status.WAITING)

    def active(self) -> "AttendeeQuerySet":
        """Board members still coming or waiting to: everyone not cancelled."""
        return self.exclude(status=Status.CANCELLED)

    def for_export(self) -> "AttendeeQuerySet":
        """Order an attendee export: grouped by organisation, then by sign-up."""
        return self.order_by("registration__organisation__name", "registration__created_at", "pk")


class Attendee(ManageLink):
    """A board member. The manage link is the member's own (see `registrations.audience`):
    it is only mailed to an address nobody else in the sign-up uses."""

    registration = models.ForeignKey(
        Registration,
        on_delete=models.CASCADE,
        related_name="attendees",
        verbose_name=_("aanmelding"),
    )
    # The event and organisation are repeated from the registration so the database can hold
    # one person to one place per event; every writer that changes a sign-up's organisation
    # changes its members' too.
    event = models.ForeignKey(
        Event, on_delete=models.PROTECT, related_name="attendees", verbose_name=_("bijeenkomst")
    )
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="attendees",
        verbose_name=_("organisatie"),
        editable=False,
    )
    session = models.ForeignKey(
        ThemeSession,
        on_delete=models.PROTECT,
        related_name="attendees",
        verbose_name=_("themasessie"),
    )
    name = models.CharField(_("naam"), max_length=200)
    # The name as `person_key` writes it, set by `set_name`; empty once erased, so an erased
    # person is nobody's double.
    name_key = models.CharField(_("naamsleutel"), max_length=600, editable=False)
    # Optional and may be shared (secretariaat@): who has no own address hears everything
    # through the contact person.
    email = models.EmailField(_("e-mail"), blank=True, validators=[validate_email_domain])
    dietary_wishes = models.CharField(_("dieetwensen"), max_length=300, blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.CONFIRMED
    )
    created_at = models.DateTimeField(_("aangemeld op"), auto_now_add=True)
    # Presence on the evening: set at the door (check-in), kept for the evaluation.
    checked_in_at = models.DateTimeField(_("aanwezig gemeld op"), null=True, blank=True)
    checked_in_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("aanwezig gemeld door"),
    )

    objects = AttendeeQuerySet.as_manager()

    class Meta:
        verbose_name = _("deelnemer")
        verbose_name_plural = _("deelnemers")
        ordering = ["registration", "pk"]
        constraints = [
            # One person attends an event once: the same name at the same organisation.
            models.UniqueConstraint(
                fields=["event", "organisation", "name_key"],
                condition=~Q(status=Status.CANCELLED) & ~Q(name_key=""),
                name="attendee_once_per_event",
                violation_error_message=_("Deze persoon is al aangemeld voor deze bijeenkomst."),
            ),
        ]
        indexes = [models.Index(fields=["session", "status"], name="attendee_session_status")]
        permissions = [
            ("export_personal_data", _("Kan deelnemerslijsten en presentielijsten exporteren")),
            ("check_in_attendee", _("Kan deelnemers aanwezig melden en de desklijst openen")),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("registrations:member", kwargs={"token": self.token})

    def set_name(self, name: str) -> None:
        """Set the name and the key that tells whether this person is signed up already."""
        self.name = single_line(name)
        self.name_key = person_key(self.name)

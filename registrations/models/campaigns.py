"""Mail beyond one sign-up: people waiting to hear when sign-up opens, invitations to a new lab,
messages from staff to an event's attendees, and the addresses that want no more of them.

An address that unsubscribed is kept only as a suppression entry: the SHA-256 of the address
as normalised by `normalise_address` (trimmed, lower case), never the address itself. It can
only be matched against an address one has already (a list that is about to be invited), which
is all it is for; the notify-me rows of that address are deleted when it unsubscribes.
"""

import hashlib

from django.conf import settings
from django.db import models
from django.db.models.functions import Lower
from django.utils.translation import gettext_lazy as _

from registrations.models.organisations import Organisation
from registrations.models.signups import new_secret
from sessions.models import Announcement, Event, ThemeSession


def normalise_address(address: str) -> str:
    return address.strip().lower()


def address_hash(address: str) -> str:
    """Return what a suppression entry stores for an address: the hash of its normal form."""
    return hashlib.sha256(normalise_address(address).encode()).hexdigest()


class Suppression(models.Model):
    address_hash = models.CharField(_("hash van het adres"), max_length=64, unique=True)
    created_at = models.DateTimeField(_("afgemeld op"), auto_now_add=True)

    class Meta:
        verbose_name = _("afgemeld adres")
        verbose_name_plural = _("afgemelde adressen")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.address_hash[:12]}…"


class Subscriber(models.Model):
    """Someone who wants a mail when sign-up for an announced lab opens (double opt-in)."""

    announcement = models.ForeignKey(
        Announcement,
        on_delete=models.CASCADE,
        related_name="subscribers",
        verbose_name=_("aankondiging"),
    )
    email = models.EmailField(_("e-mailadres"))
    address_hash = models.CharField(_("hash van het adres"), max_length=64, db_index=True)
    language = models.CharField(
        _("taal"), max_length=10, choices=settings.LANGUAGES, default=settings.LANGUAGE_CODE
    )
    token = models.CharField(_("code"), max_length=64, unique=True, default=new_secret)
    confirmed_at = models.DateTimeField(_("bevestigd op"), null=True, blank=True)
    notified_at = models.DateTimeField(_("bericht verstuurd op"), null=True, blank=True)
    created_at = models.DateTimeField(_("aangemeld op"), auto_now_add=True)

    class Meta:
        verbose_name = _("wacht op bericht")
        verbose_name_plural = _("wachten op bericht")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                "announcement", Lower("email"), name="subscriber_one_per_address"
            ),
        ]

    def __str__(self) -> str:
        return self.email


class Invitation(models.Model):
    """One invitation to one address for one lab; the database allows no second."""

    event = models.ForeignKey(
        Event, on_delete=models.CASCADE, related_name="invitations", verbose_name=_("bijeenkomst")
    )
    email = models.EmailField(_("e-mailadres"))
    name = models.CharField(_("naam"), max_length=200, blank=True)
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="invitations",
        verbose_name=_("organisatie"),
    )
    created_at = models.DateTimeField(_("uitgenodigd op"), auto_now_add=True)

    class Meta:
        verbose_name = _("uitnodiging")
        verbose_name_plural = _("uitnodigingen")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                "event", Lower("email"), name="invitation_one_per_address_per_lab"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.email} – {self.event.title}"


class MailingAudience(models.TextChoices):
    ATTENDEES = "attendees", _("alle deelnemers")
    SESSION = "session", _("de deelnemers van één sessie")
    WAITING = "waiting", _("de wachtlijst")
    CONTACTS = "contacts", _("de contactpersonen")


class Mailing(models.Model):
    """A message staff wrote to (part of) an event's people; each mail is an outbox row."""

    event = models.ForeignKey(
        Event, on_delete=models.CASCADE, related_name="mailings", verbose_name=_("bijeenkomst")
    )
    audience = models.CharField(_("aan"), max_length=20, choices=MailingAudience.choices)
    session = models.ForeignKey(
        ThemeSession,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("themasessie"),
    )
    subject = models.CharField(_("onderwerp"), max_length=200)
    body = models.TextField(_("bericht"), max_length=10000)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("door"),
    )
    created_at = models.DateTimeField(_("verstuurd op"), auto_now_add=True)

    class Meta:
        verbose_name = _("bericht aan deelnemers")
        verbose_name_plural = _("berichten aan deelnemers")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return self.subject

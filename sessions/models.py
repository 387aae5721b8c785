"""What is on offer: an event (one Participatielab), its theme sessions, programme and prices."""

import datetime
import json
from decimal import Decimal
from urllib.parse import urlencode

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from participatielab.validators import validate_email_domain
from sessions import page_cache
from sessions.announcements import Announcement
from sessions.contacts import Contact
from sessions.images import HEADER_IMAGE, ResponsiveImageField
from sessions.reports import ReportField
from sessions.site_settings import SiteSettings

# Defined in modules of their own, models of this app all the same.
__all__ = ["Announcement", "Contact", "SiteSettings"]

# Paths directly under the site root that an event slug may not take.
RESERVED_SLUGS = frozenset(
    {
        "admin",
        "static",
        "media",
        "i18n",
        "taal",
        "privacy",
        "healthz",
        "aanmelding",
        "favicon.ico",
        "archief",
        "volgende",
        "bericht",
        "evaluatie",
    }
)

DEFAULT_PRICE_TIERS = {1: Decimal("50.00"), 2: Decimal("85.00"), 3: Decimal("100.00")}


def validate_not_reserved(value: str) -> None:
    """Refuse slugs that would hide one of the site's own pages."""
    if value in RESERVED_SLUGS:
        raise ValidationError(
            _("Dit webadres is gereserveerd voor de site zelf. Kies een ander."), code="reserved"
        )


class EventQuerySet(models.QuerySet):
    def published(self) -> "EventQuerySet":
        return self.filter(is_published=True)

    def upcoming(self, today: datetime.date | None = None) -> "EventQuerySet":
        today = today or timezone.localdate()
        return self.published().filter(date__gte=today)

    def past(self, today: datetime.date | None = None) -> "EventQuerySet":
        today = today or timezone.localdate()
        return self.published().filter(date__lt=today)

    def with_report(self) -> "EventQuerySet":
        return self.exclude(report_file="", report_text="")


class Event(models.Model):
    title = models.CharField(_("titel"), max_length=200)
    slug = models.SlugField(
        _("webadres"),
        max_length=80,
        unique=True,
        validators=[validate_not_reserved],
        help_text=_(
            "Het deel van het webadres na de domeinnaam, bijvoorbeeld participatielab-mei."
        ),
    )
    theme = models.CharField(_("thema"), max_length=300)
    description = models.TextField(_("beschrijving"), blank=True)
    date = models.DateField(_("datum"))
    start_time = models.TimeField(_("begintijd"))
    end_time = models.TimeField(_("eindtijd"))
    venue_name = models.CharField(_("locatie"), max_length=200)
    venue_address = models.CharField(_("adres"), max_length=200)
    venue_city = models.CharField(_("plaats"), max_length=100)
    route = models.TextField(
        _("route"), blank=True, help_text=_("Waar het ligt, bijvoorbeeld vlak bij welke snelweg.")
    )
    parking = models.TextField(_("parkeren"), blank=True)
    public_transport = models.TextField(_("openbaar vervoer"), blank=True)
    practical_notes = models.TextField(
        _("praktische informatie"),
        blank=True,
        help_text=_(
            "Bijvoorbeeld: kom wat eerder voor een wandeling; waar u na afloop iets drinkt."
        ),
    )
    included = models.CharField(
        _("inbegrepen"),
        max_length=300,
        blank=True,
        help_text=_("Wat bij de prijs inbegrepen is, bijvoorbeeld soep en een broodje."),
    )
    payment_info = models.TextField(_("betaling"), blank=True)
    notification_email = models.EmailField(
        _("e-mail voor meldingen"),
        blank=True,
        validators=[validate_email_domain],
        help_text=_("Hier komen meldingen van aanmeldingen binnen. Leeg: het standaardadres."),
    )
    registration_deadline = models.DateTimeField(_("aanmelden kan tot"))
    capacity = models.PositiveIntegerField(
        _("maximum aantal deelnemers"), null=True, blank=True, help_text=_("Leeg: geen maximum.")
    )
    max_group_size = models.PositiveSmallIntegerField(
        _("grootste groep per aanmelding"),
        default=3,
        help_text=_("Hoeveel bestuursleden één aanmelding mag bevatten."),
    )
    has_waiting_list = models.BooleanField(_("wachtlijst"), default=True)
    image = ResponsiveImageField(
        _("afbeelding"),
        blank=True,
        spec=HEADER_IMAGE,
        width_field="image_width",
        height_field="image_height",
        help_text=_(
            "Optioneel: een foto of tekening boven de tekst (JPEG, PNG of WebP, hoogstens 10 MB). "
            "Wordt bijgesneden tot een brede strook (5 : 2) en verkleind."
        ),
    )
    image_width = models.PositiveIntegerField(null=True, editable=False)
    image_height = models.PositiveIntegerField(null=True, editable=False)
    image_alt = models.CharField(
        _("beschrijving van de afbeelding"),
        max_length=300,
        blank=True,
        help_text=_("Wat staat erop? Voor wie de afbeelding niet kan zien."),
    )
    is_published = models.BooleanField(_("gepubliceerd"), default=False)
    report_file = ReportField(
        _("verslag (PDF)"),
        blank=True,
        help_text=_("Het verslag na afloop, als PDF van hoogstens 20 MB."),
    )
    report_text = models.TextField(
        _("verslag (tekst)"),
        blank=True,
        help_text=_("Of schrijf het verslag hier; het staat dan op de pagina van de bijeenkomst."),
    )
    # Raised by every write that changes what the public pages show, so cached pages are
    # keyed on one column of one row: by `bump_version` (see sessions/signals.py; sign-ups
    # raise it when they lock the event's row).
    version = models.PositiveIntegerField(_("versie"), default=0, editable=False)
    created_at = models.DateTimeField(_("aangemaakt"), auto_now_add=True)
    updated_at = models.DateTimeField(_("gewijzigd"), auto_now=True)

    objects = EventQuerySet.as_manager()

    class Meta:
        verbose_name = _("bijeenkomst")
        verbose_name_plural = _("bijeenkomsten")
        ordering = ["-date", "title"]
        constraints = [
            models.CheckConstraint(
                condition=Q(max_group_size__gte=1),
                name="event_max_group_size_at_least_one",
                violation_error_message=_(
                    "Een aanmelding moet ten minste één persoon kunnen bevatten."
                ),
            ),
            models.CheckConstraint(
                condition=Q(end_time__gt=models.F("start_time")),
                name="event_ends_after_start",
                violation_error_message=_("De eindtijd moet na de begintijd liggen."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.title} ({self.date:%d-%m-%Y})"

    def clean(self) -> None:
        if self.image and not self.image_alt.strip():
            raise ValidationError(
                {
                    "image_alt": ValidationError(
                        _("Beschrijf in een zin wat op de afbeelding staat."), code="missing_alt"
                    )
                }
            )

    @property
    def starts_at(self) -> datetime.datetime:
        return timezone.make_aware(datetime.datetime.combine(self.date, self.start_time))

    @property
    def ends_at(self) -> datetime.datetime:
        return timezone.make_aware(datetime.datetime.combine(self.date, self.end_time))

    @property
    def address(self) -> str:
        return f"{self.venue_address}, {self.venue_city}"

    def map_url(self) -> str:
        """Return a link that finds the address on OpenStreetMap (a plain link: no map embedded)."""
        return "https://www.openstreetmap.org/search?" + urlencode({"query": self.address})

    @property
    def has_report(self) -> bool:
        return bool(self.report_file or self.report_text.strip())

    @property
    def is_past(self) -> bool:
        return self.date < timezone.localdate()

    def previous_with_report(self) -> "Event | None":
        """Return the latest earlier published lab with a report (for "read the report")."""
        return (
            Event.objects.published()
            .with_report()
            .filter(date__lt=self.date)
            .order_by("-date", "-pk")
            .first()
        )

    def cache_key(self) -> str:
        """Return what the cached parts of its public pages are keyed on."""
        return f"{self.pk}.{self.version}.{int(self.is_open())}.{int(self.is_past)}"

    def is_open(self, now: datetime.datetime | None = None) -> bool:
        """Tell whether the public may sign up now."""
        now = now or timezone.now()
        return self.is_published and now <= self.registration_deadline

    def price_tiers_json(self) -> str:
        """Return the tiers as JSON for the live price on the sign-up page."""
        return json.dumps({size: str(amount) for size, amount in self.price_tiers_map().items()})

    def price_tiers_map(self) -> dict[int, Decimal]:
        """Return the price tiers as {group size: amount}; uses prefetched tiers when present."""
        return {tier.group_size: tier.amount for tier in self.price_tiers.all()}


def bump_version(event_id: int, *, if_version: int | None = None) -> bool:
    """Mark the event's public pages as changed (and lock its row until the transaction ends);
    with `if_version`, only if that is still its version. Return whether it was raised."""
    rows = Event.objects.filter(pk=event_id)
    if if_version is not None:
        rows = rows.filter(version=if_version)
    if not rows.update(version=models.F("version") + 1):
        return False
    page_cache.raise_after_commit(page_cache.event_tokens(event_id))
    return True


def bump_later_versions(event: Event) -> None:
    """Mark the pages of labs after `event` as changed: they link to its report."""
    Event.objects.filter(date__gt=event.date).update(version=models.F("version") + 1)
    page_cache.raise_after_commit(["events"])


def bump_all_versions() -> None:
    """Mark every event's public pages as changed, after a change to what all pages show."""
    Event.objects.update(version=models.F("version") + 1)
    page_cache.raise_after_commit(["events"])


class ThemeSession(models.Model):
    event = models.ForeignKey(
        Event, on_delete=models.CASCADE, related_name="sessions", verbose_name=_("bijeenkomst")
    )
    title = models.CharField(_("titel"), max_length=200)
    description = models.TextField(_("beschrijving"), blank=True)
    capacity = models.PositiveIntegerField(
        _("maximum aantal deelnemers"), null=True, blank=True, help_text=_("Leeg: geen maximum.")
    )
    order = models.PositiveSmallIntegerField(_("volgorde"), default=0)

    class Meta:
        verbose_name = _("themasessie")
        verbose_name_plural = _("themasessies")
        ordering = ["event", "order", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["event", "title"],
                name="theme_session_title_unique_per_event",
                violation_error_message=_("Deze bijeenkomst heeft al een sessie met deze titel."),
            ),
        ]

    def __str__(self) -> str:
        return self.title


class ProgrammeItem(models.Model):
    event = models.ForeignKey(
        Event, on_delete=models.CASCADE, related_name="programme", verbose_name=_("bijeenkomst")
    )
    time = models.TimeField(_("tijd"))
    title = models.CharField(_("onderdeel"), max_length=200)

    class Meta:
        verbose_name = _("programmaonderdeel")
        verbose_name_plural = _("programma")
        ordering = ["event", "time", "pk"]

    def __str__(self) -> str:
        return f"{self.time:%H:%M} {self.title}"


class PriceTier(models.Model):
    event = models.ForeignKey(
        Event, on_delete=models.CASCADE, related_name="price_tiers", verbose_name=_("bijeenkomst")
    )
    group_size = models.PositiveSmallIntegerField(_("aantal personen"))
    amount = models.DecimalField(_("bedrag"), max_digits=8, decimal_places=2)

    class Meta:
        verbose_name = _("prijs")
        verbose_name_plural = _("prijzen")
        ordering = ["event", "group_size"]
        constraints = [
            models.UniqueConstraint(
                fields=["event", "group_size"],
                name="price_tier_group_size_unique_per_event",
                violation_error_message=_("Voor dit aantal personen is al een prijs."),
            ),
            models.CheckConstraint(
                condition=Q(group_size__gte=1),
                name="price_tier_group_size_at_least_one",
                violation_error_message=_("Een prijs geldt voor ten minste één persoon."),
            ),
            models.CheckConstraint(
                condition=Q(amount__gte=0),
                name="price_tier_amount_not_negative",
                violation_error_message=_("Een prijs kan niet negatief zijn."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.group_size} → {self.amount}"

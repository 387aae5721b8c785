"""A lab announced before it has a date: a theme, when (as words) and a line of text.

Once the lab has a date, staff link the announcement to the event it became; the home page
shows announcements that have no published event yet, after the open labs.
"""

from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _


class AnnouncementQuerySet(models.QuerySet):
    def shown(self) -> "AnnouncementQuerySet":
        """Announcements on the home page: visible and not yet a published event."""
        return self.filter(is_visible=True).filter(
            Q(event__isnull=True) | Q(event__is_published=False)
        )


class Announcement(models.Model):
    theme = models.CharField(_("thema"), max_length=300)
    when = models.CharField(
        _("wanneer"), max_length=100, help_text=_("In woorden, bijvoorbeeld: najaar 2027.")
    )
    text = models.CharField(_("tekst"), max_length=500, blank=True)
    event = models.OneToOneField(
        "theme_sessions.Event",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="announcement",
        verbose_name=_("bijeenkomst"),
        help_text=_(
            "De bijeenkomst die ervan gekomen is. Publiceert u die, dan krijgt wie op bericht "
            "wacht een e-mail."
        ),
    )
    is_visible = models.BooleanField(_("op de site"), default=True)
    order = models.PositiveSmallIntegerField(_("volgorde"), default=0)
    created_at = models.DateTimeField(_("aangemaakt"), auto_now_add=True)

    objects = AnnouncementQuerySet.as_manager()

    class Meta:
        verbose_name = _("aankondiging")
        verbose_name_plural = _("aankondigingen")
        ordering = ["order", "pk"]

    def __str__(self) -> str:
        return f"{self.theme} ({self.when})"

    def get_absolute_url(self) -> str:
        return reverse("registrations:announcement", args=[self.pk])

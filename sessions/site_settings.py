"""The site's settings: what every page shows, set once for the whole site (one row)."""

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from sessions.images import LOGO, ResponsiveImageField


class SiteSettings(models.Model):
    """What every page shows, set once for the whole site: for now, the logo.

    One row (pk 1), edited in the admin like any other, rather than a setting in the
    environment: staff change a logo, not the people who deploy the site.
    """

    logo = ResponsiveImageField(
        _("logo"),
        blank=True,
        spec=LOGO,
        width_field="logo_width",
        height_field="logo_height",
        help_text=_(
            "Optioneel: het logo in de kop van elke pagina (PNG, JPEG of WebP). Wordt verkleind "
            "tot 96 beeldpunten hoog."
        ),
    )
    logo_width = models.PositiveIntegerField(null=True, editable=False)
    logo_height = models.PositiveIntegerField(null=True, editable=False)
    logo_alt = models.CharField(
        _("tekst bij het logo"),
        max_length=100,
        blank=True,
        help_text=_("Wat er op het logo staat, meestal de naam, bijvoorbeeld Atrivé."),
    )

    class Meta:
        verbose_name = _("instellingen van de site")
        verbose_name_plural = _("instellingen van de site")
        ordering = ["pk"]

    def __str__(self) -> str:
        return str(_("Instellingen van de site"))

    def clean(self) -> None:
        if self.logo and not self.logo_alt.strip():
            raise ValidationError(
                {
                    "logo_alt": ValidationError(
                        _("Schrijf op wat er op het logo staat."), code="missing_alt"
                    )
                }
            )

    @classmethod
    def load(cls) -> "SiteSettings":
        """Return the one row of settings (unsaved defaults until staff save them)."""
        return cls.objects.filter(pk=1).first() or cls(pk=1)

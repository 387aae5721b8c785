"""The people to contact about an event, shown on its page and in its mails."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from sessions.phones import phone_uri, validate_phone


class Contact(models.Model):
    """Someone who answers questions about the event, shown with a mail and a phone link."""

    event = models.ForeignKey(
        "theme_sessions.Event",
        on_delete=models.CASCADE,
        related_name="contacts",
        verbose_name=_("bijeenkomst"),
    )
    name = models.CharField(_("naam"), max_length=200)
    role = models.CharField(_("functie"), max_length=200, blank=True)
    phone = models.CharField(_("telefoon"), max_length=30, blank=True, validators=[validate_phone])
    email = models.EmailField(_("e-mail"), blank=True)
    order = models.PositiveSmallIntegerField(_("volgorde"), default=0)

    class Meta:
        verbose_name = _("contactpersoon")
        verbose_name_plural = _("contactpersonen")
        ordering = ["event", "order", "pk"]

    def __str__(self) -> str:
        return f"{self.name} ({self.role})" if self.role else self.name

    def phone_uri(self) -> str:
        return phone_uri(self.phone)

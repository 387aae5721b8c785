"""Validators every app uses."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _


def validate_email_domain(value: str) -> None:
    """Refuse an address whose domain is an IP address (`a@[127.0.0.1]`) or has no dot
    (`a@localhost`): Django's own check accepts both, and no one we write to uses them.

    Only the domain is checked here; Django's e-mail validator checks the rest, so a
    malformed address gets one message, not two.
    """
    _local, at, domain = str(value).rpartition("@")
    if not at or not domain:
        return
    if domain.startswith("[") or "." not in domain.strip("."):
        raise ValidationError(
            _("Gebruik een e-mailadres met een gewone domeinnaam, zoals naam@voorbeeld.nl."),
            code="email_domain",
        )

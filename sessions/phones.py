"""Phone numbers as people write them: checked, and turned into `tel:` links."""

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _


def phone_uri(phone: str) -> str:
    """Return a `tel:` address for a phone number as people write it (Dutch by default)."""
    # "+31 (0)30 …": the trunk zero in brackets is not dialled from abroad.
    digits = re.sub(r"[^0-9+]", "", phone.replace("(0)", ""))
    if digits.startswith("00"):
        digits = "+" + digits[2:]
    elif digits.startswith("0"):
        digits = "+31" + digits[1:]
    return f"tel:{digits}"


def validate_phone(value: str) -> None:
    if not re.fullmatch(r"\+?[0-9][0-9 ()\-]{5,24}", value.strip()):
        raise ValidationError(
            _("Vul een telefoonnummer in met cijfers, bijvoorbeeld 030 123 45 67."), code="phone"
        )

"""The one way amounts are written on pages and in e-mails: "€ 85,00"."""

from decimal import Decimal

from django import template
from django.utils.formats import number_format

from registrations.pricing import money

register = template.Library()


@register.filter
def euro(value: Decimal | int | str | None) -> str:
    """Format an amount in euros with the active language's separators, e.g. "€ 1.085,00"."""
    if value is None or value == "":
        return ""
    return "€ " + number_format(money(value), 2, use_l10n=True, force_grouping=True)

"""Filters for plain-text mails: user text never starts a line it could forge."""

from django import template
from django.template.defaultfilters import stringfilter

from registrations.text import quoted_lines, single_line

register = template.Library()


@register.filter
@stringfilter
def one_line(value: str) -> str:
    """Put a name, organisation or phone number on one line, whatever is stored."""
    return single_line(value)


@register.filter
@stringfilter
def quoted(value: str) -> str:
    """Show multi-line text (remarks) with every line behind "> "."""
    return quoted_lines(value)

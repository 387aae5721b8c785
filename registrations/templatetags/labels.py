"""Labels for stored values in staff pages: `{{ value|status_label }}` shows "aangemeld"."""

from django import template

from registrations.models import Status

register = template.Library()


@register.filter
def status_label(value: str) -> str:
    """Return the translated label of a sign-up or attendee status, or the value itself."""
    return Status(value).label if value in Status.values else value

"""List filters for the admin that tell apart sessions of a copied lab, whose titles repeat."""

from django.contrib import admin
from django.utils.formats import date_format

from sessions.models import ThemeSession


class SessionFilter(admin.RelatedFieldListFilter):
    """Filter by theme session, each named with its event's date: "Duurzaamheid (15 mei 2017)"."""

    def field_choices(self, field, request, model_admin) -> list[tuple[int, str]]:
        sessions = ThemeSession.objects.select_related("event").order_by(
            "-event__date", "event_id", "order", "pk"
        )
        return [
            (session.pk, f"{session.title} ({date_format(session.event.date, 'j F Y')})")
            for session in sessions
        ]

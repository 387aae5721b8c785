from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ThemeSessionsConfig(AppConfig):
    # django.contrib.sessions already owns the label "sessions".
    name = "sessions"
    label = "theme_sessions"
    verbose_name = _("Bijeenkomsten")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from sessions import signals  # noqa: F401 - connects the receivers

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ThemeSessionsConfig(AppConfig):
    # django.contrib.sessions already owns the label "sessions".
    name = "sessions"
    label = "theme_sessions"
    verbose_name = _("Bijeenkomsten")

    def ready(self) -> None:
        # Imported once the models are loaded, as Django requires; importing connects them.
        from sessions import signals  # noqa: F401

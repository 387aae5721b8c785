from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RegistrationsConfig(AppConfig):
    name = "registrations"
    verbose_name = _("Aanmeldingen")

    def ready(self) -> None:
        # Imported once the apps are loaded, as Django requires; importing registers them.
        from registrations import checks, signals  # noqa: F401

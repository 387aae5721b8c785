"""Raise an event's version whenever the event or anything its public pages show changes.

Cached public pages are keyed on the version (see `Event.cache_key`). Sign-ups change the
places left: the app that takes sign-ups raises the version when it locks the event's row.
The site's settings (the logo) are on every event's pages, so they raise every version.
"""

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from sessions.models import (
    Contact,
    Event,
    PriceTier,
    ProgrammeItem,
    SiteSettings,
    ThemeSession,
    bump_all_versions,
    bump_later_versions,
    bump_version,
)


@receiver(post_save, sender=ThemeSession)
@receiver(post_save, sender=PriceTier)
@receiver(post_save, sender=ProgrammeItem)
@receiver(post_save, sender=Contact)
@receiver(post_delete, sender=ThemeSession)
@receiver(post_delete, sender=PriceTier)
@receiver(post_delete, sender=ProgrammeItem)
@receiver(post_delete, sender=Contact)
def event_part_changed(sender, instance, **kwargs) -> None:
    bump_version(instance.event_id)


@receiver(post_save, sender=Event)
def event_changed(sender, instance: Event, **kwargs) -> None:
    bump_version(instance.pk)
    # Later labs' pages link to the latest earlier report; a saved lab may change which.
    bump_later_versions(instance)


@receiver(post_save, sender=SiteSettings)
@receiver(post_delete, sender=SiteSettings)
def site_settings_changed(sender, instance: SiteSettings, **kwargs) -> None:
    bump_all_versions()

"""Raise an event's version whenever the event, its sessions, prices or programme change.

Cached public pages are keyed on the version (see `Event.cache_key`). Sign-ups change the
places left: the app that takes sign-ups raises the version when it locks the event's row.
"""

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from sessions.models import Event, PriceTier, ProgrammeItem, ThemeSession, bump_version


@receiver(post_save, sender=ThemeSession)
@receiver(post_save, sender=PriceTier)
@receiver(post_save, sender=ProgrammeItem)
@receiver(post_delete, sender=ThemeSession)
@receiver(post_delete, sender=PriceTier)
@receiver(post_delete, sender=ProgrammeItem)
def event_part_changed(sender, instance, **kwargs) -> None:
    bump_version(instance.event_id)


@receiver(post_save, sender=Event)
def event_changed(sender, instance: Event, **kwargs) -> None:
    bump_version(instance.pk)

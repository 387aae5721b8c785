"""Keep an event's version current when its sessions, prices or programme change."""

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from sessions.models import PriceTier, ProgrammeItem, ThemeSession, bump_version


@receiver(post_save, sender=ThemeSession)
@receiver(post_save, sender=PriceTier)
@receiver(post_save, sender=ProgrammeItem)
@receiver(post_delete, sender=ThemeSession)
@receiver(post_delete, sender=PriceTier)
@receiver(post_delete, sender=ProgrammeItem)
def event_part_changed(sender, instance, **kwargs) -> None:
    bump_version(instance.event_id)

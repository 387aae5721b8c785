"""Raise the token of the organisation names the sign-up page suggests, whenever one changes
(see `sessions.page_cache`; without a shared cache the page checks `list_version` instead)."""

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from registrations.models import Organisation
from sessions import page_cache


@receiver(post_save, sender=Organisation)
@receiver(post_delete, sender=Organisation)
def organisation_changed(sender, instance: Organisation, **kwargs) -> None:
    page_cache.raise_after_commit(["organisations"])

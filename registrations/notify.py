"""Notify-me: an address waits to hear when sign-up for an announced lab opens.

Double opt-in: `ask_to_notify` stores the address unconfirmed and mails a link; only after
`confirm_subscriber` (a POST from the page behind that link) does it count. `publish_event` is
the back office's way to open a lab: it publishes it and mails every confirmed address of its
announcement once (`notified_at`), in the same transaction, through the outbox.
"""

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from registrations.locking import lock_event
from registrations.models import MailKind, Subscriber, address_hash
from registrations.outbox import new_mails, queue
from sessions.models import Announcement, Event


def ask_to_notify(*, announcement: Announcement, email: str, language: str) -> None:
    """Store the address unconfirmed and mail it the link to confirm (once more when it asks
    again unconfirmed; nothing when it is confirmed already)."""
    email = email.strip()
    try:
        with transaction.atomic():
            subscriber = Subscriber.objects.filter(
                announcement=announcement, email__iexact=email
            ).first() or Subscriber.objects.create(
                announcement=announcement,
                email=email,
                address_hash=address_hash(email),
                language=language or settings.LANGUAGE_CODE,
            )
            if subscriber.confirmed_at is None:
                queue(
                    new_mails(
                        [subscriber.email],
                        kind=MailKind.NOTIFY_CONFIRM,
                        language=subscriber.language,
                        params={"subscriber": subscriber.pk},
                    )
                )
    except IntegrityError:  # the same address asked twice at once: the other one mails
        return


def confirm_subscriber(*, token: str) -> Subscriber | None:
    """Confirm the address behind a link; None when the link is unknown (or unsubscribed)."""
    subscriber = Subscriber.objects.select_related("announcement").filter(token=token).first()
    if subscriber is not None and subscriber.confirmed_at is None:
        subscriber.confirmed_at = timezone.now()
        subscriber.save(update_fields=["confirmed_at"])
    return subscriber


def publish_event(*, event: Event) -> int:
    """Publish the event and mail its announcement's confirmed addresses, each once ever.

    Returns how many mails were queued; publishing again queues none.
    """
    with transaction.atomic():
        event = lock_event(event.pk)
        if not event.is_published:
            Event.objects.filter(pk=event.pk).update(is_published=True)
        waiting = list(
            Subscriber.objects.select_for_update()
            .filter(
                announcement__event=event,
                confirmed_at__isnull=False,
                notified_at__isnull=True,
            )
            .order_by("pk")
        )
        Subscriber.objects.filter(pk__in=[s.pk for s in waiting]).update(notified_at=timezone.now())
        mails = []
        for subscriber in waiting:
            mails += new_mails(
                [subscriber.email],
                kind=MailKind.SIGNUP_OPEN,
                language=subscriber.language,
                params={"event": event.pk, "subscriber": subscriber.pk},
            )
        return len(queue(mails))


def unpublish_event(*, event: Event) -> None:
    """Take the event off the site (its sign-ups stay)."""
    with transaction.atomic():
        lock_event(event.pk)
        Event.objects.filter(pk=event.pk).update(is_published=False)

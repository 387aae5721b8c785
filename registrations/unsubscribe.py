"""The one-click unsubscribe of invitations and notify-me mail.

Each such mail carries a link made of the signed hash of its address (`unsubscribe_url`) and
the `List-Unsubscribe` and `List-Unsubscribe-Post` headers (RFC 8058), so a mail program can
unsubscribe with one POST. Opening the link shows a button; only a POST unsubscribes, so mail
scanners that follow links unsubscribe nobody. What stays is a suppression entry: the hash,
never the address (see `registrations.models.campaigns`).
"""

from django.conf import settings
from django.core import signing
from django.db import transaction
from django.urls import reverse

from registrations.models import Subscriber, Suppression, address_hash

SALT = "registrations.unsubscribe"


def unsubscribe_url(address: str) -> str:
    token = signing.dumps(address_hash(address), salt=SALT, compress=True)
    return settings.SITE_URL + reverse("registrations:unsubscribe", args=[token])


def list_unsubscribe_headers(address: str) -> dict[str, str]:
    return {
        "List-Unsubscribe": f"<{unsubscribe_url(address)}>",
        "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
    }


def hash_from_token(token: str) -> str | None:
    """Return the address hash a link stands for, or None when the link is not ours."""
    try:
        value = signing.loads(token, salt=SALT)
    except signing.BadSignature:
        return None
    return value if isinstance(value, str) and len(value) == 64 else None


def is_suppressed(address: str) -> bool:
    return Suppression.objects.filter(address_hash=address_hash(address)).exists()


def suppressed_among(addresses: list[str]) -> set[str]:
    """Return the normalised addresses among `addresses` that unsubscribed."""
    by_hash = {address_hash(a): a.strip().lower() for a in addresses}
    found = Suppression.objects.filter(address_hash__in=list(by_hash)).values_list(
        "address_hash", flat=True
    )
    return {by_hash[h] for h in found}


def unsubscribe(*, hashed: str) -> None:
    """Keep the address only as a suppression entry: no invitations, no notify-me mail."""
    with transaction.atomic():
        Suppression.objects.get_or_create(address_hash=hashed)
        Subscriber.objects.filter(address_hash=hashed).delete()

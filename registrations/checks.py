"""System checks for settings whose mistakes would only show in a recipient's mailbox."""

import ipaddress
from urllib.parse import urlsplit

from django.conf import settings
from django.core import checks
from django.http.request import validate_host

LOCAL_NAMES = {"localhost", "localhost.localdomain"}


@checks.register("registrations")
def check_site_url(app_configs, **kwargs) -> list[checks.CheckMessage]:
    """Warn, with DEBUG off, when the links in e-mails (SITE_URL) cannot reach the site."""
    if settings.DEBUG:
        return []
    host = urlsplit(settings.SITE_URL).hostname or ""
    if is_this_machine(host):
        return [
            checks.Warning(
                f"SITE_URL is {settings.SITE_URL!r}: the links in e-mails point at this "
                "machine, so they will not work for the people who receive them.",
                hint="Set SITE_URL to the site's public address, e.g. "
                "https://participatielab.example.org (see .env.example).",
                id="registrations.W001",
            )
        ]
    if not validate_host(host, settings.ALLOWED_HOSTS):
        return [
            checks.Warning(
                f"SITE_URL is {settings.SITE_URL!r}, but its host is not in ALLOWED_HOSTS: "
                "the site would refuse the links in its own e-mails.",
                hint="Set SITE_URL to the site's public address, or add its host to ALLOWED_HOSTS.",
                id="registrations.W002",
            )
        ]
    return []


def is_this_machine(host: str) -> bool:
    """Return whether `host` is empty, a name of this machine, or a loopback/any address."""
    if host in LOCAL_NAMES or host.endswith(".localhost") or not host:
        return True
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        return False
    return address.is_loopback or address.is_unspecified

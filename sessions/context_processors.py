"""What every page's layout shows from the database: the site's settings (the logo)."""

from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from sessions.models import SiteSettings


def site_settings(request: HttpRequest) -> dict:
    # Lazy: read only when a template uses it, so a page served whole from the cache and
    # the admin's pages run no query for it.
    return {"site_settings": SimpleLazyObject(SiteSettings.load)}

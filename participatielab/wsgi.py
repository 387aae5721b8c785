"""WSGI entry point, used by gunicorn (`make serve`)."""

import os

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "participatielab.settings")

# With DEBUG off the site is not served without a secret key and its host names.
if settings.NOT_CONFIGURED:
    raise ImproperlyConfigured(" ".join(settings.NOT_CONFIGURED))

application = get_wsgi_application()

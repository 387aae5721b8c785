"""Project-wide checks: migrations match the models."""

from io import StringIO

import pytest
from django.core.management import call_command

pytestmark = pytest.mark.django_db


def test_makemigrations_finds_no_missing_migrations():
    # Act / Assert: with check=True, changes without a migration raise SystemExit.
    call_command("makemigrations", check=True, dry_run=True, stdout=StringIO())

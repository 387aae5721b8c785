#!/usr/bin/env python
"""Django's command-line utility for administrative tasks."""

import os
import sys


def main() -> None:
    """Run administrative tasks."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "participatielab.settings")
    # A checkout with no SECRET_KEY in its environment is a developer's machine: let
    # `manage.py` work there out of the box. Production sets SECRET_KEY (and DEBUG=0), and
    # the WSGI entry point never assumes development.
    if not os.environ.get("SECRET_KEY"):
        os.environ.setdefault("DEBUG", "1")
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()

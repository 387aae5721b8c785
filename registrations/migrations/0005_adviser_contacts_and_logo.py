"""Let the advisers edit an event's contacts and the site's logo, like the rest of an event."""

from django.contrib.auth.management import create_permissions
from django.contrib.contenttypes.management import create_contenttypes
from django.db import migrations

GROUP_NAME = "Atrivé adviseurs"

PERMISSIONS = [
    ("theme_sessions", "view_contact"),
    ("theme_sessions", "add_contact"),
    ("theme_sessions", "change_contact"),
    ("theme_sessions", "delete_contact"),
    ("theme_sessions", "view_sitesettings"),
    ("theme_sessions", "change_sitesettings"),
]


def permissions(apps):
    # Permissions are normally made after all migrations; make them now so the group can
    # hold them on a fresh database.
    app_config = apps.get_app_config("theme_sessions")
    app_config.models_module = True
    create_contenttypes(app_config, apps=apps, verbosity=0)
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None
    Permission = apps.get_model("auth", "Permission")
    return [
        Permission.objects.get(content_type__app_label=app_label, codename=codename)
        for app_label, codename in PERMISSIONS
    ]


def grant(apps, schema_editor):
    group = apps.get_model("auth", "Group").objects.filter(name=GROUP_NAME).first()
    if group is not None:
        group.permissions.add(*permissions(apps))


def revoke(apps, schema_editor):
    group = apps.get_model("auth", "Group").objects.filter(name=GROUP_NAME).first()
    if group is not None:
        group.permissions.remove(*permissions(apps))


class Migration(migrations.Migration):
    dependencies = [
        ("registrations", "0004_adviser_outbox_permissions"),
        ("theme_sessions", "0003_contact_text_to_contacts"),
    ]

    operations = [migrations.RunPython(grant, revoke)]

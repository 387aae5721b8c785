"""Let the advisers announce labs, invite, write to attendees and see who waits for news."""

from django.contrib.auth.management import create_permissions
from django.contrib.contenttypes.management import create_contenttypes
from django.db import migrations

GROUP_NAME = "Atrivé adviseurs"

PERMISSIONS = [
    ("theme_sessions", "view_announcement"),
    ("theme_sessions", "add_announcement"),
    ("theme_sessions", "change_announcement"),
    ("theme_sessions", "delete_announcement"),
    ("registrations", "view_invitation"),
    ("registrations", "add_invitation"),
    ("registrations", "view_mailing"),
    ("registrations", "add_mailing"),
    ("registrations", "view_subscriber"),
]


def permissions(apps):
    # Permissions are normally made after all migrations; make them now so the group can
    # hold them on a fresh database.
    for label in ["theme_sessions", "registrations"]:
        app_config = apps.get_app_config(label)
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
        ("registrations", "0009_invitations_and_mailings"),
        ("theme_sessions", "0005_report_and_announcement"),
    ]

    operations = [migrations.RunPython(grant, revoke)]

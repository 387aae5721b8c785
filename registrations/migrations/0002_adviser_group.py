"""Create the staff group "Atrivé adviseurs" with exactly the permissions the back office needs."""

from django.contrib.auth.management import create_permissions
from django.contrib.contenttypes.management import create_contenttypes
from django.db import migrations

GROUP_NAME = "Atrivé adviseurs"

# (app label, codename): what advisers may do. They never delete sign-ups (those are
# cancelled and kept); they may delete parts of a draft event's programme.
PERMISSIONS = [
    ("theme_sessions", "view_event"),
    ("theme_sessions", "add_event"),
    ("theme_sessions", "change_event"),
    ("theme_sessions", "view_themesession"),
    ("theme_sessions", "add_themesession"),
    ("theme_sessions", "change_themesession"),
    ("theme_sessions", "delete_themesession"),
    ("theme_sessions", "view_programmeitem"),
    ("theme_sessions", "add_programmeitem"),
    ("theme_sessions", "change_programmeitem"),
    ("theme_sessions", "delete_programmeitem"),
    ("theme_sessions", "view_pricetier"),
    ("theme_sessions", "add_pricetier"),
    ("theme_sessions", "change_pricetier"),
    ("theme_sessions", "delete_pricetier"),
    ("registrations", "view_organisation"),
    ("registrations", "change_organisation"),
    ("registrations", "view_registration"),
    ("registrations", "add_registration"),
    ("registrations", "change_registration"),
    ("registrations", "view_attendee"),
    ("registrations", "change_attendee"),
    ("registrations", "view_invoice"),
    ("registrations", "change_invoice"),
    ("registrations", "export_personal_data"),
]


def create_group(apps, schema_editor):
    # Permissions are normally made after all migrations; make them now so the group can
    # hold them on a fresh database.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_contenttypes(app_config, apps=apps, verbosity=0)
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group, _created = Group.objects.get_or_create(name=GROUP_NAME)
    permissions = [
        Permission.objects.get(content_type__app_label=app_label, codename=codename)
        for app_label, codename in PERMISSIONS
    ]
    group.permissions.set(permissions)


def delete_group(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name=GROUP_NAME).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("registrations", "0001_initial"),
        ("theme_sessions", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(create_group, delete_group)]

"""Create the staff group "Deur" (the door: check-in and the desk list only), and let the
"Atrivé adviseurs" do the same."""

from django.contrib.auth.management import create_permissions
from django.contrib.contenttypes.management import create_contenttypes
from django.db import migrations

DOOR_GROUP = "Deur"
ADVISER_GROUP = "Atrivé adviseurs"
CODENAME = "check_in_attendee"


def check_in_permission(apps):
    # Permissions are normally made after all migrations; make this one now so the groups can
    # hold it on a fresh database.
    app_config = apps.get_app_config("registrations")
    app_config.models_module = True
    create_contenttypes(app_config, apps=apps, verbosity=0)
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None
    return apps.get_model("auth", "Permission").objects.get(
        content_type__app_label="registrations", codename=CODENAME
    )


def grant(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    permission = check_in_permission(apps)
    door, _created = Group.objects.get_or_create(name=DOOR_GROUP)
    door.permissions.set([permission])
    adviser = Group.objects.filter(name=ADVISER_GROUP).first()
    if adviser is not None:
        adviser.permissions.add(permission)


def revoke(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Group.objects.filter(name=DOOR_GROUP).delete()
    adviser = Group.objects.filter(name=ADVISER_GROUP).first()
    if adviser is not None:
        adviser.permissions.remove(*adviser.permissions.filter(codename=CODENAME))


class Migration(migrations.Migration):
    dependencies = [
        ("registrations", "0011_walk_ins_and_check_in"),
        ("registrations", "0004_adviser_outbox_permissions"),
    ]

    operations = [migrations.RunPython(grant, revoke)]

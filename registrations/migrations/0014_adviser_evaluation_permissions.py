"""Let the "Atrivé adviseurs" group set up evaluations and read their results."""

from django.contrib.auth.management import create_permissions
from django.contrib.contenttypes.management import create_contenttypes
from django.db import migrations

GROUP_NAME = "Atrivé adviseurs"
CODENAMES = [
    "view_evaluation",
    "add_evaluation",
    "change_evaluation",
    "view_evaluationquestion",
    "add_evaluationquestion",
    "change_evaluationquestion",
    "delete_evaluationquestion",
    "view_evaluationresponse",
]


def evaluation_permissions(apps):
    # Permissions are normally made after all migrations; make them now so the group can
    # hold them on a fresh database.
    app_config = apps.get_app_config("registrations")
    app_config.models_module = True
    create_contenttypes(app_config, apps=apps, verbosity=0)
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None
    Permission = apps.get_model("auth", "Permission")
    return Permission.objects.filter(
        content_type__app_label="registrations", codename__in=CODENAMES
    )


def grant(apps, schema_editor):
    group = apps.get_model("auth", "Group").objects.filter(name=GROUP_NAME).first()
    if group is not None:
        group.permissions.add(*evaluation_permissions(apps))


def revoke(apps, schema_editor):
    group = apps.get_model("auth", "Group").objects.filter(name=GROUP_NAME).first()
    if group is not None:
        group.permissions.remove(*evaluation_permissions(apps))


class Migration(migrations.Migration):
    dependencies = [("registrations", "0013_evaluation")]

    operations = [migrations.RunPython(grant, revoke)]

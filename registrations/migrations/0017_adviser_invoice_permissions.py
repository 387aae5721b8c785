"""Let the "Atrivé adviseurs" group issue invoices and record payments; carry paid amounts
recorded before payments were rows over as one payment each."""

from django.contrib.auth.management import create_permissions
from django.contrib.contenttypes.management import create_contenttypes
from django.db import migrations

GROUP_NAME = "Atrivé adviseurs"
CODENAMES = ["manage_invoices", "view_invoicedocument", "view_payment"]


def invoice_permissions(apps):
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


def forward(apps, schema_editor):
    group = apps.get_model("auth", "Group").objects.filter(name=GROUP_NAME).first()
    if group is not None:
        group.permissions.add(*invoice_permissions(apps))
    carry_paid_amounts(apps, schema_editor)


def carry_paid_amounts(apps, schema_editor):
    """Record what an account had paid before payments were rows as one payment."""
    Invoice = apps.get_model("registrations", "Invoice")
    Payment = apps.get_model("registrations", "Payment")
    Payment.objects.bulk_create(
        Payment(
            account=invoice,
            paid_on=(invoice.paid_at or invoice.updated_at).date(),
            amount=invoice.amount_paid,
            note="betaald vóór de betalingen apart werden vastgelegd",
        )
        for invoice in Invoice.objects.filter(amount_paid__gt=0)
    )


def backward(apps, schema_editor):
    group = apps.get_model("auth", "Group").objects.filter(name=GROUP_NAME).first()
    if group is not None:
        group.permissions.remove(*invoice_permissions(apps))
    apps.get_model("registrations", "Payment").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [("registrations", "0016_invoice_documents_and_payments")]

    operations = [migrations.RunPython(forward, backward)]

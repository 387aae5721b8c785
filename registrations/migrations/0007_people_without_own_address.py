"""People without an own address, member links, waiting per member, one organisation.

- A board member's address becomes optional; a person is the same person when event,
  organisation and normalised name match (a conditional unique constraint), instead of the
  address. The attendee row carries its sign-up's organisation for that.
- Each board member gets an own manage link (lookup + secret).
- A sign-up may wait as a whole group (`wait_as_group`).
- Organisations: hidden from suggestions, merged into another, last changed.
"""

import re
import secrets
import unicodedata

import django.db.models.deletion
import django.utils.timezone
from django.db import migrations, models

import participatielab.validators
import registrations.models.signups


# Frozen copies of registrations.text.single_line and registrations.models.names.person_key,
# as they were when this ran: the code keys a name after making it one line, so rows stored
# before names were cleaned get the key the code would give them.
DIRECTION_CONTROLS = re.compile("[\u202a-\u202e\u2066-\u2069\u200e\u200f\u061c]")


def single_line(value):
    text = DIRECTION_CONTROLS.sub("", " ".join(value.split()))
    return "".join(char for char in text if unicodedata.category(char) != "Cc").strip()


def person_key(name):
    decomposed = unicodedata.normalize("NFKD", single_line(name))
    plain = "".join(char for char in decomposed if not unicodedata.combining(char))
    return " ".join(plain.casefold().split())


def fill_attendees(apps, schema_editor):
    """Copy each member's organisation, write the name key and a manage link per member.

    Anonymised people get no key (they are nobody's double) and a link that does not work.
    Two people with one key at one organisation and event, possible while addresses told
    people apart, keep the key on the first only, so the new constraint holds; staff see both
    names as before.
    """
    Attendee = apps.get_model("registrations", "Attendee")
    seen = set()
    rows = Attendee.objects.select_related("registration").order_by("pk")
    for attendee in rows.iterator(chunk_size=2000):
        registration = attendee.registration
        attendee.organisation_id = registration.organisation_id
        key = "" if registration.anonymised_at else person_key(attendee.name)
        identity = (attendee.event_id, registration.organisation_id, key)
        if key and attendee.status != "cancelled":
            if identity in seen:
                key = ""
            seen.add(identity)
        attendee.name_key = key
        attendee.manage_lookup = secrets.token_urlsafe(9)[:12]
        # An anonymised person's link would lead nowhere they could use: it does not work.
        attendee.manage_secret = "" if registration.anonymised_at else secrets.token_urlsafe(32)
        attendee.save(
            update_fields=["organisation", "name_key", "manage_lookup", "manage_secret"]
        )


class Migration(migrations.Migration):

    dependencies = [
        ("registrations", "0006_email_domains"),
    ]

    operations = [
        migrations.AddField(
            model_name="organisation",
            name="hidden_from_suggestions",
            field=models.BooleanField(
                default=False,
                help_text="Aangevinkt: het aanmeldformulier stelt deze naam niet voor als iemand een organisatie typt.",
                verbose_name="niet voorstellen",
            ),
        ),
        migrations.AddField(
            model_name="organisation",
            name="merged_into",
            field=models.ForeignKey(
                blank=True,
                editable=False,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="merged",
                to="registrations.organisation",
                verbose_name="samengevoegd met",
            ),
        ),
        migrations.AddField(
            model_name="organisation",
            name="updated_at",
            field=models.DateTimeField(
                auto_now=True,
                db_index=True,
                default=django.utils.timezone.now,
                verbose_name="gewijzigd",
            ),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="registration",
            name="wait_as_group",
            field=models.BooleanField(default=False, verbose_name="wacht als groep"),
        ),
        migrations.RemoveConstraint(
            model_name="attendee",
            name="attendee_email_once_per_event",
        ),
        migrations.AlterField(
            model_name="attendee",
            name="email",
            field=models.EmailField(
                blank=True,
                max_length=254,
                validators=[participatielab.validators.validate_email_domain],
                verbose_name="e-mail",
            ),
        ),
        migrations.AddField(
            model_name="attendee",
            name="organisation",
            field=models.ForeignKey(
                editable=False,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="attendees",
                to="registrations.organisation",
                verbose_name="organisatie",
            ),
        ),
        migrations.AddField(
            model_name="attendee",
            name="name_key",
            field=models.CharField(
                default="", editable=False, max_length=600, verbose_name="naamsleutel"
            ),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="attendee",
            name="manage_lookup",
            field=models.CharField(
                editable=False, max_length=12, null=True, verbose_name="beheersleutel"
            ),
        ),
        migrations.AddField(
            model_name="attendee",
            name="manage_secret",
            field=models.CharField(
                default="", editable=False, max_length=64, verbose_name="geheim"
            ),
        ),
        migrations.RunPython(fill_attendees, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="attendee",
            name="organisation",
            field=models.ForeignKey(
                editable=False,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="attendees",
                to="registrations.organisation",
                verbose_name="organisatie",
            ),
        ),
        migrations.AlterField(
            model_name="attendee",
            name="manage_lookup",
            field=models.CharField(
                default=registrations.models.signups.new_lookup,
                editable=False,
                max_length=12,
                unique=True,
                verbose_name="beheersleutel",
            ),
        ),
        migrations.AlterField(
            model_name="attendee",
            name="manage_secret",
            field=models.CharField(
                default=registrations.models.signups.new_secret,
                editable=False,
                max_length=64,
                verbose_name="geheim",
            ),
        ),
        migrations.AddConstraint(
            model_name="attendee",
            constraint=models.UniqueConstraint(
                condition=models.Q(
                    models.Q(("status", "cancelled"), _negated=True),
                    models.Q(("name_key", ""), _negated=True),
                ),
                fields=("event", "organisation", "name_key"),
                name="attendee_once_per_event",
                violation_error_message="Deze persoon is al aangemeld voor deze bijeenkomst.",
            ),
        ),
    ]

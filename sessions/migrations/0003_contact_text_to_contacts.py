"""Turn each event's free-text contact lines into contacts, then drop the text field.

A line such as "Anna de Vries, adviseur – anna@example.org – 030 123 45 67" becomes a contact
with that name, role, e-mail and phone; what cannot be recognised stays in the name, so
nothing is lost and staff can tidy it up in the admin. The reverse writes the lines back.
"""

import re

from django.db import migrations

EMAIL = re.compile(r"[^\s<>()]+@[^\s<>()]+\.[^\s<>()]+")
PHONE = re.compile(r"\+?[0-9][0-9 ()\-]{8,}[0-9]")
SEPARATORS = " ,;:–—-|"


def contact_from_line(line):
    email = EMAIL.search(line)
    phone = PHONE.search(line)
    rest = line
    for found in (email, phone):
        if found:
            rest = rest.replace(found.group(), " ")
    rest = re.sub(r"\s+[–—|-]\s+", ",", f" {rest} ").strip(SEPARATORS)
    name, _comma, role = (part.strip(SEPARATORS) for part in rest.partition(","))
    return {
        "name": (name or line)[:200],
        "role": role[:200],
        "email": email.group().strip(".,;")[:254] if email else "",
        "phone": phone.group().strip()[:30] if phone else "",
    }


def text_to_contacts(apps, schema_editor):
    Event = apps.get_model("theme_sessions", "Event")
    Contact = apps.get_model("theme_sessions", "Contact")
    for event in Event.objects.exclude(contact=""):
        lines = [line.strip() for line in event.contact.splitlines() if line.strip()]
        Contact.objects.bulk_create(
            Contact(event=event, order=order, **contact_from_line(line))
            for order, line in enumerate(lines, start=1)
        )


def contacts_to_text(apps, schema_editor):
    Event = apps.get_model("theme_sessions", "Event")
    for event in Event.objects.filter(contacts__isnull=False).distinct():
        event.contact = "\n".join(
            " – ".join(part for part in [c.name, c.role, c.email, c.phone] if part)
            for c in event.contacts.order_by("order", "pk")
        )
        event.save(update_fields=["contact"])


class Migration(migrations.Migration):
    dependencies = [("theme_sessions", "0002_event_page_details")]

    operations = [
        migrations.RunPython(text_to_contacts, contacts_to_text),
        migrations.RemoveField(model_name="event", name="contact"),
    ]

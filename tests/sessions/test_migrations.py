"""The migration that turned the free-text contact field into contacts: nothing is lost."""

from importlib import import_module

import pytest

contact_from_line = import_module(
    "sessions.migrations.0003_contact_text_to_contacts"
).contact_from_line


@pytest.mark.parametrize(
    ("line", "contact"),
    [
        (
            "Anna de Vries, adviseur – anna.devries@example.org",
            ("Anna de Vries", "adviseur", "anna.devries@example.org", ""),
        ),
        (
            "Bram Koster, adviseur – bram@example.org – 030 000 00 02",
            ("Bram Koster", "adviseur", "bram@example.org", "030 000 00 02"),
        ),
        ("Bel ons: 030-0000001", ("Bel ons", "", "", "030-0000001")),
        (
            "secretariaat@example.org",
            ("secretariaat@example.org", "", "secretariaat@example.org", ""),
        ),
        ("Karin (Atrivé)", ("Karin (Atrivé)", "", "", "")),
    ],
    ids=["name-role-email", "with-phone", "phone-only", "email-only", "name-only"],
)
def test_contact_line_becomes_a_contact(line, contact):
    found = contact_from_line(line)

    assert (found["name"], found["role"], found["email"], found["phone"]) == contact

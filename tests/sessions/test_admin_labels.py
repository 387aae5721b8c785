"""The event's change form in the admin names every input for screen readers: the inline rows
by column and row, the deadline's date and time boxes each by their part, and no table header
is empty. (The browser tests run axe on the same page.)"""

from html.parser import HTMLParser

import pytest
from django.urls import reverse

from tests.factories import ContactFactory, ProgrammeItemFactory

pytestmark = pytest.mark.django_db

INPUTS = {"input", "select", "textarea"}
UNNAMED_TYPES = {"hidden", "submit", "button", "image"}


class FormReader(HTMLParser):
    """Collect a page's inputs, the ids that labels point at, and the inline tables' headers."""

    def __init__(self) -> None:
        super().__init__()
        self.inputs: list[dict[str, str]] = []
        self.labelled_ids: set[str] = set()
        self.headers: list[str] = []
        self.in_header = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = {name: value or "" for name, value in attrs}
        if tag in INPUTS and attributes.get("type") not in UNNAMED_TYPES:
            self.inputs.append(attributes)
        elif tag == "label" and attributes.get("for"):
            self.labelled_ids.add(attributes["for"])
        elif tag == "th":
            self.in_header = True
            self.headers.append("")

    def handle_endtag(self, tag: str) -> None:
        if tag == "th":
            self.in_header = False

    def handle_data(self, data: str) -> None:
        if self.in_header:
            self.headers[-1] += data.strip()


@pytest.fixture
def change_form(adviser_client, event) -> FormReader:
    """Read the change form of a lab with four sessions, a programme, prices and a contact."""
    ProgrammeItemFactory(event=event)
    ContactFactory(event=event)
    response = adviser_client.get(reverse("admin:theme_sessions_event_change", args=[event.pk]))
    assert response.status_code == 200
    reader = FormReader()
    reader.feed(response.content.decode())
    return reader


def test_every_input_of_the_event_form_has_a_name(change_form):
    # Act
    unnamed = [
        attributes.get("name")
        for attributes in change_form.inputs
        if not attributes.get("aria-label")
        and not attributes.get("aria-labelledby")
        and attributes.get("id") not in change_form.labelled_ids
    ]

    # Assert: the template rows for "add another" included.
    assert len(change_form.inputs) > 40
    assert unnamed == []


def test_inline_inputs_are_named_by_column_and_row(change_form):
    # Act
    names = {
        attributes.get("name"): attributes.get("aria-label") for attributes in change_form.inputs
    }

    # Assert
    assert names["sessions-1-title"] == "Titel, themasessie 2"
    assert names["sessions-3-capacity"] == "Maximum aantal deelnemers, themasessie 4"
    assert names["sessions-0-DELETE"] == "Verwijderen, themasessie 1"
    assert names["programme-0-time"] == "Tijd, programmaonderdeel 1"
    assert names["price_tiers-2-amount"] == "Bedrag, prijs 3"
    assert names["contacts-0-phone"] == "Telefoon, contactpersoon 1"
    assert names["sessions-__prefix__-title"] == "Titel, themasessie (nieuw)"
    assert names["registration_deadline_0"] == "Aanmelden kan tot, datum"
    assert names["registration_deadline_1"] == "Aanmelden kan tot, tijd"


def test_no_table_header_of_the_inlines_is_empty(change_form):
    # Assert: four inlines, each with a header for the saved row's name and for deleting.
    assert change_form.headers.count("Themasessie") == 1
    assert change_form.headers.count("Verwijderen?") == 4
    assert "" not in change_form.headers

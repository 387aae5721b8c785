"""No add, change or delete buttons beside a list of events or sessions in any admin form: one
would act on the event or session itself. Session filters name the event's date."""

import re

import pytest
from django.urls import reverse

from tests.factories import AttendeeFactory, EventFactory, InvoiceFactory, ThemeSessionFactory

pytestmark = pytest.mark.django_db

BUTTON = re.compile(r'id="(add|change|delete|view)_id_[\w-]*(event|session)"')


def test_no_related_buttons_beside_event_or_session_lists(admin_client):
    # Arrange
    attendee = AttendeeFactory()
    InvoiceFactory(event=attendee.event)
    pages = [
        reverse("admin:theme_sessions_themesession_add"),
        reverse("admin:theme_sessions_themesession_change", args=[attendee.session_id]),
        reverse("admin:theme_sessions_event_add"),
        reverse("admin:theme_sessions_event_change", args=[attendee.event_id]),
        reverse("admin:registrations_attendee_change", args=[attendee.pk]),
        reverse("admin:registrations_registration_change", args=[attendee.registration_id]),
        reverse("admin:registrations_invoice_change", args=[attendee.registration.invoice_id]),
    ]

    # Act
    found = {url: BUTTON.findall(admin_client.get(url).content.decode()) for url in pages}

    # Assert
    assert found == {url: [] for url in pages}


def test_session_filter_names_the_events_date(admin_client):
    # Arrange: a lab and its copy, both with a session called Duurzaamheid.
    for day in [15, 22]:
        event = EventFactory(date=f"2027-05-{day}")
        ThemeSessionFactory(event=event, title="Duurzaamheid")

    # Act
    response = admin_client.get(reverse("admin:registrations_attendee_changelist"))

    # Assert
    content = response.content.decode()
    assert "Duurzaamheid (22 mei 2027)" in content
    assert "Duurzaamheid (15 mei 2027)" in content

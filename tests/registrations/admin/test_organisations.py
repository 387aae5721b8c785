"""The organisation admin: an organisation's labs and head counts, and one name per organisation."""

import pytest
from django.urls import reverse
from pytest_django.asserts import assertContains

from tests.factories import EventFactory, OrganisationFactory, ThemeSessionFactory
from tests.signup_posts import members_of

pytestmark = pytest.mark.django_db


def test_changelist_as_adviser_shows_the_organisation(adviser_client, event, sign_up):
    # Arrange
    sign_up(event, members_of(event, 2))

    # Act
    response = adviser_client.get(reverse("admin:registrations_organisation_changelist"))

    # Assert
    assertContains(response, "Huurdersvereniging De Linde")


def test_organisation_change_page_lists_its_labs(adviser_client, event, sign_up):
    # Arrange
    earlier = EventFactory(title="Participatielab voorjaar")
    ThemeSessionFactory(event=earlier)
    sign_up(earlier, members_of(earlier, 1))
    registration = sign_up(
        event, members_of(event, 2), organisation_name="huurdersvereniging de linde"
    )
    url = reverse("admin:registrations_organisation_change", args=[registration.organisation_id])

    # Act
    response = adviser_client.get(url)

    # Assert
    for lab in (earlier, event):
        link = reverse("admin:theme_sessions_event_change", args=[lab.pk])
        assertContains(response, f'<a href="{link}">{lab}</a>', html=True)
    assertContains(response, '<td class="field-attendee_count"><p>1</p></td>', html=True)
    assertContains(response, '<td class="field-attendee_count"><p>2</p></td>', html=True)
    assertContains(response, '<td class="field-due"><p>€ 50,00</p></td>', html=True)
    assertContains(response, '<td class="field-due"><p>€ 85,00</p></td>', html=True)


def test_organisation_changelist_counts_labs_and_people_once(adviser_client, event, sign_up):
    # Arrange
    earlier = EventFactory(title="Participatielab voorjaar")
    ThemeSessionFactory(event=earlier)
    sign_up(earlier, members_of(earlier, 1, prefix="oud"))
    sign_up(event, members_of(event, 2))

    # Act
    response = adviser_client.get(reverse("admin:registrations_organisation_changelist"))

    # Assert
    assertContains(response, '<td class="field-labs">2</td>', html=True)
    assertContains(response, '<td class="field-people">3</td>', html=True)


def test_renaming_an_organisation_to_an_existing_name_is_refused(adviser_client):
    # Arrange
    OrganisationFactory(name="Huurdersvereniging De Linde")
    other = OrganisationFactory(name="HV Linde")
    url = reverse("admin:registrations_organisation_change", args=[other.pk])

    # Act
    response = adviser_client.post(
        url,
        {
            "name": "  huurdersvereniging  de linde ",
            "invoices-TOTAL_FORMS": "0",
            "invoices-INITIAL_FORMS": "0",
            "invoices-MIN_NUM_FORMS": "0",
            "invoices-MAX_NUM_FORMS": "0",
        },
    )

    # Assert: the form says why, and nothing changed.
    assert response.status_code == 200
    assertContains(response, "Er is al een organisatie")
    other.refresh_from_db()
    assert other.name == "HV Linde"

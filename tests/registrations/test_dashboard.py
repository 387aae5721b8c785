"""The admin's home (`registrations.dashboard`): a card per coming lab and the last one, with
the fill per session, the money, the mail still waiting and the links for the evening."""

import datetime
from decimal import Decimal

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse
from django.utils import timezone
from pytest_django.asserts import assertContains, assertNotContains

from registrations.invoices import mark_invoices_paid
from registrations.models import Invoice
from tests.factories import EventFactory, OutboxMailFactory, ThemeSessionFactory

pytestmark = pytest.mark.django_db

HOME = "/admin/"


def test_admin_home_is_the_dashboard(adviser_client):
    # Act
    response = adviser_client.get(reverse("admin:index"))

    # Assert
    assert reverse("admin:index") == HOME
    assert response.templates[0].name == "admin/registrations/dashboard/index.html"


def test_dashboard_shows_coming_labs_and_the_last_one(adviser_client):
    # Arrange
    today = timezone.localdate()
    older = EventFactory(title="Lab van lang geleden", date=today - datetime.timedelta(days=90))
    last = EventFactory(title="Lab van vorige maand", date=today - datetime.timedelta(days=30))
    later = EventFactory(title="Lab in de herfst", date=today + datetime.timedelta(days=90))
    soon = EventFactory(title="Lab volgende maand", date=today + datetime.timedelta(days=30))

    # Act
    response = adviser_client.get(HOME)

    # Assert
    cards = [(card.event, card.is_past) for card in response.context["cards"]]
    assert cards == [(soon, False), (later, False), (last, True)]
    assertNotContains(response, older.title)


def test_dashboard_card_shows_fill_places_waiting_and_money(adviser_client, sign_up):
    # Arrange: the evening takes 5; Duurzaamheid takes 2 and is full, one waits for it.
    event = EventFactory(capacity=5, has_waiting_list=True)
    small = ThemeSessionFactory(event=event, title="Duurzaamheid", capacity=2)
    open_session = ThemeSessionFactory(event=event, title="Werksessie")
    sign_up(event, [("An", "an@example.org", small), ("Bo", "bo@example.org", small)])
    sign_up(
        event,
        [("Cor", "cor@example.org", small), ("Dirk", "dirk@example.org", open_session)],
        organisation_name="Bewonersraad Oost",
        contact_email="cor@example.org",
        wait=True,
    )
    mark_invoices_paid(invoices=Invoice.objects.filter(organisation__name="Bewonersraad Oost"))

    # Act
    response = adviser_client.get(HOME)

    # Assert
    (card,) = response.context["cards"]
    fill, money = (part["data"] for part in card.parts)
    assert [
        (s["title"], s["taken"], s["capacity"], s["fill"], s["waiting"]) for s in fill["sessions"]
    ] == [
        ("Duurzaamheid", 2, 2, 100, 1),
        ("Werksessie", 1, None, 50, 0),
    ]
    assert (fill["confirmed"], fill["waiting"], fill["places_left"]) == (3, 1, 2)
    assert (money["due"], money["paid"], money["open"]) == (
        Decimal("135.00"),
        Decimal("50.00"),
        Decimal("85.00"),
    )
    assertContains(response, "€ 85,00")
    assertContains(response, 'width="100"', count=3)  # two tracks and the full bar


def test_dashboard_links_to_the_pages_of_the_evening(adviser_client):
    # Arrange
    event = EventFactory()

    # Act
    response = adviser_client.get(HOME)

    # Assert
    (card,) = response.context["cards"]
    assert [url for _label, url in card.links] == [
        reverse(f"admin:theme_sessions_event_{name}", args=[event.pk])
        for name in [
            "overview",
            "signup",
            "check_in",
            "desk_list",
            "badges",
            "export",
            "invoices",
            "invite",
            "mailing",
            "evaluation",
        ]
    ]


def test_dashboard_says_how_long_the_oldest_mail_waits(adviser_client):
    # Arrange
    EventFactory()
    mail = OutboxMailFactory()
    mail.created_at = timezone.now() - datetime.timedelta(hours=2)
    mail.save(update_fields=["created_at"])

    # Act
    response = adviser_client.get(HOME)

    # Assert
    assertContains(response, "wacht al 2\xa0uur")
    assertContains(response, "Draait de mailverwerker?")


def test_dashboard_for_the_door_shows_check_in_and_desk_list_only(client, django_user_model):
    # Arrange
    event = EventFactory()
    user = django_user_model.objects.create_user("deur", is_staff=True)
    user.groups.add(Group.objects.get(name="Deur"))
    client.force_login(user)

    # Act
    response = client.get(HOME)

    # Assert
    (card,) = response.context["cards"]
    assert [url for _label, url in card.links] == [
        reverse(f"admin:theme_sessions_event_{name}", args=[event.pk])
        for name in ["check_in", "desk_list"]
    ]
    assert (card.parts, response.context["mail"]) == ([], None)
    assertNotContains(response, "Te betalen")


def test_dashboard_for_staff_without_rights_shows_no_figures_or_links(
    client, django_user_model, sign_up, event
):
    # Arrange
    sign_up(event, [("An", "an@example.org", event.sessions.first())])
    user = django_user_model.objects.create_user("stagiair", is_staff=True)
    client.force_login(user)

    # Act
    response = client.get(HOME)

    # Assert
    (card,) = response.context["cards"]
    assert (card.links, card.parts) == ([], [])
    assertNotContains(response, "Huurdersvereniging De Linde")
    assertNotContains(response, "€")

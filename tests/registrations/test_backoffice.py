"""The staff pages about one event (`registrations.backoffice`): the overview, sign-ups taken
by phone, the export and the presence lists, as an Atrivé adviser and as those who may not."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone
from pytest_django.asserts import assertContains, assertNotContains

from registrations.changes import cancel_attendee
from registrations.invoices import mark_invoices_paid
from registrations.models import Attendee, Registration, Status
from tests.signup_posts import members_of, row_counts, signup_data

pytestmark = pytest.mark.django_db


def event_page_url(name, event):
    return reverse(f"admin:theme_sessions_event_{name}", args=[event.pk])


def phoned_in(members, **fields):
    """Return what staff post for a sign-up taken by phone: the public form's fields."""
    fields = {"send_confirmation": "on"} | fields
    return signup_data(
        members, contact_phone="030 123 45 67", remarks="Belde op maandag.", **fields
    )


# The overview ---------------------------------------------------------------------------------


def test_overview_shows_taken_places_per_session(adviser_client, event, sign_up):
    # Arrange
    first, second, *_rest = event.sessions.all()
    first.capacity = 5
    first.save(update_fields=["capacity"])
    sign_up(event, [("An", "an@example.org", first), ("Bas", "bas@example.org", first)])
    sign_up(event, [("Cor", "cor@example.org", second)], organisation_name="Bewonersraad Oost")

    # Act
    response = adviser_client.get(event_page_url("overview", event))

    # Assert
    assert response.status_code == 200
    rows = [
        (s.title, s.taken, s.capacity, s.places_left, s.is_full, s.waiting)
        for s in response.context["sessions"]
    ]
    assert rows == [
        ("Duurzaamheid", 2, 5, 3, False, 0),
        ("Financiën van de corporatie", 1, None, None, False, 0),
        ("Werksessie", 0, None, None, False, 0),
        ("Jaarcyclus", 0, None, None, False, 0),
    ]
    assertContains(
        response,
        "<tr><td>Duurzaamheid</td><td>2</td><td>5</td><td>3</td><td>0</td>"
        '<td><a href="{}">Presentielijst</a> · <a href="{}">Export</a></td></tr>'.format(
            reverse("admin:theme_sessions_event_presence_list", args=[event.pk, first.pk]),
            reverse("admin:theme_sessions_event_session_export", args=[event.pk, first.pk]),
        ),
        html=True,
    )
    assertContains(response, '<td class="amount-due">€ 135,00</td>', html=True)
    assertContains(response, '<td class="amount-paid">€ 0,00</td>', html=True)
    assertContains(response, '<td class="amount-open">€ 135,00</td>', html=True)
    assert response.context["people"] == {"confirmed": 3, "waiting": 0, "cancelled": 0}


def test_overview_lists_a_paid_invoice_whose_amount_changed(adviser_client, event, sign_up):
    # Arrange
    registration = sign_up(event, members_of(event, 3))
    mark_invoices_paid(invoices=[registration.invoice])
    leaving = registration.attendees.order_by("pk").last()
    cancel_attendee(attendee=leaving, by_staff=True)

    # Act
    response = adviser_client.get(event_page_url("overview", event))

    # Assert
    assert list(response.context["differences"]) == [registration.invoice]
    assertContains(response, "Betaald, maar het bedrag is veranderd")
    assertContains(
        response,
        '<tr><td><a href="{}">Huurdersvereniging De Linde</a></td>'
        "<td>€ 85,00</td><td>€ 100,00</td><td>€ -15,00</td></tr>".format(
            reverse("admin:registrations_invoice_change", args=[registration.invoice_id])
        ),
        html=True,
    )
    assertNotContains(response, "Geen verschillen.")
    assertContains(response, '<td class="amount-due">€ 85,00</td>', html=True)
    assertContains(response, '<td class="amount-paid">€ 100,00</td>', html=True)
    assertContains(response, '<td class="amount-open">€ -15,00</td>', html=True)
    assert response.context["people"] == {"confirmed": 2, "waiting": 0, "cancelled": 1}


def test_overview_counts_dietary_wishes_ignoring_case_and_spaces(adviser_client, event, sign_up):
    # Arrange
    sign_up(event, members_of(event, 3, diets=["Vegetarisch", " vegetarisch", "Glutenvrij"]))
    # The service strips input; a row saved another way may still carry spaces.
    Attendee.objects.filter(email="lid1@example.org").update(dietary_wishes=" vegetarisch ")

    # Act
    response = adviser_client.get(event_page_url("overview", event))

    # Assert
    assert list(response.context["diets"]) == [
        {"wish": "vegetarisch", "count": 2},
        {"wish": "glutenvrij", "count": 1},
    ]
    assertContains(response, "<tr><td>vegetarisch</td><td>2</td></tr>", html=True)


def test_overview_counts_sign_ups_per_week(adviser_client, event, sign_up):
    # Arrange
    monday = timezone.make_aware(datetime.datetime(2025, 3, 3, 10, 0))
    for offset, (name, size) in enumerate([("De Linde", 2), ("Oost", 1), ("West", 3)], start=0):
        registration = sign_up(
            event,
            members_of(event, size, prefix=name.replace(" ", "")),
            organisation_name=name,
        )
        created = monday + datetime.timedelta(days=2 + 3 * offset)  # 5, 8 and 11 March
        Registration.objects.filter(pk=registration.pk).update(created_at=created)

    # Act
    response = adviser_client.get(event_page_url("overview", event))

    # Assert
    assertContains(response, "<tr><td>3 maart 2025</td><td>2</td><td>3</td></tr>", html=True)
    assertContains(response, "<tr><td>10 maart 2025</td><td>1</td><td>3</td></tr>", html=True)


# Sign-ups taken by phone ----------------------------------------------------------------------


def test_phone_signup_page_speaks_to_staff_without_anti_spam_fields(adviser_client, event):
    # Act
    response = adviser_client.get(event_page_url("signup", event))

    # Assert
    assert response.status_code == 200
    assert list(response.context["form"].fields) == [
        "organisation_name",
        "contact_name",
        "contact_email",
        "contact_phone",
        "remarks",
        "invoice_attention",
        "invoice_address",
        "invoice_reference",
        "wait_as_group",
        "no_invitations",
        "consent",
        "send_confirmation",
        "over_capacity",
    ]
    assertContains(response, "Naam van de contactpersoon")
    assertContains(response, 'class="form-row')
    for customer_words in ["Uw naam", "Hierheen sturen wij", "Laat dit veld leeg", "started"]:
        assertNotContains(response, customer_words)


@pytest.mark.parametrize(("send", "mails"), [("on", 3), ("", 0)], ids=["mail", "no-mail"])
def test_phone_signup_mails_a_confirmation_only_when_staff_choose(
    adviser_client, event, send, mails
):
    # Act
    adviser_client.post(
        event_page_url("signup", event),
        phoned_in([("An", "an@example.org", event.sessions.first())], send_confirmation=send),
    )

    # Assert: the contact, the member and Atrivé; or nobody.
    registration = Registration.objects.get()
    assert registration.mails.count() == mails


def test_signup_on_behalf_after_the_deadline_creates_the_sign_up(adviser_client, event):
    # Arrange
    event.registration_deadline = timezone.now() - datetime.timedelta(days=1)
    event.save(update_fields=["registration_deadline"])
    session = event.sessions.first()

    # Act
    response = adviser_client.post(
        event_page_url("signup", event), phoned_in([("An", "an@example.org", session)])
    )

    # Assert
    registration = Registration.objects.get()
    assert response.status_code == 302
    assert response.url == reverse(
        "admin:registrations_registration_change", args=[registration.pk]
    )
    assert (registration.organisation.name, registration.contact_phone) == (
        "Huurdersvereniging De Linde",
        "030 123 45 67",
    )
    assert list(registration.attendees.values_list("email", "session", "status")) == [
        ("an@example.org", session.pk, Status.CONFIRMED)
    ]
    assert registration.invoice.amount_due == Decimal("50.00")


def test_signup_on_behalf_of_someone_already_signed_up_writes_nothing(
    adviser_client, event, sign_up
):
    # Arrange: An of Bewonersraad Oost is signed up already; on the phone she is named again.
    session = event.sessions.first()
    sign_up(event, [("An Oost", "", session)], organisation_name="Bewonersraad Oost")
    before = row_counts()

    # Act
    response = adviser_client.post(
        event_page_url("signup", event),
        phoned_in(
            [("Bas", "", session), ("an  oost", "an@example.org", session)],
            organisation_name="Bewonersraad Oost",
        ),
    )

    # Assert
    assertContains(response, "An Oost van Bewonersraad Oost is al aangemeld voor deze bijeenkomst.")
    assert row_counts() == before


def test_signup_on_behalf_takes_shared_and_missing_addresses_and_the_choice_to_wait(
    adviser_client, event
):
    # Arrange: the Werksessie is full; on the phone, Cor chooses to wait for it.
    event.has_waiting_list = True
    event.save(update_fields=["has_waiting_list"])
    full = event.sessions.get(title="Werksessie")
    full.capacity = 0
    full.save(update_fields=["capacity"])
    room = event.sessions.get(title="Jaarcyclus")
    data = phoned_in(
        [
            ("Anna", "", room),
            ("Bert", "secretariaat@example.org", room),
            ("Cor", "secretariaat@example.org", full),
        ]
    )

    # Act
    refused = adviser_client.post(event_page_url("signup", event), data)
    done = adviser_client.post(
        event_page_url("signup", event), data | {"members-2-wait_if_full": "on"}
    )

    # Assert
    assertContains(refused, "Deze themasessie is vol.")
    assert done.status_code == 302
    registration = Registration.objects.get()
    assert sorted(registration.attendees.values_list("name", "email", "status")) == [
        ("Anna", "", Status.CONFIRMED),
        ("Bert", "secretariaat@example.org", Status.CONFIRMED),
        ("Cor", "secretariaat@example.org", Status.WAITING),
    ]


# The export and the presence list ------------------------------------------------------------


def test_event_export_as_adviser_returns_the_csv(adviser_client, event, sign_up):
    # Arrange
    sign_up(event, members_of(event, 2))

    # Act
    response = adviser_client.get(event_page_url("export", event))

    # Assert
    assert response.status_code == 200
    content = b"".join(response.streaming_content).decode("utf-8-sig")
    assert "Huurdersvereniging De Linde" in content


def test_presence_list_as_adviser_shows_the_session(adviser_client, event, sign_up):
    # Arrange
    session = event.sessions.first()
    sign_up(event, [("An Voorbeeld", "an@example.org", session)])
    url = reverse("admin:theme_sessions_event_presence_list", args=[event.pk, session.pk])

    # Act
    response = adviser_client.get(url)

    # Assert
    assertContains(response, "An Voorbeeld")


# Who may not --------------------------------------------------------------------------------


@pytest.mark.parametrize("page", ["overview", "signup"])
def test_event_page_anonymous_is_sent_to_login(client, event, page):
    # Arrange
    url = event_page_url(page, event)

    # Act
    response = client.get(url)

    # Assert
    assert response.status_code == 302
    assert response.url == f"{reverse('admin:login')}?next={url}"


@pytest.mark.parametrize("page", ["overview", "signup"])
def test_event_page_non_staff_is_sent_to_login(
    client, django_user_model, adviser_group, event, page
):
    # Arrange
    user = django_user_model.objects.create_user(username="lid")
    user.groups.add(adviser_group)
    client.force_login(user)
    url = event_page_url(page, event)

    # Act
    response = client.get(url)

    # Assert
    assert response.status_code == 302
    assert response.url == f"{reverse('admin:login')}?next={url}"


@pytest.mark.parametrize("page", ["overview", "signup"])
def test_event_page_staff_without_permission_is_forbidden(client, django_user_model, event, page):
    # Arrange
    user = django_user_model.objects.create_user(username="stagiair", is_staff=True)
    client.force_login(user)

    # Act
    response = client.get(event_page_url(page, event))

    # Assert
    assert response.status_code == 403


def test_signup_on_behalf_staff_without_permission_writes_nothing(client, django_user_model, event):
    # Arrange
    user = django_user_model.objects.create_user(username="stagiair", is_staff=True)
    client.force_login(user)
    session = event.sessions.first()

    # Act
    response = client.post(
        event_page_url("signup", event), phoned_in([("An", "an@example.org", session)])
    )

    # Assert
    assert response.status_code == 403
    assert row_counts() == (0, 0, 0)

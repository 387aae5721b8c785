"""The back office through the admin pages, as an Atrivé adviser and as a superuser."""

import datetime
from decimal import Decimal

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse
from django.utils import timezone
from pytest_django.asserts import assertContains, assertNotContains

from registrations.models import Attendee, Invoice, Registration, Status
from registrations.services import AttendeeData, refresh_event, register_group
from sessions.models import Event
from tests.factories import (
    AttendeeFactory,
    EventFactory,
    OrganisationFactory,
    ProgrammeItemFactory,
    RegistrationFactory,
    ThemeSessionFactory,
)
from tests.signup_posts import row_counts

pytestmark = pytest.mark.django_db

ADVISER_GROUP = "Atrivé adviseurs"


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    """Hash passwords cheaply: `admin_client` logs in a superuser for many tests here."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def adviser(django_user_model):
    """A staff member who is not a superuser and gets only the adviser group's rights."""
    user = django_user_model.objects.create_user(username="adviseur", email="adviseur@example.org")
    user.is_staff = True
    user.save(update_fields=["is_staff"])
    user.groups.add(Group.objects.get(name=ADVISER_GROUP))
    return user


@pytest.fixture
def adviser_client(client, adviser):
    """The test client, logged in as the adviser."""
    client.force_login(adviser)
    return client


def sign_up(event, organisation_name, members, **kwargs):
    """Sign a group up through the service: `members` are (name, e-mail, session[, diet])."""
    return register_group(
        event=event,
        organisation_name=organisation_name,
        contact_name="Karin Voorbeeld",
        contact_email="karin@example.org",
        attendees=[
            AttendeeData(
                name=member[0],
                email=member[1],
                session_id=member[2].pk,
                dietary_wishes=member[3] if len(member) > 3 else "",
            )
            for member in members
        ],
        privacy_version="test",
        **kwargs,
    )


def group_of(event, count, *, prefix="lid", diets=()):
    """Return `count` board members spread over the event's sessions."""
    sessions = list(event.sessions.all())
    return [
        (
            f"Bestuurslid {prefix} {n}",
            f"{prefix}{n}@example.org",
            sessions[n % len(sessions)],
            diets[n] if n < len(diets) else "",
        )
        for n in range(count)
    ]


def run_action(client, model_path, action, objects):
    """POST an admin action on the changelist of `model_path` ("app/model") for `objects`."""
    return client.post(
        f"/admin/{model_path}/",
        {"action": action, "_selected_action": [obj.pk for obj in objects]},
    )


def signup_post(members, **fields):
    """Return the POST body of the sign-up form: `members` are (name, e-mail, session) rows."""
    data = {
        "organisation_name": "Huurdersvereniging De Linde",
        "contact_name": "Karin Voorbeeld",
        "contact_email": "karin@example.org",
        "contact_phone": "030 123 45 67",
        "remarks": "Belde op maandag.",
        "consent": "on",
        "members-TOTAL_FORMS": "3",
        "members-INITIAL_FORMS": "0",
        "members-MIN_NUM_FORMS": "1",
        "members-MAX_NUM_FORMS": "3",
    }
    for index in range(3):
        name, email, session = members[index] if index < len(members) else ("", "", "")
        data |= {
            f"members-{index}-name": name,
            f"members-{index}-email": email,
            f"members-{index}-session": str(getattr(session, "pk", session)),
            f"members-{index}-dietary_wishes": "",
        }
    return data | fields


# What an adviser sees ----------------------------------------------------------------------


@pytest.mark.parametrize(
    "model_path",
    [
        "registrations/registration",
        "registrations/attendee",
        "registrations/invoice",
        "registrations/organisation",
    ],
)
def test_changelist_as_adviser_shows_the_organisation(adviser_client, event, model_path):
    # Arrange
    sign_up(event, "Huurdersvereniging De Linde", group_of(event, 2))

    # Act
    response = adviser_client.get(f"/admin/{model_path}/")

    # Assert
    assertContains(response, "Huurdersvereniging De Linde")


def test_event_changelist_as_adviser_shows_the_event(adviser_client, event):
    # Act
    response = adviser_client.get(reverse("admin:theme_sessions_event_changelist"))

    # Assert
    assertContains(response, event.title)
    assertContains(response, reverse("admin:theme_sessions_event_overview", args=[event.pk]))


@pytest.mark.parametrize("model_path", ["registrations/registration", "registrations/invoice"])
def test_changelist_as_adviser_shows_the_group_price(adviser_client, event, model_path):
    # Arrange
    sign_up(event, "Huurdersvereniging De Linde", group_of(event, 2))

    # Act
    response = adviser_client.get(f"/admin/{model_path}/")

    # Assert
    assertContains(response, "€ 85,00")


def test_organisation_change_page_lists_its_labs(adviser_client, event):
    # Arrange
    earlier = EventFactory(title="Participatielab voorjaar")
    ThemeSessionFactory(event=earlier)
    sign_up(earlier, "Huurdersvereniging De Linde", group_of(earlier, 1))
    registration = sign_up(event, "huurdersvereniging de linde", group_of(event, 2))
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


def test_organisation_changelist_counts_labs_and_people_once(adviser_client, event):
    # Arrange
    earlier = EventFactory(title="Participatielab voorjaar")
    ThemeSessionFactory(event=earlier)
    sign_up(earlier, "Huurdersvereniging De Linde", group_of(earlier, 1, prefix="oud"))
    sign_up(event, "Huurdersvereniging De Linde", group_of(event, 2))

    # Act
    response = adviser_client.get(reverse("admin:registrations_organisation_changelist"))

    # Assert
    assertContains(response, '<td class="field-labs">2</td>', html=True)
    assertContains(response, '<td class="field-people">3</td>', html=True)


def test_copy_as_next_lab_action_copies_the_offer_without_sign_ups(adviser_client, event):
    # Arrange
    sessions = list(event.sessions.all())
    sessions[0].capacity = 12
    sessions[0].save(update_fields=["capacity"])
    ProgrammeItemFactory(event=event, time=datetime.time(17, 0), title="Inloop")
    ProgrammeItemFactory(event=event, time=datetime.time(17, 15), title="Opening")
    sign_up(event, "Huurdersvereniging De Linde", group_of(event, 3))

    # Act
    response = run_action(adviser_client, "theme_sessions/event", "copy_as_next_lab", [event])

    # Assert
    assert response.status_code == 302
    copy = Event.objects.exclude(pk=event.pk).get()
    assert copy.is_published is False
    assert [(s.title, s.capacity) for s in copy.sessions.all()] == [
        (s.title, s.capacity) for s in event.sessions.all()
    ]
    assert [(i.time, i.title) for i in copy.programme.all()] == [
        (datetime.time(17, 0), "Inloop"),
        (datetime.time(17, 15), "Opening"),
    ]
    assert copy.price_tiers_map() == {
        1: Decimal("50.00"),
        2: Decimal("85.00"),
        3: Decimal("100.00"),
    }
    assert (copy.registrations.count(), copy.attendees.count(), copy.invoices.count()) == (
        0,
        0,
        0,
    )


def test_overview_shows_taken_places_per_session(adviser_client, event):
    # Arrange
    first, second, *_rest = event.sessions.all()
    first.capacity = 5
    first.save(update_fields=["capacity"])
    sign_up(
        event,
        "Huurdersvereniging De Linde",
        [("An", "an@example.org", first), ("Bas", "bas@example.org", first)],
    )
    sign_up(event, "Bewonersraad Oost", [("Cor", "cor@example.org", second)])
    url = reverse("admin:theme_sessions_event_overview", args=[event.pk])

    # Act
    response = adviser_client.get(url)

    # Assert
    assert response.status_code == 200
    rows = [
        (s["title"], s["taken"], s["capacity"], s["places_left"])
        for s in response.context["sessions"]
    ]
    assert rows == [
        ("Duurzaamheid", 2, 5, 3),
        ("Financiën van de corporatie", 1, None, None),
        ("Werksessie", 0, None, None),
        ("Jaarcyclus", 0, None, None),
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


def test_overview_lists_a_paid_invoice_whose_amount_changed(adviser_client, event):
    # Arrange
    registration = sign_up(event, "Huurdersvereniging De Linde", group_of(event, 3))
    run_action(adviser_client, "registrations/invoice", "mark_paid", [registration.invoice])
    leaving = registration.attendees.order_by("pk").last()
    run_action(adviser_client, "registrations/attendee", "cancel_attendees", [leaving])
    url = reverse("admin:theme_sessions_event_overview", args=[event.pk])

    # Act
    response = adviser_client.get(url)

    # Assert
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


def test_overview_counts_dietary_wishes_ignoring_case_and_spaces(adviser_client, event):
    # Arrange
    sign_up(
        event,
        "Huurdersvereniging De Linde",
        group_of(event, 3, diets=["Vegetarisch", " vegetarisch", "Glutenvrij"]),
    )
    # The service strips input; a row saved another way may still carry spaces.
    Attendee.objects.filter(email="lid1@example.org").update(dietary_wishes=" vegetarisch ")
    url = reverse("admin:theme_sessions_event_overview", args=[event.pk])

    # Act
    response = adviser_client.get(url)

    # Assert
    assert list(response.context["diets"]) == [
        {"wish": "vegetarisch", "count": 2},
        {"wish": "glutenvrij", "count": 1},
    ]
    assertContains(response, "<tr><td>vegetarisch</td><td>2</td></tr>", html=True)


def test_overview_counts_sign_ups_per_week(adviser_client, event):
    # Arrange
    monday = timezone.make_aware(datetime.datetime(2025, 3, 3, 10, 0))
    for offset, (name, size) in enumerate([("De Linde", 2), ("Oost", 1), ("West", 3)], start=0):
        registration = sign_up(event, name, group_of(event, size, prefix=name.replace(" ", "")))
        created = monday + datetime.timedelta(days=2 + 3 * offset)  # 5, 8 and 11 March
        Registration.objects.filter(pk=registration.pk).update(created_at=created)
    url = reverse("admin:theme_sessions_event_overview", args=[event.pk])

    # Act
    response = adviser_client.get(url)

    # Assert
    assertContains(response, "<tr><td>3 maart 2025</td><td>2</td><td>3</td></tr>", html=True)
    assertContains(response, "<tr><td>10 maart 2025</td><td>1</td><td>3</td></tr>", html=True)


# Changes an adviser makes -------------------------------------------------------------------


def test_mark_paid_action_records_the_payment(adviser_client, event):
    # Arrange
    registration = sign_up(event, "Huurdersvereniging De Linde", group_of(event, 3))

    # Act
    response = run_action(
        adviser_client, "registrations/invoice", "mark_paid", [registration.invoice]
    )

    # Assert
    assert response.status_code == 302
    invoice = Invoice.objects.get(pk=registration.invoice_id)
    assert (invoice.amount_due, invoice.amount_paid) == (Decimal("100.00"), Decimal("100.00"))
    assert invoice.paid_at is not None


def test_cancel_attendees_action_after_payment_lowers_only_the_amount_due(adviser_client, event):
    # Arrange
    registration = sign_up(event, "Huurdersvereniging De Linde", group_of(event, 3))
    run_action(adviser_client, "registrations/invoice", "mark_paid", [registration.invoice])
    leaving = registration.attendees.order_by("pk").last()

    # Act
    response = run_action(adviser_client, "registrations/attendee", "cancel_attendees", [leaving])

    # Assert
    assert response.status_code == 302
    invoice = Invoice.objects.get(pk=registration.invoice_id)
    assert (invoice.attendee_count, invoice.amount_due, invoice.amount_paid) == (
        2,
        Decimal("85.00"),
        Decimal("100.00"),
    )
    assert list(registration.attendees.order_by("pk").values_list("status", flat=True)) == [
        Status.CONFIRMED,
        Status.CONFIRMED,
        Status.CANCELLED,
    ]
    assert Registration.objects.get(pk=registration.pk).status == Status.CONFIRMED


def test_cancel_attendees_action_of_the_last_member_cancels_the_sign_up(adviser_client, event):
    # Arrange
    registration = sign_up(event, "Huurdersvereniging De Linde", group_of(event, 1))

    # Act
    run_action(
        adviser_client, "registrations/attendee", "cancel_attendees", registration.attendees.all()
    )

    # Assert
    registration.refresh_from_db()
    assert (registration.status, registration.attendees.get().status) == (
        Status.CANCELLED,
        Status.CANCELLED,
    )
    assert registration.invoice.amount_due == Decimal("0.00")


def test_cancel_registrations_action_keeps_the_rows_and_reprices(adviser_client, event):
    # Arrange
    first = sign_up(event, "Huurdersvereniging De Linde", group_of(event, 2, prefix="a"))
    second = sign_up(event, "Huurdersvereniging De Linde", group_of(event, 1, prefix="b"))
    assert Invoice.objects.get().amount_due == Decimal("100.00")

    # Act
    response = run_action(
        adviser_client, "registrations/registration", "cancel_registrations", [second]
    )

    # Assert
    assert response.status_code == 302
    assert row_counts() == (2, 3, 1)
    second.refresh_from_db()
    assert second.status == Status.CANCELLED
    assert list(second.attendees.values_list("status", flat=True)) == [Status.CANCELLED]
    assert Registration.objects.get(pk=first.pk).status == Status.CONFIRMED
    invoice = Invoice.objects.get()
    assert (invoice.attendee_count, invoice.amount_due) == (2, Decimal("85.00"))


def attendee_change_post(attendee, session):
    """Return the POST body of the attendee change form with another session chosen."""
    return {
        "name": attendee.name,
        "email": attendee.email,
        "session": str(session.pk),
        "dietary_wishes": attendee.dietary_wishes,
        "_save": "Opslaan",
    }


def test_attendee_change_form_moves_to_another_session(adviser_client, event):
    # Arrange
    first, second, *_rest = event.sessions.all()
    registration = sign_up(event, "Huurdersvereniging De Linde", [("An", "an@example.org", first)])
    attendee = registration.attendees.get()
    url = reverse("admin:registrations_attendee_change", args=[attendee.pk])

    # Act
    response = adviser_client.post(url, attendee_change_post(attendee, second))

    # Assert
    assert response.status_code == 302
    assert Attendee.objects.get(pk=attendee.pk).session == second


def test_attendee_change_form_refuses_a_full_session(adviser_client, event):
    # Arrange
    first, second, *_rest = event.sessions.all()
    second.capacity = 1
    second.save(update_fields=["capacity"])
    sign_up(event, "Bewonersraad Oost", [("Cor", "cor@example.org", second)])
    registration = sign_up(event, "Huurdersvereniging De Linde", [("An", "an@example.org", first)])
    attendee = registration.attendees.get()
    url = reverse("admin:registrations_attendee_change", args=[attendee.pk])

    # Act
    response = adviser_client.post(url, attendee_change_post(attendee, second), follow=True)

    # Assert
    assertContains(response, f"De sessie ‘{second.title}’ is vol.")
    assertNotContains(response, "succesvol gewijzigd")
    assert Attendee.objects.get(pk=attendee.pk).session == first


def test_attendee_change_form_refusing_a_full_session_saves_nothing(adviser_client, event):
    # Arrange
    first, second, *_rest = event.sessions.all()
    second.capacity = 1
    second.save(update_fields=["capacity"])
    sign_up(event, "Bewonersraad Oost", [("Cor", "cor@example.org", second)])
    registration = sign_up(event, "Huurdersvereniging De Linde", [("An", "an@example.org", first)])
    attendee = registration.attendees.get()
    url = reverse("admin:registrations_attendee_change", args=[attendee.pk])

    # Act
    adviser_client.post(url, attendee_change_post(attendee, second) | {"name": "An Anders"})

    # Assert
    attendee.refresh_from_db()
    assert (attendee.name, attendee.session) == ("An", first)


def test_signup_on_behalf_after_the_deadline_creates_the_sign_up(adviser_client, event):
    # Arrange
    event.registration_deadline = timezone.now() - datetime.timedelta(days=1)
    event.save(update_fields=["registration_deadline"])
    session = event.sessions.first()
    url = reverse("admin:theme_sessions_event_signup", args=[event.pk])

    # Act
    response = adviser_client.post(url, signup_post([("An", "an@example.org", session)]))

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


def test_signup_on_behalf_with_a_taken_email_writes_nothing(adviser_client, event):
    # Arrange
    session = event.sessions.first()
    sign_up(event, "Bewonersraad Oost", [("An", "an@example.org", session)])
    before = row_counts()
    url = reverse("admin:theme_sessions_event_signup", args=[event.pk])

    # Act
    response = adviser_client.post(
        url,
        signup_post([("Bas", "bas@example.org", session), ("An", "AN@example.org", session)]),
    )

    # Assert
    assertContains(response, "is al aangemeld voor deze bijeenkomst")
    assert row_counts() == before


def test_event_export_as_adviser_returns_the_csv(adviser_client, event):
    # Arrange
    sign_up(event, "Huurdersvereniging De Linde", group_of(event, 2))

    # Act
    response = adviser_client.get(reverse("admin:theme_sessions_event_export", args=[event.pk]))

    # Assert
    assert response.status_code == 200
    content = b"".join(response.streaming_content).decode("utf-8-sig")
    assert "Huurdersvereniging De Linde" in content


def test_presence_list_as_adviser_shows_the_session(adviser_client, event):
    # Arrange
    session = event.sessions.first()
    sign_up(event, "Huurdersvereniging De Linde", [("An Voorbeeld", "an@example.org", session)])
    url = reverse("admin:theme_sessions_event_presence_list", args=[event.pk, session.pk])

    # Act
    response = adviser_client.get(url)

    # Assert
    assertContains(response, "An Voorbeeld")


# Who may not -------------------------------------------------------------------------------


def event_page_url(name, event):
    return reverse(f"admin:theme_sessions_event_{name}", args=[event.pk])


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
def test_event_page_non_staff_is_sent_to_login(client, django_user_model, event, page):
    # Arrange
    user = django_user_model.objects.create_user(username="lid")
    user.groups.add(Group.objects.get(name=ADVISER_GROUP))
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
        event_page_url("signup", event), signup_post([("An", "an@example.org", session)])
    )

    # Assert
    assert response.status_code == 403
    assert row_counts() == (0, 0, 0)


def test_adviser_group_has_exactly_the_registration_permissions():
    # Arrange
    group = Group.objects.get(name=ADVISER_GROUP)

    # Act
    codenames = set(
        group.permissions.filter(content_type__app_label="registrations").values_list(
            "codename", flat=True
        )
    )

    # Assert
    assert codenames == {
        "view_organisation",
        "change_organisation",
        "view_registration",
        "add_registration",
        "change_registration",
        "view_attendee",
        "change_attendee",
        "view_invoice",
        "change_invoice",
        "export_personal_data",
    }


def test_adviser_may_export_but_never_delete_sign_ups(adviser):
    # Act
    rights = {
        permission: adviser.has_perm(permission)
        for permission in [
            "registrations.export_personal_data",
            "registrations.delete_registration",
            "registrations.delete_attendee",
            "registrations.delete_invoice",
            "registrations.delete_organisation",
        ]
    }

    # Assert
    assert rights == {
        "registrations.export_personal_data": True,
        "registrations.delete_registration": False,
        "registrations.delete_attendee": False,
        "registrations.delete_invoice": False,
        "registrations.delete_organisation": False,
    }


# Query counts -------------------------------------------------------------------------------


DIETS = ["", "", "Vegetarisch", "", "Glutenvrij", "", "vegetarisch "]


def busy_event(attendees: int) -> Event:
    """Build a lab with `attendees` board members from organisations of up to three people.

    Registrations come from the factory and attendees are bulk-inserted; every third
    organisation has paid, and some sign-ups are cancelled or on the waiting list.
    """
    event = EventFactory(has_waiting_list=True)
    sessions = ThemeSessionFactory.create_batch(4, event=event, capacity=400)
    ProgrammeItemFactory(event=event)
    statuses = [Status.CONFIRMED] * 5 + [Status.CANCELLED, Status.WAITING]
    registrations = [
        RegistrationFactory(event=event, status=statuses[n % len(statuses)])
        for n in range((attendees + 2) // 3)
    ]
    Attendee.objects.bulk_create(
        AttendeeFactory.build(
            registration=registrations[n // 3],
            session=sessions[n % len(sessions)],
            dietary_wishes=DIETS[n % len(DIETS)],
        )
        for n in range(attendees)
    )
    Invoice.objects.filter(event=event).update(attendee_count=3, amount_due=Decimal("100.00"))
    paid = Invoice.objects.filter(event=event).order_by("pk")[::3]
    Invoice.objects.filter(pk__in=[invoice.pk for invoice in paid]).update(
        amount_paid=Decimal("100.00"), paid_at=timezone.now()
    )
    return event


# Found by running once; they must be the same for 10 and for 300 attendees. Each includes
# the session and user look-ups of the logged-in superuser.
# The attendee list skips the second count of all rows (show_full_result_count = False).
QUERIES = {"attendee": 6, "registration": 8, "invoice": 6, "overview": 9}

SIZES = pytest.mark.parametrize("attendees", [10, 300], ids=["10-attendees", "300-attendees"])


@SIZES
@pytest.mark.parametrize("page", ["attendee", "registration", "invoice"])
def test_changelist_query_count_does_not_grow(
    admin_client, django_assert_num_queries, attendees, page
):
    # Arrange
    busy_event(attendees)

    # Act / Assert
    with django_assert_num_queries(QUERIES[page]):
        response = admin_client.get(reverse(f"admin:registrations_{page}_changelist"))
    assert response.status_code == 200


@SIZES
def test_event_overview_query_count_does_not_grow(
    admin_client, django_assert_num_queries, attendees
):
    # Arrange
    event = busy_event(attendees)

    # Act / Assert
    with django_assert_num_queries(QUERIES["overview"]):
        response = admin_client.get(reverse("admin:theme_sessions_event_overview", args=[event.pk]))
    assert response.status_code == 200


# Changes to an event that touch its sign-ups ------------------------------------------------


def test_session_cannot_be_moved_to_another_event(adviser_client, event):
    # Arrange
    session = event.sessions.first()
    other = EventFactory()
    url = reverse("admin:theme_sessions_themesession_change", args=[session.pk])

    # Act
    response = adviser_client.post(
        url, {"event": other.pk, "title": session.title, "description": "", "order": 1}
    )

    # Assert: saved, but the event field is read-only, so the session stays where it was.
    assert response.status_code == 302
    session.refresh_from_db()
    assert session.event_id == event.pk


def test_new_price_reprices_existing_sign_ups(event):
    # Arrange: an organisation of three owes € 100,00.
    sessions = list(event.sessions.all())
    registration = register_group(
        event=event,
        organisation_name="Huurdersvereniging De Linde",
        contact_name="Karin Voorbeeld",
        contact_email="karin@example.org",
        attendees=[
            AttendeeData(name=f"Lid {n}", email=f"lid{n}@example.org", session_id=sessions[n].pk)
            for n in range(3)
        ],
        privacy_version="test",
    )
    event.price_tiers.filter(group_size=3).update(amount=Decimal("120.00"))

    # Act: what the event's change form does after staff saved it.
    refresh_event(event=event)

    # Assert
    registration.invoice.refresh_from_db()
    assert registration.invoice.amount_due == Decimal("120.00")


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

"""The evening at the door (`registrations.door`, `registrations.presence`): the desk list,
check-in on a tablet, walk-ins beyond the maximum and name badges."""

import io

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse
from pypdf import PdfReader
from pytest_django.asserts import assertContains, assertNotContains

from registrations.models import Attendee, OutboxMail, Registration, Status
from tests.factories import AttendeeFactory, ThemeSessionFactory
from tests.signup_posts import signup_data

pytestmark = pytest.mark.django_db


def page_url(name, event):
    return reverse(f"admin:theme_sessions_event_{name}", args=[event.pk])


@pytest.fixture
def door_client(client, django_user_model):
    """The test client logged in as a member of the "Deur" group, made by a data migration."""
    user = django_user_model.objects.create_user("deur", is_staff=True)
    user.groups.add(Group.objects.get(name="Deur"))
    client.force_login(user)
    return client


@pytest.fixture
def evening(event, sign_up):
    """Three confirmed board members of two organisations, and one who cancelled."""
    first, second, *_rest = event.sessions.all()
    sign_up(
        event,
        [
            ("Zoë Zwart", "zoe@example.org", first, "vegetarisch"),
            ("Anna de Wit", "anna@example.org", second),
        ],
    )
    sign_up(
        event,
        [("Bram Bos", "bram@example.org", first), ("Cees Weg", "cees@example.org", first)],
        organisation_name="Bewonersraad Oost",
        contact_email="bram@example.org",
    )
    Attendee.objects.filter(name="Cees Weg").update(status=Status.CANCELLED)
    return event


# The desk list --------------------------------------------------------------------------------


def test_desk_list_shows_everyone_coming_by_name_with_session_and_diet(adviser_client, evening):
    # Act
    response = adviser_client.get(page_url("desk_list", evening))

    # Assert
    assert response.status_code == 200
    rows = [
        (a.name, a.registration.organisation.name, a.session.title, a.dietary_wishes)
        for a in response.context["attendees"]
    ]
    assert rows == [
        ("Anna de Wit", "Huurdersvereniging De Linde", "Financiën van de corporatie", ""),
        ("Bram Bos", "Bewonersraad Oost", "Duurzaamheid", ""),
        ("Zoë Zwart", "Huurdersvereniging De Linde", "Duurzaamheid", "vegetarisch"),
    ]
    assertContains(response, "Handtekening")
    assertContains(response, "print-presence.css")


# Check-in -------------------------------------------------------------------------------------


def test_check_in_marks_present_and_tap_again_undoes(door_client, evening):
    # Arrange
    anna = Attendee.objects.get(name="Anna de Wit")
    url = page_url("check_in", evening)

    # Act
    door_client.post(url, {"attendee": anna.pk, "action": "in"})
    present = door_client.get(url)
    door_client.post(url, {"attendee": anna.pk, "action": "undo"})
    undone = door_client.get(url)

    # Assert
    assert present.context["counts"] == {"present": 1, "expected": 3}
    assert undone.context["counts"] == {"present": 0, "expected": 3}
    anna.refresh_from_db()
    assert (anna.checked_in_at, anna.checked_in_by) == (None, None)


def test_check_in_from_the_script_answers_with_the_row_and_the_counts(door_client, evening):
    # Arrange
    anna = Attendee.objects.get(name="Anna de Wit")

    # Act
    response = door_client.post(
        page_url("check_in", evening),
        {"attendee": anna.pk, "action": "in"},
        headers={"Accept": "application/json"},
    )

    # Assert: no message left for the next page.
    data = response.json()
    assert data["message"] == "Anna de Wit is aanwezig."
    assert 'aria-pressed="true"' in data["row"]
    assert 'value="undo"' in data["row"]
    assert " ".join(data["counts"].split()) == "<strong>1</strong> van 3 aanwezig"
    page = door_client.get(page_url("check_in", evening))
    assertNotContains(page, "Anna de Wit is aanwezig.")


def test_undo_of_someone_not_present_says_so(door_client, evening):
    # Arrange
    anna = Attendee.objects.get(name="Anna de Wit")

    # Act
    response = door_client.post(
        page_url("check_in", evening), {"attendee": anna.pk, "action": "undo"}, follow=True
    )

    # Assert
    assertContains(response, "Anna de Wit was niet aanwezig gemeld.")
    assert response.context["counts"] == {"present": 0, "expected": 3}


def test_check_in_records_who_and_twice_counts_once(door_client, evening):
    # Arrange
    anna = Attendee.objects.get(name="Anna de Wit")
    url = page_url("check_in", evening)

    # Act
    door_client.post(url, {"attendee": anna.pk, "action": "in"})
    second = door_client.post(url, {"attendee": anna.pk, "action": "in"}, follow=True)

    # Assert
    anna.refresh_from_db()
    assert anna.checked_in_by.username == "deur"
    assert second.context["counts"] == {"present": 1, "expected": 3}
    assertContains(second, "Anna de Wit was al aanwezig gemeld.")


def test_check_in_search_on_the_server_finds_by_name_or_organisation(door_client, evening):
    # Act
    by_organisation = door_client.get(page_url("check_in", evening), {"q": "oost"})
    by_name = door_client.get(page_url("check_in", evening), {"q": "zoë"})

    # Assert
    assert [a.name for a in by_organisation.context["attendees"]] == ["Bram Bos"]
    assert [a.name for a in by_name.context["attendees"]] == ["Zoë Zwart"]


def test_check_in_refuses_attendee_of_another_event(door_client, evening):
    # Arrange
    stranger = AttendeeFactory()

    # Act
    response = door_client.post(
        page_url("check_in", evening), {"attendee": stranger.pk, "action": "in"}
    )

    # Assert
    assert response.status_code == 404
    stranger.refresh_from_db()
    assert stranger.checked_in_at is None


# Walk-ins -------------------------------------------------------------------------------------


def walk_in(client, event, session, **fields):
    data = signup_data(
        [("Wim Loper", "", session)],
        organisation_name="Huurdersraad Noord",
        contact_name="Wim Loper",
        contact_email="wim@example.org",
        **fields,
    )
    return client.post(page_url("signup", event) + "?loper=1", data, follow=True)


def test_walk_in_beyond_capacity_refused_without_staff_choice(adviser_client, evening):
    # Arrange: the session is full.
    full = ThemeSessionFactory(event=evening, title="Klein", capacity=0)

    # Act
    response = walk_in(adviser_client, evening, full)

    # Assert
    assert response.status_code == 200
    assertContains(response, "Vol. Vink dit aan om toch toe te laten")
    assert not Registration.objects.filter(contact_name="Wim Loper").exists()


def test_walk_in_beyond_capacity_admitted_and_recorded_when_staff_choose(
    adviser_client, adviser, evening
):
    # Arrange
    full = ThemeSessionFactory(event=evening, title="Klein", capacity=0)
    mails_before = OutboxMail.objects.count()

    # Act
    response = walk_in(adviser_client, evening, full, over_capacity="on")

    # Assert: in, present at once, the choice kept with the adviser's name, and no mail.
    registration = Registration.objects.get(contact_name="Wim Loper")
    wim = registration.attendees.get()
    assert response.redirect_chain[-1][0] == page_url("check_in", evening)
    assert (registration.over_capacity, registration.over_capacity_by) == (True, adviser)
    assert (wim.status, wim.checked_in_by) == (Status.CONFIRMED, adviser)
    assert OutboxMail.objects.count() == mails_before
    assert response.context["counts"] == {"present": 1, "expected": 4}
    change_page = adviser_client.get(
        reverse("admin:registrations_registration_change", args=[registration.pk])
    )
    assertContains(change_page, "Boven het maximum toegelaten door:")
    assertContains(change_page, "adviseur")


def test_walk_in_with_room_is_not_recorded_as_over_capacity(adviser_client, evening):
    # Act
    walk_in(
        adviser_client,
        evening,
        evening.sessions.first(),
        over_capacity="on",
        send_confirmation="on",
    )

    # Assert
    registration = Registration.objects.get(contact_name="Wim Loper")
    assert (registration.over_capacity, registration.over_capacity_by) == (False, None)
    assert OutboxMail.objects.filter(registration=registration).exists()


# Name badges ----------------------------------------------------------------------------------


def test_badges_are_a_pdf_with_everyones_name(adviser_client, evening):
    # Act
    response = adviser_client.get(page_url("badges", evening))

    # Assert
    assert response["Content-Type"] == "application/pdf"
    reader = PdfReader(io.BytesIO(response.content))
    text = "\n".join(page.extract_text() for page in reader.pages)
    assert len(reader.pages) == 1
    for name in ["Anna de Wit", "Bram Bos", "Zoë Zwart", "Bewonersraad Oost", "Duurzaamheid"]:
        assert name in text
    assert "Cees Weg" not in text


# Who may open what ----------------------------------------------------------------------------


def test_door_user_reaches_check_in_and_desk_list_and_nothing_else(door_client, evening):
    # Arrange
    session = evening.sessions.first()
    allowed = [page_url("check_in", evening), page_url("desk_list", evening)]
    refused = [page_url(name, evening) for name in ["overview", "signup", "export", "badges"]] + [
        reverse("admin:theme_sessions_event_presence_list", args=[evening.pk, session.pk]),
        reverse("admin:theme_sessions_event_change", args=[evening.pk]),
        reverse("admin:registrations_registration_changelist"),
        reverse("admin:registrations_attendee_changelist"),
        reverse("admin:registrations_registration_personal_data"),
    ]

    # Act
    opened = {url: door_client.get(url).status_code for url in allowed + refused}

    # Assert: and the pages link to nothing the door cannot open.
    assert opened == dict.fromkeys(allowed, 200) | dict.fromkeys(refused, 403)
    for url in allowed:
        changelist = reverse("admin:theme_sessions_event_changelist")
        assertNotContains(door_client.get(url), f'href="{changelist}"')


def test_badges_come_eight_to_a_page(adviser_client, event):
    # Arrange
    session = event.sessions.first()
    for n in range(9):
        AttendeeFactory(registration__event=event, session=session, name=f"Persoon {n}")

    # Act
    response = adviser_client.get(page_url("badges", event))

    # Assert
    reader = PdfReader(io.BytesIO(response.content))
    assert len(reader.pages) == 2
    assert "Persoon 8" in reader.pages[1].extract_text()

"""Sign-up through the real view, posting exactly what the plain HTML form sends."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone
from pytest_django.asserts import assertContains

from registrations import signup
from registrations.models import Attendee, Organisation, Registration, Status
from registrations.text import single_line
from tests.db_checks import InjectedFailure, db_state, fail_after
from tests.factories import (
    AttendeeFactory,
    EventFactory,
    OrganisationFactory,
    RegistrationFactory,
    ThemeSessionFactory,
)
from tests.signup_posts import row_counts, signup_data, signup_url

pytestmark = pytest.mark.django_db


def post_signup(client, event, data, **kwargs):
    return client.post(signup_url(event), data, **kwargs)


# Sign-ups that succeed ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("size", "amount"),
    [(1, "€ 50,00"), (2, "€ 85,00"), (3, "€ 100,00")],
    ids=["one-member", "two-members", "three-members"],
)
def test_signup_group_shows_group_price_on_confirmation(client, event, size, amount):
    # Arrange
    sessions = list(event.sessions.all())
    members = [(f"Lid {n}", f"lid{n}@example.org", sessions[n]) for n in range(size)]

    # Act
    response = post_signup(client, event, signup_data(members), follow=True)

    # Assert
    assert response.status_code == 200
    assert len(response.redirect_chain) == 1
    assertContains(response, f"<strong>{amount}</strong>", count=1)
    for n in range(size):
        assertContains(response, f"Themasessie: <strong>{sessions[n].title}</strong>", count=1)
    assert row_counts() == (1, size, 1)
    registration = Registration.objects.get()
    assert registration.status == Status.CONFIRMED
    assert sorted(registration.attendees.values_list("email", "session__title")) == sorted(
        (f"lid{n}@example.org", sessions[n].title) for n in range(size)
    )


def test_signup_confirmation_reload_writes_nothing(client, event):
    # Arrange
    session = event.sessions.first()
    response = post_signup(
        client, event, signup_data([("Lid", "lid@example.org", session)]), follow=True
    )
    confirmation_url = response.redirect_chain[-1][0]
    counts_after_signup = row_counts()

    # Act
    reload = client.get(confirmation_url)

    # Assert
    assert reload.status_code == 200
    assertContains(reload, "<strong>€ 50,00</strong>", count=1)
    assert row_counts() == counts_after_signup == (1, 1, 1)


def test_signup_second_signup_of_organisation_prices_both_together(client, event):
    # Arrange: the organisation already brings one board member from an earlier sign-up.
    session = event.sessions.first()
    organisation = OrganisationFactory(name="Huurdersvereniging De Linde")
    earlier = RegistrationFactory(event=event, organisation=organisation)
    AttendeeFactory(registration=earlier, session=session, email="eerste@example.org")

    # Act
    response = post_signup(
        client,
        event,
        signup_data([("Tweede Lid", "tweede@example.org", session)]),
        follow=True,
    )

    # Assert
    assert response.status_code == 200
    assertContains(response, "<strong>€ 85,00</strong>", count=1)
    assert row_counts() == (2, 2, 1)


def test_signup_organisation_name_spelling_reuses_one_organisation(client, event):
    # Arrange
    session = event.sessions.first()
    post_signup(
        client,
        event,
        signup_data(
            [("Eerste Lid", "eerste@example.org", session)],
            organisation_name="Huurdersvereniging De Linde",
        ),
    )

    # Act
    post_signup(
        client,
        event,
        signup_data(
            [("Tweede Lid", "tweede@example.org", session)],
            organisation_name="  huurdersvereniging  de linde ",
        ),
    )

    # Assert
    assert Registration.objects.count() == 2
    assert list(Organisation.objects.values_list("name", flat=True)) == [
        "Huurdersvereniging De Linde"
    ]


def test_signup_full_session_with_waiting_list_waits_only_when_chosen(client):
    # Arrange
    event = EventFactory(has_waiting_list=True)
    full = ThemeSessionFactory(event=event, capacity=1)
    AttendeeFactory(registration__event=event, session=full)
    counts_before = row_counts()
    data = signup_data([("Lid", "lid@example.org", full)])

    # Act: first without the choice, then with it.
    refused = post_signup(client, event, data)
    response = post_signup(client, event, data | {"members-0-wait_if_full": "on"}, follow=True)

    # Assert
    assertContains(refused, "Deze themasessie is vol. Kies ‘op de wachtlijst voor deze sessie’.")
    assertContains(refused, 'name="members-0-wait_if_full"')
    assert response.status_code == 200
    assertContains(response, "U staat op de wachtlijst")
    registration = Registration.objects.latest("pk")
    assert registration.status == Status.WAITING
    assert list(registration.attendees.values_list("status", flat=True)) == [Status.WAITING]
    assert row_counts() == (counts_before[0] + 1, counts_before[1] + 1, counts_before[2] + 1)


def test_signup_member_waits_the_others_are_confirmed_and_the_page_sums_it_up(client):
    # Arrange: the Werksessie is full; Anna chose to wait for it.
    event = EventFactory(has_waiting_list=True)
    room = ThemeSessionFactory(event=event, title="Duurzaamheid")
    full = ThemeSessionFactory(event=event, title="Werksessie", capacity=1)
    AttendeeFactory(registration__event=event, session=full)
    data = signup_data(
        [("Anna Lid", "anna@example.org", full), ("Bert Lid", "", room)],
        **{"members-0-wait_if_full": "on"},
    )

    # Act
    response = post_signup(client, event, data, follow=True)

    # Assert: the page after saving says what a script would have said before.
    assertContains(response, "U bent aangemeld")
    assertContains(response, "Anna Lid wacht op een plaats in Werksessie", count=1)
    assertContains(response, "Bert Lid gaat naar Duurzaamheid", count=1)
    assertContains(response, "<strong>€ 50,00</strong>", count=1)
    registration = Registration.objects.latest("pk")
    assert sorted(registration.attendees.values_list("name", "status")) == [
        ("Anna Lid", Status.WAITING),
        ("Bert Lid", Status.CONFIRMED),
    ]


def test_signup_group_too_large_for_the_evening_chooses_to_wait_as_a_whole(client):
    # Arrange: one place left on the evening, a group of two.
    event = EventFactory(has_waiting_list=True, capacity=2)
    session = ThemeSessionFactory(event=event)
    AttendeeFactory(registration__event=event, session=session)
    members = [("Anna Lid", "", session), ("Bert Lid", "", session)]

    # Act
    page = client.get(signup_url(event))
    refused = post_signup(client, event, signup_data(members))
    waiting = post_signup(client, event, signup_data(members, wait_as_group="on"), follow=True)

    # Assert
    assertContains(page, "Er is nog 1 plaats op deze bijeenkomst.", count=1)
    assertContains(
        refused,
        '<a href="#id_wait_as_group">Zet de hele groep op de wachtlijst: Er is nog 1 plaats op '
        "deze bijeenkomst, en u meldt 2 bestuursleden aan. Meld nu minder bestuursleden aan, of "
        "zet de hele groep op de wachtlijst.</a>",
        html=True,
    )
    assertContains(waiting, "U staat op de wachtlijst")
    registration = Registration.objects.latest("pk")
    assert (registration.status, registration.wait_as_group) == (Status.WAITING, True)


def test_signup_members_sharing_an_address_or_without_one_are_accepted(client, event):
    # Arrange: Anna has no address; Bert and Cor share the secretariat's.
    sessions = list(event.sessions.all())
    members = [
        ("Anna Lid", "", sessions[0]),
        ("Bert Lid", "secretariaat@example.org", sessions[1]),
        ("Cor Lid", "Secretariaat@Example.org", sessions[2]),
    ]

    # Act
    response = post_signup(client, event, signup_data(members), follow=True)

    # Assert
    assertContains(response, "U bent aangemeld")
    assertContains(response, "Geen eigen e-mailadres: alle post gaat naar u.", count=1)
    assertContains(response, "(gedeeld adres)", count=2)
    assert sorted(Attendee.objects.values_list("name", "email")) == [
        ("Anna Lid", ""),
        ("Bert Lid", "secretariaat@example.org"),
        ("Cor Lid", "Secretariaat@Example.org"),
    ]


def test_signup_remarks_and_dietary_wishes_are_repeated_back(client, event):
    # Arrange
    data = signup_data([("Anna Lid", "", event.sessions.first())], remarks="Is er een lift?")
    data["members-0-dietary_wishes"] = "glutenvrij"

    # Act
    response = post_signup(client, event, data, follow=True)

    # Assert
    assertContains(response, "Is er een lift?", count=1)
    assertContains(response, "Dieetwensen: glutenvrij", count=1)


# Refusals: a clear Dutch message, and nothing written ----------------------------------------


def assert_refused(response, message, counts_before):
    """Check the form came back with `message` and the database did not change."""
    assert response.status_code == 200
    assertContains(response, "Controleer het formulier")
    assertContains(response, message)
    assert row_counts() == counts_before


def test_signup_missing_session_refused(client, event):
    # Arrange
    counts_before = row_counts()

    # Act
    response = post_signup(client, event, signup_data([("Lid", "lid@example.org", "")]))

    # Assert
    assert_refused(response, "Bestuurslid 1 – Themasessie: Dit veld is verplicht.", counts_before)


def test_signup_missing_session_in_extra_row_refused(client, event):
    # Arrange
    session = event.sessions.first()
    counts_before = row_counts()
    members = [("Eerste Lid", "eerste@example.org", session), ("Tweede", "tweede@example.org", "")]

    # Act
    response = post_signup(client, event, signup_data(members))

    # Assert
    assert_refused(response, "Bestuurslid 2 – Themasessie: Dit veld is verplicht.", counts_before)


@pytest.mark.parametrize(
    "second_name", ["Anna Lid", "  anna   LID ", "Änna Lid"], ids=["same", "case-spacing", "accent"]
)
def test_signup_same_person_twice_in_form_refused(client, event, second_name):
    # Arrange
    session = event.sessions.first()
    counts_before = row_counts()
    members = [("Anna Lid", "", session), (second_name, "", session)]

    # Act
    response = post_signup(client, event, signup_data(members))

    # Assert
    assert_refused(
        response,
        # The name as the form cleaned it: one line, single spaces.
        f"Bestuurslid 2 – Naam: {single_line(second_name)} staat al eerder in dit formulier.",
        counts_before,
    )


def test_signup_person_already_signed_up_by_their_organisation_refused(client, event):
    # Arrange: Anna Lid of De Linde came earlier, without an address; now with one.
    session = event.sessions.first()
    post_signup(client, event, signup_data([("Anna Lid", "", session)]))
    counts_before = row_counts()

    # Act
    response = post_signup(
        client,
        event,
        signup_data([("anna lid", "anna@example.org", session)], contact_email="b@example.org"),
    )

    # Assert
    assert_refused(
        response,
        "Bestuurslid 1 – Naam: Anna Lid van Huurdersvereniging De Linde is al aangemeld voor "
        "deze bijeenkomst.",
        counts_before,
    )


def test_signup_same_name_at_another_organisation_or_same_address_accepted(client, event):
    # Arrange
    session = event.sessions.first()
    post_signup(client, event, signup_data([("Anna Lid", "anna@example.org", session)]))

    # Act: another Anna Lid, of another organisation, with the same (shared) address.
    response = post_signup(
        client,
        event,
        signup_data(
            [("Anna Lid", "anna@example.org", session)], organisation_name="Bewonersraad De Eik"
        ),
    )

    # Assert
    assert response.status_code == 302
    assert Attendee.objects.filter(event=event, name="Anna Lid").count() == 2


def test_signup_email_signed_up_for_other_event_accepted(client, event):
    # Arrange
    AttendeeFactory(email="lid@example.org")
    session = event.sessions.first()

    # Act
    response = post_signup(client, event, signup_data([("Lid", "lid@example.org", session)]))

    # Assert
    assert response.status_code == 302
    assert Attendee.objects.filter(event=event).count() == 1


def test_signup_more_members_than_form_allows_refused(client, event):
    # Arrange: TOTAL_FORMS tampered up to 4, with 4 filled rows.
    sessions = list(event.sessions.all())
    members = [(f"Lid {n}", f"lid{n}@example.org", sessions[n]) for n in range(4)]
    counts_before = row_counts()

    # Act
    response = post_signup(client, event, signup_data(members, total_forms=4))

    # Assert
    assert_refused(
        response, "U kunt met ten hoogste 3 bestuursleden tegelijk aanmelden.", counts_before
    )


def test_signup_more_members_than_event_max_group_size_refused(client):
    # Arrange: the event allows two per sign-up; the form is tampered to send three.
    event = EventFactory(max_group_size=2)
    session = ThemeSessionFactory(event=event)
    members = [(f"Lid {n}", f"lid{n}@example.org", session) for n in range(3)]
    counts_before = row_counts()

    # Act
    response = post_signup(client, event, signup_data(members, total_forms=3))

    # Assert
    assert_refused(
        response, "U kunt met ten hoogste 2 bestuursleden tegelijk aanmelden.", counts_before
    )


def test_signup_full_session_without_waiting_list_refused(client, event):
    # Arrange
    full = ThemeSessionFactory(event=event, capacity=1)
    AttendeeFactory(registration__event=event, session=full)
    counts_before = row_counts()

    # Act
    response = post_signup(client, event, signup_data([("Lid", "lid@example.org", full)]))

    # Assert
    assert_refused(
        response,
        "Bestuurslid 1 – Themasessie: Deze themasessie is vol. Er is nog plaats bij: "
        "Duurzaamheid, Financiën van de corporatie, Werksessie, Jaarcyclus. Kies een andere "
        "sessie.",
        counts_before,
    )


def test_signup_group_larger_than_places_left_in_session_refused(client, event):
    # Arrange: one place left, two members choose that session.
    almost_full = ThemeSessionFactory(event=event, title="Bijna vol", capacity=2)
    AttendeeFactory(registration__event=event, session=almost_full)
    members = [(f"Lid {n}", f"lid{n}@example.org", almost_full) for n in range(2)]
    counts_before = row_counts()

    # Act
    response = post_signup(client, event, signup_data(members))

    # Assert
    assert_refused(
        response,
        "Bestuurslid 2 – Themasessie: Deze themasessie heeft nog maar 1 plaats. Er is nog plaats "
        "bij: Duurzaamheid, Financiën van de corporatie, Werksessie, Jaarcyclus. Kies een andere "
        "sessie.",
        counts_before,
    )


def test_signup_full_event_without_waiting_list_refused(client):
    # Arrange
    event = EventFactory(capacity=1)
    session = ThemeSessionFactory(event=event)
    AttendeeFactory(registration__event=event, session=session)
    counts_before = row_counts()

    # Act
    response = post_signup(client, event, signup_data([("Lid", "lid@example.org", session)]))

    # Assert
    assert_refused(response, "Deze bijeenkomst is vol.", counts_before)


def test_signup_without_consent_refused(client, event):
    # Arrange
    data = signup_data([("Lid", "lid@example.org", event.sessions.first())])
    del data["consent"]
    counts_before = row_counts()

    # Act
    response = post_signup(client, event, data)

    # Assert
    assert_refused(response, "Geef toestemming om u aan te kunnen melden.", counts_before)


def test_signup_after_deadline_refused(client):
    # Arrange
    event = EventFactory(registration_deadline=timezone.now() - datetime.timedelta(minutes=1))
    session = ThemeSessionFactory(event=event)
    counts_before = row_counts()

    # Act
    response = post_signup(client, event, signup_data([("Lid", "lid@example.org", session)]))

    # Assert
    assert response.status_code == 200
    assertContains(response, "De aanmelding is gesloten")
    assertContains(response, f"U kunt zich niet meer aanmelden voor {event.title}.")
    assert row_counts() == counts_before


def test_signup_unpublished_event_not_found(client):
    # Arrange
    event = EventFactory(is_published=False)
    session = ThemeSessionFactory(event=event)
    counts_before = row_counts()

    # Act
    response = post_signup(client, event, signup_data([("Lid", "lid@example.org", session)]))

    # Assert
    assertContains(response, "Deze pagina bestaat niet (meer)", status_code=404)
    assert row_counts() == counts_before


def test_signup_unknown_slug_not_found(client, event):
    # Arrange
    counts_before = row_counts()
    data = signup_data([("Lid", "lid@example.org", event.sessions.first())])

    # Act
    response = client.post(reverse("registrations:signup", args=["bestaat-niet"]), data)

    # Assert: the site's own Dutch page, not Django's English default.
    assertContains(response, '<html lang="nl">', status_code=404)
    assertContains(response, "Deze pagina bestaat niet (meer)", status_code=404)
    assert row_counts() == counts_before


# A failure halfway through writes nothing -----------------------------------------------------


def test_signup_failing_halfway_writes_nothing(client, busy_registration, monkeypatch):
    # Arrange: the same organisation signs up a third member; pricing fails after the rows.
    event = busy_registration.event
    state_before = db_state()
    seen = []
    fail_after(monkeypatch, signup, "recompute_invoice", seen=seen)
    data = signup_data([("Cor Lid", "cor@example.org", event.sessions.first())])

    # Act
    with pytest.raises(InjectedFailure):
        post_signup(client, event, data)

    # Assert
    assert len(seen[0]["attendees"]) == len(state_before["attendees"]) + 1  # really halfway
    assert db_state() == state_before


# The refused form itself ---------------------------------------------------------------------


def test_signup_refused_form_error_summary_links_to_field(client, event):
    # Arrange
    data = signup_data([("Lid", "lid@example.org", "")])

    # Act
    response = post_signup(client, event, data)

    # Assert
    assertContains(
        response,
        '<a href="#id_members-0-session">Bestuurslid 1 – Themasessie: Dit veld is verplicht.</a>',
        count=1,
        html=True,
    )
    assertContains(response, 'id="id_members-0-session"', count=1)


def test_signup_refused_form_keeps_typed_values(client, event):
    # Arrange
    session = event.sessions.first()
    data = signup_data(
        [("Piet Voorbeeld", "piet@example.org", session), ("Tweede", "tweede@example.org", "")],
        contact_phone="030 123 45 67",
        remarks="Graag een plek bij de deur.",
    )

    # Act
    response = post_signup(client, event, data)

    # Assert
    assertContains(response, 'href="#id_members-1-session"', count=1)
    assertContains(response, 'value="Huurdersvereniging De Linde"', count=1)
    assertContains(response, 'value="Karin Voorbeeld"', count=1)
    assertContains(response, 'value="030 123 45 67"', count=1)
    assertContains(response, 'value="Piet Voorbeeld"', count=1)
    assertContains(response, 'value="piet@example.org"', count=1)
    assertContains(response, "Graag een plek bij de deur.</textarea>", count=1)
    assertContains(response, f'<option value="{session.pk}" selected>', count=1)
    assertContains(response, 'value="tweede@example.org"', count=1)
    assertContains(response, 'id="id_consent" checked', count=1)


@pytest.mark.parametrize(
    ("total_forms", "message"),
    [
        ("0", "Meld ten minste één bestuurslid aan."),
        ("abc", "Het formulier is niet volledig aangekomen."),
        (None, "Het formulier is niet volledig aangekomen."),
    ],
    ids=["zero-rows", "not-a-number", "missing"],
)
def test_signup_tampered_row_count_refused(client, event, total_forms, message):
    # Arrange
    data = signup_data([("Lid", "lid@example.org", event.sessions.first())])
    if total_forms is None:
        del data["members-TOTAL_FORMS"]
    else:
        data["members-TOTAL_FORMS"] = total_forms
    counts_before = row_counts()

    # Act
    response = post_signup(client, event, data)

    # Assert
    assert_refused(response, message, counts_before)


# The empty sign-up page ----------------------------------------------------------------------


def test_signup_page_shows_price_table_before_submitting(client, event):
    response = client.get(signup_url(event))

    assert response.status_code == 200
    assertContains(response, '<td class="text-end amount">€ 50,00</td>', count=1)
    assertContains(response, '<td class="text-end amount">€ 85,00</td>', count=1)
    assertContains(response, '<td class="text-end amount">€ 100,00</td>', count=1)


def test_signup_page_full_session_without_waiting_list_cannot_be_chosen(client, event):
    # Arrange
    full = ThemeSessionFactory(event=event, title="Vol zaaltje", capacity=1)
    AttendeeFactory(registration__event=event, session=full)

    # Act
    response = client.get(signup_url(event))

    # Assert: one disabled option in each of the three member rows.
    assertContains(
        response, f'<option value="{full.pk}" disabled>Vol zaaltje (vol)</option>', count=3
    )


def test_signup_page_full_session_with_waiting_list_offers_waiting_list(client):
    # Arrange
    event = EventFactory(has_waiting_list=True)
    full = ThemeSessionFactory(event=event, title="Vol zaaltje", capacity=1)
    AttendeeFactory(registration__event=event, session=full)

    # Act
    response = client.get(signup_url(event))

    # Assert
    assertContains(
        response,
        f'<option value="{full.pk}" data-full>Vol zaaltje (vol, wachtlijst)</option>',
        count=3,
    )


def test_signup_error_summary_lists_each_message_once(client, event, settings):
    # Arrange: a form sent too fast gets one general message.
    settings.SIGNUP_MIN_SECONDS = 3
    data = signup_data([("Lid", "lid@example.org", event.sessions.first())])

    # Act
    response = post_signup(client, event, data)

    # Assert
    assertContains(response, "Dat ging wel heel snel", count=1)


# What is typed, as it is stored ---------------------------------------------------------------

FORGED = "Karin\nStatus: betaald"


def test_signup_stores_one_line_names_whatever_was_typed(client, event):
    # Arrange: line breaks and control characters in every one-line field.
    session = event.sessions.first()
    data = signup_data(
        [("Piet\r\nStatus: betaald", "piet@example.org", session)],
        organisation_name="De Linde\nBetaald: ja",
        contact_name=FORGED,
        contact_phone="030\n123\x0745",
    )
    data["members-0-dietary_wishes"] = "geen\u2028Status: betaald"

    # Act
    response = post_signup(client, event, data)

    # Assert
    assert response.status_code == 302
    registration = Registration.objects.select_related("organisation").get()
    attendee = registration.attendees.get()
    assert registration.organisation.name == "De Linde Betaald: ja"
    assert registration.contact_name == "Karin Status: betaald"
    assert registration.contact_phone == "030 12345"
    assert (attendee.name, attendee.dietary_wishes) == (
        "Piet Status: betaald",
        "geen Status: betaald",
    )


def test_register_group_stores_one_line_names_whoever_calls_it(sign_up, event):
    # Act: a caller that skips the form (a command, the demo seeder, a future page).
    registration = sign_up(
        event,
        [("Piet\nStatus: betaald", "piet@example.org", event.sessions.first(), "veganistisch\n")],
        organisation_name="De Linde\r\nBetaald: ja",
        contact_name=FORGED,
        contact_phone="030\n1234567",
    )

    # Assert
    registration.refresh_from_db()
    attendee = registration.attendees.get()
    assert registration.organisation.name == "De Linde Betaald: ja"
    assert (registration.contact_name, registration.contact_phone) == (
        "Karin Status: betaald",
        "030 1234567",
    )
    assert (attendee.name, attendee.dietary_wishes) == ("Piet Status: betaald", "veganistisch")


@pytest.mark.parametrize(
    "address",
    ["jan@[127.0.0.1]", "jan@[IPv6:::1]", "jan@localhost", "jan@intranet"],
    ids=["ip-literal", "ipv6-literal", "localhost", "dotless"],
)
@pytest.mark.parametrize("field", ["contact_email", "members-0-email"])
def test_signup_refuses_addresses_without_an_ordinary_domain(client, event, address, field):
    # Arrange
    data = signup_data([("Lid", "lid@example.org", event.sessions.first())])
    data[field] = address

    # Act
    response = post_signup(client, event, data)

    # Assert
    assertContains(response, "Gebruik een e-mailadres met een gewone domeinnaam", count=2)
    assert row_counts() == (0, 0, 0)


def test_signup_refused_form_is_not_stored_by_browsers_or_proxies(client, event):
    # Act: a refused form shows names and addresses again.
    refused = post_signup(client, event, signup_data([("Lid", "lid@example.org", "")]))

    # Assert
    assert refused.status_code == 200
    assert "no-store" in refused.headers["Cache-Control"]
    assertContains(refused, 'value="lid@example.org"')

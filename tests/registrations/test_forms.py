"""The sign-up forms: the quiet guards against bots (a honeypot, a minimum fill time, a token
good for one sending), one-line fields cleaned before the domain sees them, the member rows,
the error summary, and the manage page's session list."""

import re
import time

import pytest
from django.core import signing
from django.urls import reverse
from pytest_django.asserts import assertContains

from registrations.availability import sessions_with_seats, with_seat_counts
from registrations.error_summary import error_summary
from registrations.forms import STARTED_SALT, SignupForm, new_started_token
from registrations.member_forms import AttendeeForm, ChangeSessionForm, attendee_formset_class
from registrations.models import Attendee
from tests.factories import AttendeeFactory, ThemeSessionFactory
from tests.signup_posts import row_counts, signup_data, signup_url

pytestmark = pytest.mark.django_db


def test_signup_honeypot_filled_refused_and_nothing_written(client, event):
    # Arrange
    session = event.sessions.first()
    data = signup_data([("Lid", "lid@example.org", session)], website="https://spam.example")

    # Act
    response = client.post(signup_url(event), data)

    # Assert
    assert response.status_code == 200
    assertContains(response, "Uw aanmelding kon niet worden verwerkt")
    assert row_counts() == (0, 0, 0)


def started_token_from_page(response) -> str:
    match = re.search(r'name="started" value="([^"]+)"', response.content.decode())
    assert match is not None, "the sign-up page carries no 'started' token"
    return match.group(1)


def test_signup_sent_too_fast_refused(client, event, settings):
    # Arrange
    settings.SIGNUP_MIN_SECONDS = 3
    session = event.sessions.first()
    started = started_token_from_page(client.get(signup_url(event)))

    # Act
    response = client.post(
        signup_url(event), signup_data([("Lid", "lid@example.org", session)], started=started)
    )

    # Assert
    assert response.status_code == 200
    assertContains(response, "Dat ging wel heel snel")
    assert row_counts() == (0, 0, 0)
    # The form comes back with a fresh token, so a person can simply send it again.
    assert started_token_from_page(response) != started


def test_signup_sent_after_minimum_time_accepted(client, event, settings):
    # Arrange
    settings.SIGNUP_MIN_SECONDS = 3
    session = event.sessions.first()
    started = signing.dumps(time.time() - 5, salt=STARTED_SALT)

    # Act
    response = client.post(
        signup_url(event), signup_data([("Lid", "lid@example.org", session)], started=started)
    )

    # Assert
    assert response.status_code == 302
    assert row_counts() == (1, 1, 1)


@pytest.mark.parametrize(
    "started",
    [
        None,
        "",
        "onzin",
        signing.dumps(time.time() - 5, salt="another.salt"),
        signing.dumps(time.time() - 5, salt=STARTED_SALT)[:-2] + "xx",
    ],
    ids=["missing", "empty", "garbage", "wrong-salt", "tampered"],
)
def test_signup_without_valid_started_token_refused(client, event, settings, started):
    # Arrange
    settings.SIGNUP_MIN_SECONDS = 3
    session = event.sessions.first()
    data = signup_data([("Lid", "lid@example.org", session)])
    if started is not None:
        data["started"] = started

    # Act
    response = client.post(signup_url(event), data)

    # Assert
    assert response.status_code == 200
    assertContains(response, "Dat ging wel heel snel")
    assert row_counts() == (0, 0, 0)


def test_staff_signup_form_skips_the_bot_guards(adviser_client, event, settings):
    # Arrange: staff type a phoned-in sign-up quickly, with no token from a public page.
    settings.SIGNUP_MIN_SECONDS = 3
    session = event.sessions.first()
    url = reverse("admin:theme_sessions_event_signup", args=[event.pk])

    # Act
    response = adviser_client.post(url, signup_data([("Lid", "lid@example.org", session)]))

    # Assert
    assert response.status_code == 302
    assert row_counts() == (1, 1, 1)


def test_signup_token_is_good_for_one_sending(client, event, settings):
    # Arrange: a form shown once, long enough ago.
    settings.SIGNUP_MIN_SECONDS = 3
    session = event.sessions.first()
    started = signing.dumps(time.time() - 5, salt=STARTED_SALT)
    first = signup_data([("Lid", "lid@example.org", session)], started=started)
    again = signup_data(
        [("Ander Lid", "ander@example.org", session)],
        started=started,
        organisation_name="Huurdersraad Anders",
        contact_email="ander@example.org",
    )

    # Act
    accepted = client.post(signup_url(event), first)
    replayed = client.post(signup_url(event), again)

    # Assert
    assert accepted.status_code == 302
    assert replayed.status_code == 200
    assertContains(replayed, "Dit formulier is al een keer verstuurd")
    assert row_counts() == (1, 1, 1)
    assert started_token_from_page(replayed) != started


def test_signup_token_used_by_a_refused_sending_is_not_good_again(client, event, settings):
    # Arrange: the first sending lacks the consent, so it is refused.
    settings.SIGNUP_MIN_SECONDS = 3
    session = event.sessions.first()
    started = signing.dumps(time.time() - 5, salt=STARTED_SALT)
    refused_data = signup_data([("Lid", "lid@example.org", session)], started=started)
    del refused_data["consent"]

    # Act
    refused = client.post(signup_url(event), refused_data)
    replayed = client.post(
        signup_url(event), signup_data([("Lid", "lid@example.org", session)], started=started)
    )

    # Assert: the refused page carries a new token; the old one stays used.
    assert started_token_from_page(refused) != started
    assertContains(replayed, "Dit formulier is al een keer verstuurd")
    assert row_counts() == (0, 0, 0)


def test_signup_forms_clean_one_line_fields_before_the_domain_sees_them(event):
    # Arrange
    session = event.sessions.first()
    data = signup_data(
        [("Piet\nStatus: betaald", "piet@example.org", session)],
        organisation_name="De Linde\r\nBetaald: ja",
        contact_name="Karin\nStatus: betaald",
        contact_phone="030\n1234567",
    )
    data["members-0-dietary_wishes"] = "geen\nvlees"

    # Act
    form = SignupForm(data)
    member = AttendeeForm(
        data, prefix="members-0", event=event, sessions=sessions_with_seats(event)
    )

    # Assert
    assert form.is_valid(), form.errors
    assert member.is_valid(), member.errors
    assert [form.cleaned_data[name] for name in ("organisation_name", "contact_name")] == [
        "De Linde Betaald: ja",
        "Karin Status: betaald",
    ]
    assert form.cleaned_data["contact_phone"] == "030 1234567"
    assert (member.cleaned_data["name"], member.cleaned_data["dietary_wishes"]) == (
        "Piet Status: betaald",
        "geen vlees",
    )


def started_at(monkeypatch, seconds_ago: float) -> str:
    """Return the "started" token the sign-up page gave `seconds_ago` seconds ago."""
    shown_at = time.time() - seconds_ago
    with monkeypatch.context() as clock:
        clock.setattr(time, "time", lambda: shown_at)
        return signing.dumps(shown_at, salt=STARTED_SALT)


@pytest.mark.parametrize(
    ("seconds_ago", "accepted"),
    [(24 * 3600 - 10, True), (24 * 3600 + 10, False)],
    ids=["shown-just-under-a-day-ago", "shown-just-over-a-day-ago"],
)
def test_signup_form_shown_more_than_a_day_ago_is_sent_again(
    client, event, settings, monkeypatch, seconds_ago, accepted
):
    # Arrange: a form left open overnight counts as not shown at all.
    settings.SIGNUP_MIN_SECONDS = 3
    started = started_at(monkeypatch, seconds_ago)
    data = signup_data([("Lid", "lid@example.org", event.sessions.first())], started=started)

    # Act
    response = client.post(signup_url(event), data)

    # Assert
    assert (response.status_code == 302) is accepted
    assert row_counts() == ((1, 1, 1) if accepted else (0, 0, 0))
    if not accepted:
        assertContains(response, "Dat ging wel heel snel", count=1)


def test_staff_signup_form_with_an_old_or_missing_token_is_accepted(
    adviser_client, event, settings, monkeypatch
):
    # Arrange: staff keep the phone form open all day; the bot guards are not theirs.
    settings.SIGNUP_MIN_SECONDS = 3
    url = reverse("admin:theme_sessions_event_signup", args=[event.pk])
    session = event.sessions.first()
    old = started_at(monkeypatch, 2 * 24 * 3600)

    # Act
    first = adviser_client.post(
        url, signup_data([("Lid", "lid@example.org", session)], started=old)
    )
    second = adviser_client.post(
        url,
        signup_data(
            [("Ander", "ander@example.org", session)],
            contact_email="ander@example.org",
            website="https://spam.example",
        ),
    )

    # Assert
    assert (first.status_code, second.status_code) == (302, 302)
    assert row_counts() == (2, 2, 1)


def test_signup_half_filled_row_with_an_invalid_address_gets_one_message_per_field(client, event):
    # Arrange: the second row has a name and a mistyped address, and no session.
    session = event.sessions.first()
    data = signup_data([("Anna", "anna@example.org", session), ("Bert", "bert@", "")])

    # Act
    response = client.post(signup_url(event), data)

    # Assert
    row = response.context["formset"].forms[1]
    assert row.errors == {
        "email": ["Voer een geldig e-mailadres in."],
        "session": ["Dit veld is verplicht."],
    }
    assertContains(
        response, "Bestuurslid 2 – E-mailadres: Voer een geldig e-mailadres in.", count=1
    )
    assertContains(response, "Bestuurslid 2 – Themasessie: Dit veld is verplicht.", count=1)
    assert row_counts() == (0, 0, 0)


def test_signup_extra_row_with_only_a_session_asks_for_a_name(client, event):
    # Arrange
    session = event.sessions.first()
    data = signup_data([("Anna", "anna@example.org", session), ("", "", session)])

    # Act
    response = client.post(signup_url(event), data)

    # Assert: a member's address is optional; the name is not.
    assert response.context["formset"].forms[1].errors == {"name": ["Dit veld is verplicht."]}
    assert row_counts() == (0, 0, 0)


@pytest.mark.parametrize(
    ("total_forms", "filled"),
    [(4, 4), (10, 10), (5, 3)],
    ids=["one-row-more", "many-rows-more", "empty-rows-more"],
)
def test_signup_more_rows_than_the_event_allows_are_refused(client, event, total_forms, filled):
    # Arrange: a tampered form sends more rows than the three the page shows.
    sessions = list(event.sessions.all())
    members = [
        (f"Lid {n}", f"lid{n}@example.org", sessions[n % len(sessions)]) for n in range(filled)
    ]

    # Act
    response = client.post(signup_url(event), signup_data(members, total_forms=total_forms))

    # Assert
    assert response.status_code == 200
    assertContains(response, "U kunt met ten hoogste 3 bestuursleden tegelijk aanmelden.")
    assert row_counts() == (0, 0, 0)


# The bot guards, as a person meets them ----------------------------------------------------


def later(monkeypatch, seconds: float) -> None:
    """Move the clock `seconds` on, as a person filling in the form."""
    now = time.time()
    monkeypatch.setattr(time, "time", lambda: now + seconds)


def test_signup_sent_from_the_page_after_the_minimum_time_is_accepted(
    client, event, settings, monkeypatch
):
    # Arrange: the page is shown at a fixed moment, and sent exactly the minimum later.
    settings.SIGNUP_MIN_SECONDS = 3
    shown = float(int(time.time()))
    monkeypatch.setattr(time, "time", lambda: shown)
    started = started_token_from_page(client.get(signup_url(event)))
    monkeypatch.setattr(time, "time", lambda: shown + 3)

    # Act
    response = client.post(
        signup_url(event),
        signup_data([("Lid", "lid@example.org", event.sessions.first())], started=started),
    )

    # Assert
    assert response.status_code == 302


def test_signup_sent_too_fast_then_again_with_the_fresh_form_is_accepted(
    client, event, settings, monkeypatch
):
    # Arrange: the first try was too fast; the page came back with a fresh moment.
    settings.SIGNUP_MIN_SECONDS = 3
    data = signup_data([("Lid", "lid@example.org", event.sessions.first())])
    refused = client.post(signup_url(event), data | {"started": new_started_token()})
    later(monkeypatch, 5)

    # Act
    response = client.post(signup_url(event), data | {"started": started_token_from_page(refused)})

    # Assert
    assert response.status_code == 302
    assert row_counts() == (1, 1, 1)


def test_staff_signup_page_asks_staff_to_confirm_the_persons_consent(adviser_client, event):
    # Arrange
    url = reverse("admin:theme_sessions_event_signup", args=[event.pk])
    data = signup_data([("Lid", "lid@example.org", event.sessions.first())])
    del data["consent"]

    # Act
    page = adviser_client.get(url)
    refused = adviser_client.post(url, data)

    # Assert
    assertContains(page, "De contactpersoon is gewezen op de privacyverklaring en stemt in.")
    assertContains(refused, "Geef toestemming om u aan te kunnen melden.")
    assert row_counts() == (0, 0, 0)


# What each refusal is, for code that reads the form's errors ------------------------------


def codes(form) -> dict[str, list[str]]:
    return {
        name: [error["code"] for error in errors]
        for name, errors in form.errors.get_json_data().items()
    }


def test_signup_form_refusals_carry_their_codes(settings):
    # Arrange
    settings.SIGNUP_MIN_SECONDS = 3
    data = signup_data([])

    # Act
    honeypot = SignupForm(data | {"website": "https://spam.example"})
    too_fast = SignupForm(data | {"started": new_started_token()})
    honeypot.is_valid(), too_fast.is_valid()

    # Assert
    assert codes(honeypot) == {"__all__": ["honeypot"]}
    assert honeypot.non_field_errors() == [
        "Uw aanmelding kon niet worden verwerkt. Neem contact op met Atrivé."
    ]
    assert codes(too_fast) == {"__all__": ["too_fast"]}
    assert too_fast.non_field_errors() == [
        "Dat ging wel heel snel. Controleer uw gegevens en verstuur het formulier nog een keer."
    ]


def test_member_rows_refusals_carry_their_codes(event):
    # Arrange: a full session without a waiting list, a half-filled row and a duplicate.
    full = ThemeSessionFactory(event=event, capacity=1)
    AttendeeFactory(registration__event=event, session=full)
    session = event.sessions.first()
    sessions = list(with_seat_counts(event.sessions.all()))
    formset_class = attendee_formset_class(event)
    data = signup_data(
        [("Anna", "anna@example.org", full), ("Bert", "", ""), ("", "", "")], total_forms=3
    )
    duplicates = signup_data(
        [("Anna", "anna@example.org", session), ("  ANNA ", "anna@example.org", session)]
    )

    # Act
    rows = formset_class(data, prefix="members", form_kwargs={"event": event, "sessions": sessions})
    twice = formset_class(
        duplicates, prefix="members", form_kwargs={"event": event, "sessions": sessions}
    )
    rows.is_valid(), twice.is_valid()

    # Assert
    assert [codes(form) for form in rows.forms] == [
        {"session": ["session_full"]},
        {"session": ["required"]},
        {},
    ]
    assert [codes(form) for form in twice.forms] == [{}, {"name": ["duplicate_person"]}, {}]


# The rows of the sign-up page ---------------------------------------------------------------


def test_signup_page_rows_start_without_a_session_and_only_the_first_is_compulsory(client, event):
    # Act
    page = client.get(signup_url(event)).content.decode()

    # Assert: three rows, each opening with "Kies een sessie"; stars only on the first row.
    assert page.count('<option value="" selected>Kies een sessie</option>') == 3
    labels = re.findall(r'<label\s+for="id_members-(\d)-(\w+)"[^>]*>(.*?)</label>', page, re.S)
    starred = sorted((row, name) for row, name, text in labels if "asteriskField" in text)
    assert starred == [("0", "name"), ("0", "session")]
    assert len(labels) == 12


def test_signup_page_shows_places_left_in_the_singular_and_plural(client, event):
    # Arrange
    one = ThemeSessionFactory(event=event, title="Klein", capacity=2)
    two = ThemeSessionFactory(event=event, title="Middel", capacity=3)
    for session in (one, two):
        AttendeeFactory(registration__event=event, session=session)

    # Act
    response = client.get(signup_url(event))

    # Assert
    assertContains(response, f'<option value="{one.pk}">Klein (nog 1 plaats)</option>', count=3)
    assertContains(response, f'<option value="{two.pk}">Middel (nog 2 plaatsen)</option>', count=3)


def test_signup_page_stores_each_members_dietary_wishes(client, event):
    # Arrange
    sessions = list(event.sessions.all())
    data = signup_data(
        [("Anna", "anna@example.org", sessions[0]), ("Bert", "bert@example.org", sessions[1])]
    )
    data |= {"members-0-dietary_wishes": "vegetarisch", "members-1-dietary_wishes": ""}

    # Act
    client.post(signup_url(event), data)

    # Assert
    assert sorted(Attendee.objects.values_list("name", "dietary_wishes")) == [
        ("Anna", "vegetarisch"),
        ("Bert", ""),
    ]


def test_signup_page_reports_a_duplicate_person_together_with_other_errors(client, event):
    # Arrange: no consent, and the first and third member are one person (row 2 is empty).
    session = event.sessions.first()
    data = signup_data(
        [("Anna Lid", "anna@example.org", session), ("", "", ""), ("anna  lid", "", session)]
    )
    del data["consent"]

    # Act
    response = client.post(signup_url(event), data)

    # Assert: both at once, so a volunteer corrects everything in one go.
    for message in [
        "Ik ga akkoord met de verwerking van deze gegevens volgens de privacyverklaring: "
        "Geef toestemming om u aan te kunnen melden.",
        "Bestuurslid 3 – Naam: anna lid staat al eerder in dit formulier.",
    ]:
        assertContains(response, message, count=1)


def test_error_summary_lists_general_errors_unlinked_and_field_errors_linked(event, settings):
    # Arrange: a general error on the main form, one on a member's row, and a field error.
    settings.SIGNUP_MIN_SECONDS = 3
    sessions = list(with_seat_counts(event.sessions.all()))
    form = SignupForm(signup_data([]) | {"started": new_started_token(), "contact_email": "x"})
    formset = attendee_formset_class(event)(
        signup_data([("Anna", "anna@example.org", sessions[0])]),
        prefix="members",
        form_kwargs={"event": event, "sessions": sessions},
    )
    form.is_valid(), formset.is_valid()
    formset.forms[1].add_error(None, "Deze rij klopt niet.")

    # Act
    summary = error_summary(form, formset)

    # Assert
    assert summary == [
        {
            "message": "Dat ging wel heel snel. Controleer uw gegevens en verstuur het "
            "formulier nog een keer."
        },
        {"message": "Deze rij klopt niet."},
        {
            "id": "id_contact_email",
            "label": "Uw e-mailadres",
            "message": "Voer een geldig e-mailadres in.",
        },
    ]


# The manage page's "other session" list -----------------------------------------------------


def test_move_form_preselects_the_current_session_and_blocks_only_other_full_ones(
    client, event, sign_up
):
    # Arrange: the lab keeps a waiting list; Anna is in "Klein", which is now full, and
    # "Vol" is full too. Moving into a full session is never possible, waiting list or not.
    event.has_waiting_list = True
    event.save(update_fields=["has_waiting_list"])
    small = ThemeSessionFactory(event=event, title="Klein", capacity=1)
    full = ThemeSessionFactory(event=event, title="Vol", capacity=1)
    AttendeeFactory(registration__event=event, session=full)
    registration = sign_up(event, [("Anna", "anna@example.org", small)])

    # Act
    response = client.get(registration.get_absolute_url())

    # Assert
    other = event.sessions.get(title="Duurzaamheid")
    assertContains(response, f'<option value="{small.pk}" selected>Klein (vol)</option>', count=1)
    assertContains(response, f'<option value="{full.pk}" disabled>Vol (vol)</option>', count=1)
    assertContains(response, f'<option value="{other.pk}">Duurzaamheid</option>', count=2)


def test_move_form_takes_another_session_and_names_its_fields_per_member(client, event, sign_up):
    # Arrange
    sessions = list(event.sessions.all())
    registration = sign_up(
        event,
        [("Anna", "anna@example.org", sessions[0]), ("Bert", "bert@example.org", sessions[1])],
    )
    anna, bert = registration.attendees.order_by("name")
    counted = list(with_seat_counts(event.sessions.all()))

    # Act
    form = ChangeSessionForm(
        {"session": str(sessions[2].pk)}, sessions=counted, current_session_id=sessions[0].pk
    )
    page = client.get(registration.get_absolute_url())

    # Assert: one list per member on one page, each with its own id.
    assert form.is_valid()
    assert form.cleaned_data == {"session": sessions[2].pk}
    for member in (anna, bert):
        assertContains(page, f'id="id_a{member.pk}_session"', count=1)

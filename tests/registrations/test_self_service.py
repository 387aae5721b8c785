"""The manage page behind the secret link: view it, and move, add and cancel, each on its own
URL, until the deadline."""

import datetime
from decimal import Decimal

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse
from django.utils import timezone
from pytest_django.asserts import assertContains, assertNotContains

from registrations import changes, signup
from registrations.invoices import mark_invoices_paid
from registrations.models import LOOKUP_LENGTH, Attendee, Registration, Status
from tests.db_checks import InjectedFailure, db_state, fail_after
from tests.signup_posts import members_of

pytestmark = pytest.mark.django_db


def action_url(registration, name, attendee=None):
    """Return the address of one change on the manage page (`registrations:<name>`)."""
    kwargs = {"token": registration.token}
    if attendee is not None:
        kwargs["attendee_id"] = attendee.pk
    return reverse(f"registrations:{name}", kwargs=kwargs)


def messages_of(response):
    return [(m.level_tag, m.message) for m in get_messages(response.wsgi_request)]


def snapshot(registration):
    """Return everything a refused change must leave as it was."""
    registration.refresh_from_db()
    registration.invoice.refresh_from_db()
    return (
        registration.status,
        registration.invoice.amount_due,
        sorted(registration.attendees.values_list("pk", "email", "session_id", "status")),
    )


def contact_mails(outbox, address="karin@example.org"):
    return [message for message in outbox if message.to == [address]]


def contact_subjects(outbox, address="karin@example.org"):
    return [message.subject for message in contact_mails(outbox, address)]


# Viewing ------------------------------------------------------------------------------------


def test_detail_shows_the_registration_and_is_not_indexed(client, event, sign_up):
    # Arrange
    registration = sign_up(event, members_of(event, 2))

    # Act
    response = client.get(registration.get_absolute_url())

    # Assert
    assert response.status_code == 200
    assert response["X-Robots-Tag"] == "noindex, nofollow"
    assertContains(response, '<meta name="robots" content="noindex, nofollow">', count=1)
    assertContains(response, "Huurdersvereniging De Linde")
    assertContains(response, "Bestuurslid lid 0")
    assertContains(response, "Bestuurslid lid 1")
    assertContains(response, "<strong>€ 85,00</strong>", count=1)


def wrong_token(token):
    return "A" * LOOKUP_LENGTH + token[LOOKUP_LENGTH:]


def truncated_token(token):
    return token[:-1]


def altered_token(token):
    position = LOOKUP_LENGTH + 5
    replacement = "B" if token[position] == "A" else "A"
    return token[:position] + replacement + token[position + 1 :]


def lookup_only_token(token):
    return token[:LOOKUP_LENGTH]


@pytest.mark.parametrize(
    "mangle",
    [wrong_token, truncated_token, altered_token, lookup_only_token],
    ids=["wrong", "truncated", "altered", "empty-secret"],
)
@pytest.mark.parametrize("method", ["get", "post"])
def test_detail_with_a_bad_token_is_not_found(client, event, sign_up, mangle, method):
    # Arrange: the page itself is read with GET; a change (cancel everyone) is a POST.
    registration = sign_up(event, members_of(event, 1))
    token = mangle(registration.token)
    name = {"get": "detail", "post": "cancel_all"}[method]
    url = reverse(f"registrations:{name}", kwargs={"token": token})
    before = snapshot(registration)

    # Act
    response = getattr(client, method)(url, {"confirm": "on"})

    # Assert
    assert token != registration.token
    assert response.status_code == 404
    assertNotContains(response, "De Linde", status_code=404)
    assert snapshot(registration) == before


def test_detail_refuses_a_post_and_changes_nothing(client, event, sign_up):
    # Arrange: changes have their own addresses; the page itself only shows.
    registration = sign_up(event, members_of(event, 2))
    before = snapshot(registration)

    # Act
    response = client.post(registration.get_absolute_url(), {"confirm": "on"})

    # Assert
    assert response.status_code == 405
    assert snapshot(registration) == before


def test_detail_forms_post_to_their_own_addresses(client, event, sign_up):
    # Arrange
    registration = sign_up(event, members_of(event, 2))
    first, second = registration.attendees.order_by("pk")

    # Act
    response = client.get(registration.get_absolute_url())

    # Assert: changes are forms; removing someone is a link to a page that asks first.
    for url in [
        action_url(registration, "change_session", first),
        action_url(registration, "change_session", second),
        action_url(registration, "add_colleague"),
    ]:
        assertContains(response, f'action="{url}"', count=1)
    for url in [
        action_url(registration, "cancel_attendee", first),
        action_url(registration, "cancel_attendee", second),
        action_url(registration, "cancel_all"),
    ]:
        assertContains(response, f'href="{url}"', count=1)


# Moving to another session -------------------------------------------------------------------


def test_move_changes_the_session_and_mails_a_summary(
    client, event, sign_up, mailoutbox, send_queued_mail
):
    # Arrange
    registration = sign_up(event, members_of(event, 1))
    attendee = registration.attendees.get()
    target = event.sessions.get(title="Werksessie")
    send_queued_mail()  # the mails of the sign-ups above
    mailoutbox.clear()

    # Act
    response = client.post(
        action_url(registration, "change_session", attendee), {"session": target.pk}
    )
    send_queued_mail()

    # Assert
    assert response.status_code == 302
    assert response["Location"] == registration.get_absolute_url()
    assert messages_of(response) == [("success", "Bestuurslid lid 0 gaat naar ‘Werksessie’.")]
    attendee.refresh_from_db()
    assert attendee.session == target
    assert contact_subjects(mailoutbox) == [f"Wijziging in uw aanmelding voor {event.title}"]
    (summary,) = contact_mails(mailoutbox)
    assert "Andere themasessie: Bestuurslid lid 0 gaat naar ‘Werksessie’." in summary.body


def test_move_into_a_full_session_is_refused(client, event, sign_up, mailoutbox, send_queued_mail):
    # Arrange
    full = event.sessions.get(title="Werksessie")
    full.capacity = 1
    full.save(update_fields=["capacity"])
    sign_up(
        event,
        [("Joop", "joop@example.org", full)],
        organisation_name="Bewonersraad De Eik",
        contact_email="joop@example.org",
    )
    registration = sign_up(event, members_of(event, 1))
    attendee = registration.attendees.get()
    before = snapshot(registration)
    send_queued_mail()  # the mails of the sign-ups above
    mailoutbox.clear()

    # Act
    response = client.post(
        action_url(registration, "change_session", attendee), {"session": full.pk}
    )
    send_queued_mail()

    # Assert: the page again, with the message at the top (focused) and at the form.
    assertContains(
        response,
        f'<a href="#id_a{attendee.pk}_session">Bestuurslid lid 0 – Andere themasessie: De sessie '
        "‘Werksessie’ is vol.</a>",
        html=True,
    )
    assertContains(response, "De sessie ‘Werksessie’ is vol.", count=2)
    assert_error_summary_first(response)
    assert response.context["registration"] == registration
    assert snapshot(registration) == before
    assert mailoutbox == []


def test_move_of_a_cancelled_member_is_refused_with_a_message(client, event, sign_up):
    # Arrange: a stale page (e.g. a second tab) still offers to move a member since cancelled.
    registration = sign_up(event, members_of(event, 2))
    gone = registration.attendees.order_by("pk").first()
    changes.cancel_attendee(attendee=gone, by_staff=False)
    before = snapshot(registration)

    # Act
    response = client.post(
        action_url(registration, "change_session", gone),
        {"session": event.sessions.get(title="Jaarcyclus").pk},
        follow=True,
    )

    # Assert
    assertContains(response, "Deze deelnemer is afgemeld en kan niet worden verplaatst.", count=1)
    assert snapshot(registration) == before


# Cancelling ---------------------------------------------------------------------------------


def test_cancel_one_of_three_lowers_the_price_and_mails_a_summary(
    client, event, sign_up, mailoutbox, send_queued_mail
):
    # Arrange
    registration = sign_up(event, members_of(event, 3))
    leaving = registration.attendees.get(email="lid1@example.org")
    assert registration.invoice.amount_due == Decimal("100.00")
    send_queued_mail()  # the mails of the sign-ups above
    mailoutbox.clear()

    # Act
    response = client.post(action_url(registration, "cancel_attendee", leaving))
    send_queued_mail()

    # Assert
    assert response.status_code == 302
    assert response["Location"] == registration.get_absolute_url()
    registration.invoice.refresh_from_db()
    assert registration.invoice.amount_due == Decimal("85.00")
    page = client.get(registration.get_absolute_url())
    assertContains(page, "<strong>€ 85,00</strong>", count=1)
    assert contact_subjects(mailoutbox) == [f"Wijziging in uw aanmelding voor {event.title}"]
    (summary,) = contact_mails(mailoutbox)
    assert "Afgemeld: Bestuurslid lid 1." in summary.body
    assert sorted(registration.attendees.values_list("email", "status")) == [
        ("lid0@example.org", Status.CONFIRMED),
        ("lid1@example.org", Status.CANCELLED),
        ("lid2@example.org", Status.CONFIRMED),
    ]


def assert_error_summary_first(response):
    """Check that the page opens with the focused error summary, before its heading."""
    html = response.content.decode()
    assert 'id="foutmeldingen"' in html
    summary = html.index('id="foutmeldingen"')
    assert "autofocus" in html[html.rindex("<", 0, summary) : html.index(">", summary)]
    assert summary < html.index("<h1")


@pytest.mark.parametrize("everyone", [False, True], ids=["one-member", "whole-signup"])
def test_cancel_asks_first_on_a_page_of_its_own_with_the_new_amount(
    client, event, sign_up, everyone
):
    # Arrange
    registration = sign_up(event, members_of(event, 3))
    leaving = registration.attendees.get(email="lid1@example.org")
    if everyone:
        url = action_url(registration, "cancel_all")
    else:
        url = action_url(registration, "cancel_attendee", leaving)
    before = snapshot(registration)

    # Act
    response = client.get(url)

    # Assert: a question, the amount after, a button that posts here, and a way back.
    assert response.status_code == 200
    question = (
        "Weet u zeker dat u iedereen van deze aanmelding afmeldt (Bestuurslid lid 0, "
        "Bestuurslid lid 1, Bestuurslid lid 2)?"
        if everyone
        else "Weet u zeker dat u Bestuurslid lid 1 afmeldt?"
    )
    assertContains(response, question, count=1)
    amount = "€ 0,00" if everyone else "€ 85,00"
    assertContains(response, f"Uw bijdrage wordt <strong>{amount}</strong>.", count=1, html=True)
    assertContains(response, '<form method="post"', count=1)
    assertContains(response, f'href="{registration.get_absolute_url()}"')
    assert snapshot(registration) == before


def test_cancel_everyone_with_confirm_cancels_all_and_keeps_the_rows(
    client, event, sign_up, mailoutbox, send_queued_mail
):
    # Arrange
    registration = sign_up(event, members_of(event, 3))
    send_queued_mail()  # the mails of the sign-ups above
    mailoutbox.clear()

    # Act
    response = client.post(action_url(registration, "cancel_all"), {"confirm": "on"})
    send_queued_mail()

    # Assert
    assert response.status_code == 302
    assert response["Location"] == registration.get_absolute_url()
    registration.refresh_from_db()
    registration.invoice.refresh_from_db()
    assert registration.status == Status.CANCELLED
    assert list(registration.attendees.values_list("status", flat=True)) == [Status.CANCELLED] * 3
    assert registration.invoice.amount_due == Decimal("0.00")
    assert contact_subjects(mailoutbox) == [f"Wijziging in uw aanmelding voor {event.title}"]


# Adding a colleague --------------------------------------------------------------------------


def add_data(name, email, session):
    return {
        "new-name": name,
        "new-email": email,
        "new-session": session.pk,
        "new-dietary_wishes": "vegetarisch",
    }


def test_add_colleague_joins_and_reprices(client, event, sign_up, mailoutbox, send_queued_mail):
    # Arrange
    registration = sign_up(event, members_of(event, 1))
    session = event.sessions.get(title="Jaarcyclus")
    assert registration.invoice.amount_due == Decimal("50.00")
    send_queued_mail()  # the mails of the sign-ups above
    mailoutbox.clear()

    # Act
    response = client.post(
        action_url(registration, "add_colleague"),
        add_data("Nieuw Lid", "nieuw@example.org", session),
    )
    send_queued_mail()

    # Assert
    assert response.status_code == 302
    assert response["Location"] == registration.get_absolute_url()
    registration.invoice.refresh_from_db()
    assert registration.invoice.amount_due == Decimal("85.00")
    added = registration.attendees.get(email="nieuw@example.org")
    assert (added.name, added.session, added.dietary_wishes, added.status) == (
        "Nieuw Lid",
        session,
        "vegetarisch",
        Status.CONFIRMED,
    )
    assert contact_subjects(mailoutbox) == [f"Wijziging in uw aanmelding voor {event.title}"]
    assert contact_subjects(mailoutbox, "lid0@example.org") == contact_subjects(mailoutbox)
    assert contact_subjects(mailoutbox, "nieuw@example.org") == contact_subjects(mailoutbox)


def test_add_form_is_not_offered_at_the_group_limit(client, event, sign_up):
    # Arrange
    registration = sign_up(event, members_of(event, event.max_group_size))

    # Act
    response = client.get(registration.get_absolute_url())

    # Assert
    assertNotContains(response, 'name="new-name"')
    assertNotContains(response, "Een collega toevoegen")


def test_add_beyond_the_group_limit_is_refused(client, event, sign_up):
    # Arrange
    event.max_group_size = 2
    event.save(update_fields=["max_group_size"])
    registration = sign_up(event, members_of(event, 2))
    before = snapshot(registration)

    # Act
    response = client.post(
        action_url(registration, "add_colleague"),
        add_data("Derde", "derde@example.org", event.sessions.first()),
    )

    # Assert
    assertContains(response, "Per aanmelding kunnen ten hoogste 2 bestuursleden komen.", count=2)
    assert_error_summary_first(response)
    assert snapshot(registration) == before


def test_add_a_person_already_in_the_signup_is_refused_by_name(client, event, sign_up):
    # Arrange
    registration = sign_up(event, members_of(event, 1))
    before = snapshot(registration)

    # Act
    response = client.post(
        action_url(registration, "add_colleague"),
        add_data("bestuurslid  LID 0", "ander@example.org", event.sessions.first()),
    )

    # Assert: named, as they are on this page already.
    assertContains(response, "Bestuurslid lid 0 staat al in deze aanmelding.", count=2)
    assert_error_summary_first(response)
    assert snapshot(registration) == before


def test_add_a_person_signed_up_elsewhere_is_refused_without_saying_so(client, event, sign_up):
    # Arrange: Joop of De Linde came through another sign-up of the same organisation.
    sign_up(
        event,
        [("Joop", "joop@example.org", event.sessions.first())],
        contact_email="joop@example.org",
    )
    registration = sign_up(event, members_of(event, 1))
    before = snapshot(registration)

    # Act
    response = client.post(
        action_url(registration, "add_colleague"),
        add_data("JOOP", "", event.sessions.first()),
    )

    # Assert: refused, without saying that Joop is signed up elsewhere.
    assertContains(response, "Deze persoon kunnen wij niet aan uw aanmelding toevoegen.", count=2)
    assertNotContains(response, "aangemeld voor deze bijeenkomst")
    assert_error_summary_first(response)
    assert snapshot(registration) == before
    assert Attendee.objects.filter(name_key="joop").count() == 1
    assert snapshot(registration) == before


def test_add_with_an_address_already_at_the_event_is_accepted(client, event, sign_up):
    # Arrange: the secretariat's address is the contact's and may be a member's too.
    registration = sign_up(event, members_of(event, 1))

    # Act
    response = client.post(
        action_url(registration, "add_colleague"),
        add_data("Joop", "karin@example.org", event.sessions.first()),
    )

    # Assert
    assert response.status_code == 302
    assert registration.attendees.filter(email="karin@example.org").count() == 1


def test_detail_says_what_was_paid_and_what_is_still_to_pay(client, event, sign_up):
    # Arrange: two came and paid € 85; a third is added later.
    registration = sign_up(event, members_of(event, 2))
    mark_invoices_paid(invoices=[registration.invoice])
    client.post(
        action_url(registration, "add_colleague"),
        add_data("Derde Lid", "", event.sessions.first()),
    )

    # Act
    response = client.get(registration.get_absolute_url())

    # Assert
    assertContains(response, "in totaal <strong>€ 100,00</strong>", count=1)
    assertContains(response, "€ 85,00 betaald, nog € 15,00 te betalen.", count=1)


def test_error_after_a_redirect_is_at_the_top_with_focus(client, closed_registration):
    # Act
    response = client.post(
        action_url(closed_registration, "cancel_all"), {"confirm": "on"}, follow=True
    )

    # Assert
    assertContains(response, "Wijzigen kan niet meer. Neem contact op met Atrivé.", count=1)
    assert_error_summary_first(response)


# After the deadline --------------------------------------------------------------------------


@pytest.fixture
def closed_registration(event, sign_up):
    """A sign-up of two whose event's deadline has just passed."""
    registration = sign_up(event, members_of(event, 2))
    event.registration_deadline = timezone.now() - datetime.timedelta(hours=1)
    event.save(update_fields=["registration_deadline"])
    return registration


def test_detail_after_the_deadline_offers_no_changes(client, closed_registration):
    # Act
    response = client.get(closed_registration.get_absolute_url())

    # Assert
    assertContains(response, "neem dan contact op met Atrivé", count=1)
    assertNotContains(response, '<form method="post"')
    assertNotContains(response, 'name="new-name"')


@pytest.mark.parametrize("action", ["move", "cancel-one", "cancel-all", "add"])
def test_change_after_the_deadline_is_refused(client, event, closed_registration, action):
    # Arrange
    attendee = closed_registration.attendees.first()
    other_session = event.sessions.get(title="Jaarcyclus")
    url, data = {
        "move": (
            action_url(closed_registration, "change_session", attendee),
            {"session": other_session.pk},
        ),
        "cancel-one": (action_url(closed_registration, "cancel_attendee", attendee), {}),
        "cancel-all": (action_url(closed_registration, "cancel_all"), {"confirm": "on"}),
        "add": (
            action_url(closed_registration, "add_colleague"),
            add_data("Laat", "laat@example.org", other_session),
        ),
    }[action]
    before = snapshot(closed_registration)

    # Act
    response = client.post(url, data, follow=True)

    # Assert
    assert response.redirect_chain == [(closed_registration.get_absolute_url(), 302)]
    assertContains(response, "Wijzigen kan niet meer. Neem contact op met Atrivé.", count=1)
    assert snapshot(closed_registration) == before


def test_change_of_a_cancelled_signup_is_refused(client, event, sign_up):
    # Arrange: everyone was cancelled; the link still shows the page, but changes nothing.
    registration = sign_up(event, members_of(event, 1))
    changes.cancel_registration(registration=registration, by_staff=False)
    before = snapshot(registration)

    # Act
    response = client.post(
        action_url(registration, "add_colleague"),
        add_data("Terug", "terug@example.org", event.sessions.first()),
        follow=True,
    )

    # Assert
    assert response.redirect_chain == [(registration.get_absolute_url(), 302)]
    assertContains(response, "Wijzigen kan niet meer. Neem contact op met Atrivé.", count=1)
    assert snapshot(registration) == before


# Someone else's board member ----------------------------------------------------------------


@pytest.mark.parametrize("action", ["change_session", "cancel_attendee"], ids=["move", "cancel"])
def test_change_of_another_registrations_attendee_is_not_found(client, event, sign_up, action):
    # Arrange
    registration = sign_up(event, members_of(event, 1))
    other = sign_up(
        event,
        [("Joop", "joop@example.org", event.sessions.first())],
        organisation_name="Bewonersraad De Eik",
        contact_email="joop@example.org",
    )
    stranger = other.attendees.get()
    before = (snapshot(registration), snapshot(other))

    # Act
    response = client.post(
        action_url(registration, action, stranger), {"session": event.sessions.last().pk}
    )

    # Assert
    assert response.status_code == 404
    assert (snapshot(registration), snapshot(other)) == before
    assert Registration.objects.count() == 2


# A failure halfway through a change writes nothing -------------------------------------------


def test_self_service_add_failing_halfway_writes_nothing(client, busy_registration, monkeypatch):
    # Arrange: pricing fails after the new board member's row was written.
    state_before = db_state()
    seen = []
    fail_after(monkeypatch, signup, "recompute_invoice", seen=seen)
    session = busy_registration.event.sessions.first()

    # Act
    with pytest.raises(InjectedFailure):
        client.post(
            action_url(busy_registration, "add_colleague"),
            {"new-name": "Cor Lid", "new-email": "cor@example.org", "new-session": session.pk},
        )

    # Assert
    assert len(seen[0]["attendees"]) == len(state_before["attendees"]) + 1  # really halfway
    assert db_state() == state_before


@pytest.mark.parametrize("failing", ["attendee-save", "waiting-list"])
def test_self_service_move_failing_halfway_writes_nothing(
    client, busy_registration, monkeypatch, failing
):
    # Arrange
    attendee = busy_registration.attendees.get(email="anna@example.org")
    target = busy_registration.event.sessions.exclude(pk=attendee.session_id).last()
    state_before = db_state()
    seen = []
    if failing == "attendee-save":
        fail_after(monkeypatch, Attendee, "save", seen=seen)
    else:  # after the attendee row was saved in its new session
        fail_after(monkeypatch, changes, "promote_waiting_list", seen=seen)

    # Act
    with pytest.raises(InjectedFailure):
        client.post(
            action_url(busy_registration, "change_session", attendee), {"session": target.pk}
        )

    # Assert
    assert seen, "the failure was not reached"
    if failing == "waiting-list":  # really halfway
        moved = next(row for row in seen[0]["attendees"] if row[0] == attendee.pk)
        assert moved[3] == target.pk
    assert db_state() == state_before
    attendee.refresh_from_db()
    assert attendee.session_id != target.pk


@pytest.mark.parametrize("everyone", [False, True], ids=["one-member", "whole-signup"])
def test_self_service_cancel_failing_halfway_writes_nothing(
    client, busy_registration, monkeypatch, everyone
):
    # Arrange: repricing fails after the board members were marked cancelled.
    attendee = busy_registration.attendees.get(email="anna@example.org")
    state_before = db_state()
    seen = []
    fail_after(monkeypatch, changes, "recompute_invoice", seen=seen)
    if everyone:
        url, data = action_url(busy_registration, "cancel_all"), {"confirm": "on"}
    else:
        url, data = action_url(busy_registration, "cancel_attendee", attendee), {}

    # Act
    with pytest.raises(InjectedFailure):
        client.post(url, data)

    # Assert
    assert Status.CANCELLED in [row[2] for row in seen[0]["attendees"]]  # really halfway
    assert db_state() == state_before


# What a refusal tells whoever holds a link ----------------------------------------------------


def error_messages(response) -> list[str]:
    """Return the messages shown next to the add form's fields."""
    return [str(m) for field in response.context["add_form"].errors.values() for m in field]


def test_add_to_a_full_event_answers_alike_for_signed_up_and_unknown_people(client, event, sign_up):
    # Arrange: a full event (no waiting list); Joop of De Linde is in it through another
    # sign-up of the same organisation.
    event.capacity = 2
    event.save()
    sign_up(
        event,
        [("Joop", "joop@example.org", event.sessions.first())],
        contact_email="joop@example.org",
    )
    registration = sign_up(event, [("Anna Lid", "anna@example.org", event.sessions.last())])
    url = action_url(registration, "add_colleague")
    session = event.sessions.first()

    # Act
    signed_up_elsewhere = client.post(url, add_data("Joop", "", session))
    unknown = client.post(url, add_data("Niemand", "", session))

    # Assert: the places are checked before the person, so both get the same answer.
    assert error_messages(signed_up_elsewhere) == error_messages(unknown)
    assert error_messages(unknown) == ["Deze bijeenkomst is vol."]


# Personal data is not kept by browsers or proxies ---------------------------------------------


def test_manage_pages_and_refused_changes_are_not_stored(client, event, sign_up):
    # Arrange
    registration = sign_up(event, members_of(event, 1))
    member = registration.attendees.get()

    # Act: every page behind the contact person's and the member's link that shows names.
    shown = {
        "manage page": client.get(registration.get_absolute_url()),
        "refused add": client.post(action_url(registration, "add_colleague"), {}),
        "asks before cancelling one": client.get(
            action_url(registration, "cancel_attendee", member)
        ),
        "asks before cancelling all": client.get(action_url(registration, "cancel_all")),
        "member page": client.get(member.get_absolute_url()),
        "refused member move": client.post(
            reverse("registrations:member_change_session", args=[member.token]), {"session": 0}
        ),
        "member asked before cancelling": client.get(
            reverse("registrations:member_cancel", args=[member.token])
        ),
    }

    # Assert
    for name, response in shown.items():
        assert response.status_code == 200, name
        assert "no-store" in response.headers["Cache-Control"], name
        assertContains(response, "Bestuurslid lid 0")

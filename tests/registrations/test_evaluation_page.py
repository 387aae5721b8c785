"""The page behind an evaluation link: one answer per link, changeable until the closing date."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone
from pytest_django.asserts import assertContains

from registrations.evaluation import evaluation_for
from registrations.models import EvaluationAnswer, EvaluationResponse
from tests.factories import AttendeeFactory, EventFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def link():
    """An evaluation link of a board member of yesterday's lab."""
    event = EventFactory(
        date=timezone.localdate() - datetime.timedelta(days=1),
        registration_deadline=timezone.now() - datetime.timedelta(days=8),
    )
    attendee = AttendeeFactory(registration__event=event, name="Anna Voorbeeld")
    return EvaluationResponse.objects.create(
        evaluation=evaluation_for(event), attendee=attendee, session=attendee.session
    )


def questions(link):
    return {q.kind + str(q.order): f"vraag_{q.pk}" for q in link.evaluation.questions.all()}


def post_data(link, **values):
    """Return a filled-in evaluation: evening 8, session 7, texts, two themes, yes."""
    q = questions(link)
    data = {
        q["mark1"]: "8",
        q["session_mark2"]: "7",
        q["text3"]: "De werksessie.",
        q["text4"]: "Meer tijd voor vragen.",
        q["themes5"]: ["Prestatieafspraken", "Leefbaarheid in de wijk"],
        q["yes_no6"]: "ja",
        "show_name": "on",
    }
    data.update(values)
    return data


def test_form_shows_the_questions_and_the_members_name(client, link):
    # Act
    response = client.get(link.get_absolute_url())

    # Assert
    assertContains(response, "Welk cijfer geeft u deze avond?")
    assertContains(response, "Anna Voorbeeld")
    assert "no-store" in response["Cache-Control"]


def test_answer_is_stored_and_thanked(client, link):
    # Act
    response = client.post(link.get_absolute_url(), post_data(link))

    # Assert
    assert response.status_code == 302
    assert response["Location"] == reverse("registrations:evaluation_thanks", args=[link.token])
    link.refresh_from_db()
    assert link.answered_at is not None and link.show_name
    answers = {a.question.kind + str(a.question.order): a for a in link.answers.all()}
    assert answers["mark1"].mark == 8
    assert answers["session_mark2"].mark == 7
    assert answers["text4"].text == "Meer tijd voor vragen."
    assert answers["themes5"].themes == ["Prestatieafspraken", "Leefbaarheid in de wijk"]
    assert answers["yes_no6"].yes_no is True
    assertContains(client.get(response["Location"]), "Dank u wel!")


def test_answer_changed_before_closing_replaces_the_first(client, link):
    # Arrange
    client.post(link.get_absolute_url(), post_data(link))

    # Act
    client.post(link.get_absolute_url(), post_data(link, **{questions(link)["mark1"]: "6"}))

    # Assert
    marks = EvaluationAnswer.objects.filter(question__order=1).values_list("mark", flat=True)
    assert list(marks) == [6]
    link.refresh_from_db()
    assert link.changed_at is not None
    assertContains(client.get(link.get_absolute_url()), 'value="6" class="form-check-input"')


def test_answer_after_closing_date_refused(client, link):
    # Arrange: answered, then the evaluation closed yesterday.
    client.post(link.get_absolute_url(), post_data(link))
    evaluation = link.evaluation
    evaluation.closes_on = timezone.localdate() - datetime.timedelta(days=1)
    evaluation.save()

    # Act
    response = client.post(
        link.get_absolute_url(), post_data(link, **{questions(link)["mark1"]: "2"})
    )

    # Assert
    assertContains(response, "De evaluatie is gesloten")
    assert list(
        EvaluationAnswer.objects.filter(question__order=1).values_list("mark", flat=True)
    ) == [8]


def test_answer_on_closing_day_accepted(client, link):
    # Arrange
    evaluation = link.evaluation
    evaluation.closes_on = timezone.localdate()
    evaluation.save()

    # Act
    response = client.post(link.get_absolute_url(), post_data(link))

    # Assert
    assert response.status_code == 302


def test_mark_outside_1_to_10_gets_a_message(client, link):
    # Act
    response = client.post(
        link.get_absolute_url(), post_data(link, **{questions(link)["mark1"]: "11"})
    )

    # Assert
    assert response.status_code == 200
    assertContains(response, "Controleer het formulier")
    assert not EvaluationAnswer.objects.exists()


def test_empty_form_is_an_answer_without_marks(client, link):
    # Act
    response = client.post(link.get_absolute_url(), {})

    # Assert
    assert response.status_code == 302
    link.refresh_from_db()
    assert (link.answered_at is not None, link.answers.count(), link.show_name) == (True, 0, False)


@pytest.mark.parametrize("change", ["altered", "short", "empty-secret"])
def test_altered_link_not_found(client, link, change):
    # Arrange
    token = {
        "altered": link.token[:-1] + "x",
        "short": link.manage_lookup,
        "empty-secret": link.token,
    }[change]
    if change == "empty-secret":
        EvaluationResponse.objects.filter(pk=link.pk).update(manage_secret="")

    # Act
    response = client.get(reverse("registrations:evaluation", args=[token]))

    # Assert
    assert response.status_code == 404


def test_form_in_english(client, link):
    # Arrange
    client.cookies["django_language"] = "en"

    # Act
    response = client.get(link.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="en")

    # Assert
    assertContains(response, "How was it?")
    assertContains(response, "What mark do you give this evening?")
    assertContains(response, "Would you recommend the Participatielab")

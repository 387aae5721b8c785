"""Retention: anonymising old events empties the evaluation's open answers and ends the
links; the marks, yes/no answers and themes stay, and so do the results' counts."""

import datetime
import io

import pytest
from django.core.management import call_command
from django.utils import timezone

from registrations.evaluation import Answer, evaluation_for, save_answers
from registrations.evaluation_results import event_results
from registrations.models import EvaluationAnswer, EvaluationResponse
from registrations.privacy import erase_personal_data, personal_data_of
from tests.factories import AttendeeFactory, EventFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def answered():
    """An answered evaluation of a lab held 14 months ago (answered while it was open)."""
    date = timezone.localdate() - datetime.timedelta(days=430)
    event = EventFactory(
        date=date, registration_deadline=timezone.now() - datetime.timedelta(days=440)
    )
    attendee = AttendeeFactory(registration__event=event, name="Anna Voorbeeld")
    response = EvaluationResponse.objects.create(
        evaluation=evaluation_for(event), attendee=attendee, session=attendee.session
    )
    q = {question.order: question.pk for question in response.evaluation.questions.all()}
    when = timezone.make_aware(
        datetime.datetime.combine(date, datetime.time(12))
    ) + datetime.timedelta(days=2)
    save_answers(
        response=response,
        answers={
            q[1]: Answer(mark=8),
            q[3]: Answer(text="Anna vond de sessie van Bram fijn."),
            q[5]: Answer(themes=("Prestatieafspraken",)),
            q[6]: Answer(yes_no=True),
        },
        show_name=True,
        now=when,
    )
    return response


def test_retention_anonymises_answers_and_keeps_marks(answered):
    # Arrange
    token = answered.token

    # Act
    call_command("anonymise_old_events", months=12, stdout=io.StringIO())

    # Assert
    answered.refresh_from_db()
    assert answered.anonymised_at is not None
    assert (answered.show_name, answered.manage_secret) == (False, "")
    assert EvaluationResponse.from_token(token) is None
    stored = {a.question.order: a for a in EvaluationAnswer.objects.select_related("question")}
    assert (stored[1].mark, stored[3].text, stored[5].themes, stored[6].yes_no) == (
        8,
        "",
        ["Prestatieafspraken"],
        True,
    )
    results = event_results(answered.evaluation)
    assert (results["overall"].responded, str(results["overall"].marks[0].average)) == (1, "8.0")
    assert "Anna" not in str(results)


def test_erasing_a_person_empties_their_open_answers(answered):
    # Act
    erase_personal_data(attendees=[answered.attendee_id])

    # Assert
    texts = list(EvaluationAnswer.objects.exclude(text="").values_list("text", flat=True))
    assert texts == []
    assert EvaluationAnswer.objects.filter(mark=8).count() == 1


def test_personal_data_export_lists_the_evaluation_answers(answered):
    # Act
    found = personal_data_of(
        organisation=answered.attendee.organisation.name, name="Anna Voorbeeld"
    )

    # Assert
    texts = [(a["question"], a["mark"], a["text"]) for a in found["evaluation"]]
    assert ("Welk cijfer geeft u deze avond?", 8, "") in texts
    assert ("Wat vond u het nuttigst?", None, "Anna vond de sessie van Bram fijn.") in texts

"""The evaluation goes out after a lab: once per link, to those present when check-in was
used, otherwise to every confirmed board member; members without an own address through
their contact person."""

import datetime
import re

import pytest
from django.core.management import call_command
from django.utils import timezone

from registrations.evaluation import evaluation_for, queue_due_evaluations
from registrations.models import EvaluationResponse, MailKind, OutboxMail, Status
from tests.factories import AttendeeFactory, EventFactory, RegistrationFactory, ThemeSessionFactory

pytestmark = pytest.mark.django_db

LINK = re.compile(r"https?://\S+/evaluatie/[\w-]+/")


def past_event(days_ago: int = 1):
    today = timezone.localdate()
    return EventFactory(
        date=today - datetime.timedelta(days=days_ago),
        registration_deadline=timezone.now() - datetime.timedelta(days=days_ago + 7),
    )


@pytest.fixture
def lab():
    """A lab held yesterday: one sign-up of three members (one with an own address, one
    without, one using the contact's address), and a second organisation's sign-up."""
    event = past_event()
    session = ThemeSessionFactory(event=event, title="Duurzaamheid")
    group = RegistrationFactory(event=event, contact_email="karin@example.org")
    AttendeeFactory(
        registration=group, session=session, name="Anna Eigen", email="anna@example.org"
    )
    AttendeeFactory(registration=group, session=session, name="Bert Zonder", email="")
    AttendeeFactory(
        registration=group, session=session, name="Karin Zelf", email="karin@example.org"
    )
    other = RegistrationFactory(event=event, contact_email="kees@example.org")
    AttendeeFactory(registration=other, session=session, name="Kees Ander", email="")
    return event


def links_per_mail(mailoutbox) -> dict[str, list[str]]:
    return {mail.to[0]: LINK.findall(mail.body) for mail in mailoutbox}


def test_command_run_twice_sends_each_link_once(lab, send_queued_mail, mailoutbox):
    # Act
    call_command("send_evaluations")
    call_command("send_evaluations")
    send_queued_mail()

    # Assert
    links = links_per_mail(mailoutbox)
    assert sorted(links) == ["anna@example.org", "karin@example.org", "kees@example.org"]
    assert [len(links[address]) for address in sorted(links)] == [1, 2, 1]
    every_link = [link for found in links.values() for link in found]
    assert len(set(every_link)) == len(every_link) == EvaluationResponse.objects.count() == 4
    assert OutboxMail.objects.filter(kind=MailKind.EVALUATION).count() == 3


def test_contact_mail_names_each_member_it_carries_a_link_for(lab, send_queued_mail, mailoutbox):
    # Act
    queue_due_evaluations()
    send_queued_mail()

    # Assert
    karin = next(mail for mail in mailoutbox if mail.to == ["karin@example.org"])
    assert "Bert Zonder:" in karin.body and "Karin Zelf:" in karin.body
    assert "Anna Eigen" not in karin.body
    assert karin.subject.startswith("Hoe was het?")


def test_only_those_present_when_check_in_was_used(lab):
    # Arrange: check-in was used; Anna came, the others of her group did not.
    anna = lab.attendees.get(name="Anna Eigen")
    anna.checked_in_at = timezone.now()
    anna.save()

    # Act
    queue_due_evaluations()

    # Assert
    invited = EvaluationResponse.objects.values_list("attendee__name", flat=True)
    assert list(invited) == ["Anna Eigen"]
    mails = OutboxMail.objects.filter(kind=MailKind.EVALUATION)
    assert list(mails.values_list("recipient", flat=True)) == ["anna@example.org"]


def test_all_confirmed_when_check_in_was_not_used(lab):
    # Arrange: one more who cancelled and one still waiting: neither is invited.
    group = lab.registrations.get(contact_email="karin@example.org")
    AttendeeFactory(
        registration=group, session=group.attendees.first().session, status=Status.CANCELLED
    )
    AttendeeFactory(
        registration=group, session=group.attendees.first().session, status=Status.WAITING
    )

    # Act
    queue_due_evaluations()

    # Assert
    invited = sorted(EvaluationResponse.objects.values_list("attendee__name", flat=True))
    assert invited == ["Anna Eigen", "Bert Zonder", "Karin Zelf", "Kees Ander"]


@pytest.mark.parametrize(
    ("days_ago", "send_after_days", "expected"),
    [(0, 1, 0), (1, 1, 4), (1, 2, 0), (3, 2, 4), (16, 1, 0)],
    ids=["on-the-day", "day-after", "before-set-day", "after-set-day", "closed"],
)
def test_sent_from_the_set_day_until_closing(days_ago, send_after_days, expected):
    # Arrange
    event = past_event(days_ago)
    evaluation = evaluation_for(event)
    evaluation.send_after_days = send_after_days
    evaluation.save()
    AttendeeFactory.create_batch(4, registration__event=event)

    # Act
    queue_due_evaluations()

    # Assert
    assert EvaluationResponse.objects.count() == expected


def test_switched_off_evaluation_sends_nothing(lab):
    # Arrange
    evaluation = evaluation_for(lab)
    evaluation.is_active = False
    evaluation.save()

    # Act
    queued = queue_due_evaluations()

    # Assert
    assert (queued, EvaluationResponse.objects.count()) == (0, 0)


def test_default_questions_made_once(lab):
    # Act
    first = evaluation_for(lab)
    again = evaluation_for(lab)

    # Assert
    assert first == again
    kinds = list(first.questions.values_list("kind", flat=True))
    assert kinds == ["mark", "session_mark", "text", "text", "themes", "yes_no"]


def test_mail_in_the_sign_ups_language(lab, send_queued_mail, mailoutbox):
    # Arrange
    lab.registrations.update(language="en")

    # Act
    queue_due_evaluations()
    send_queued_mail()

    # Assert
    assert {mail.subject for mail in mailoutbox} == {f"How was it? Your opinion on {lab.title}"}
    assert all("You can change your answers until" in mail.body for mail in mailoutbox)

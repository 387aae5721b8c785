"""The demo's past lab: held eight weeks ago, with attendees who came (presence set) and their
evaluation answers, so a newcomer sees results after `make run`. Safe to run again."""

import datetime

from django.db import transaction
from django.utils import timezone

from registrations.evaluation import Answer, create_links, evaluation_for, save_answers
from registrations.models import Attendee, MailStatus, OutboxMail, QuestionKind
from registrations.signup import AttendeeData, register_group
from sessions.models import Event
from sessions.services import SessionData, create_event

PAST_SLUG = "participatielab-vorige-editie"

PAST_SESSIONS = [
    SessionData(
        title="Duurzaamheid en woonlasten",
        description="Wat betekent verduurzaming voor de huur en de energierekening?",
        capacity=20,
    ),
    SessionData(
        title="Werksessie: de achterban bereiken",
        description="Hoe weet u wat uw huurders vinden, en hoe houdt u hen op de hoogte?",
        capacity=20,
    ),
]

# Invented organisations and board members: (organisation, contact e-mail, members), each
# member (name, e-mail or "", session number).
PAST_GROUPS = [
    (
        "Huurdersvereniging De Eik",
        "secretaris@de-eik.example.org",
        [("Joke Bakker", "joke@de-eik.example.org", 0), ("Henk Mulder", "", 1)],
    ),
    (
        "Bewonersraad Rivierenwijk",
        "info@rivierenwijk.example.org",
        [("Fatima el Amrani", "fatima@rivierenwijk.example.org", 1)],
    ),
    (
        "Huurdersbelang Oost",
        "bestuur@hb-oost.example.org",
        [("Piet de Graaf", "", 0), ("Ria Smit", "ria@hb-oost.example.org", 0)],
    ),
    (
        "Stichting Huurders Zuid",
        "contact@huurders-zuid.example.org",
        [("Wim Jansen", "wim@huurders-zuid.example.org", 1), ("Els Visser", "", 1)],
    ),
]

# Marks and remarks of those who answered: (evening, session, useful, better, themes, yes/no,
# name shown). One board member did not come, and one who came did not answer.
PAST_ANSWERS = [
    (8, 9, "De voorbeelden van andere huurdersorganisaties.", "", [0, 3], True, True),
    (7, 6, "", "Meer tijd voor de werksessie.", [2], True, False),
    (9, 8, "Het gesprek met de corporatie erbij.", "Een grotere zaal.", [0, 1], True, True),
    (6, 7, "", "De presentatie was wat lang.", [3, 4], False, False),
    (8, 8, "Praktische tips voor de nieuwsbrief.", "", [5], True, False),
]


def past_demo_event(today: datetime.date | None = None) -> Event:
    """Return the demo's past lab, made the first time: two sessions, confirmed board members,
    presence set (all but one came)."""
    found = Event.objects.filter(slug=PAST_SLUG).first()
    if found is not None:
        return found
    today = today or timezone.localdate()
    date = today - datetime.timedelta(weeks=8)
    with transaction.atomic():
        event = create_event(
            sessions=PAST_SESSIONS,
            title="Participatielab: vorige editie",
            slug=PAST_SLUG,
            theme="Huurders en corporatie samen aan tafel",
            description="Het vorige Participatielab: de demonstratie van evaluatie en verslag.",
            date=date,
            start_time=datetime.time(17, 0),
            end_time=datetime.time(20, 0),
            venue_name="Kasteel Rhijnauwen",
            venue_address="Rhijnauwenselaan 14b",
            venue_city="Bunnik",
            registration_deadline=timezone.make_aware(
                datetime.datetime.combine(date - datetime.timedelta(days=7), datetime.time(23, 59))
            ),
            is_published=True,
        )
        sessions = list(event.sessions.all())
        for organisation, contact_email, members in PAST_GROUPS:
            register_group(
                event=event,
                organisation_name=organisation,
                contact_name=members[0][0],
                contact_email=contact_email,
                attendees=[
                    AttendeeData(name=name, email=email, session_id=sessions[number].pk)
                    for name, email, number in members
                ],
                privacy_version="demo",
                by_staff=True,
            )
        # Their confirmations are history, not news: nobody gets them now.
        OutboxMail.objects.filter(registration__event=event, status=MailStatus.QUEUED).update(
            status=MailStatus.DROPPED
        )
        came = timezone.make_aware(datetime.datetime.combine(date, datetime.time(16, 55)))
        Attendee.objects.filter(event=event).exclude(name="Henk Mulder").update(checked_in_at=came)
    return event


def add_demo_evaluation(event: Event) -> int:
    """Give the past lab's evaluation the demo answers, once; return how many were added."""
    evaluation = evaluation_for(event)
    if evaluation.responses.answered().exists():
        return 0
    present = Attendee.objects.filter(event=event, checked_in_at__isnull=False).order_by("pk")
    create_links(evaluation=evaluation, members=present)
    questions = {q.kind: q for q in evaluation.questions.all()}  # the defaults: one per kind
    texts = [q for q in evaluation.questions.all() if q.kind == QuestionKind.TEXT]
    themes = questions[QuestionKind.THEMES].choice_list()
    answered_at = timezone.make_aware(
        datetime.datetime.combine(event.date + datetime.timedelta(days=2), datetime.time(10))
    )
    links = list(evaluation.responses.order_by("pk"))
    for link, row in zip(links, PAST_ANSWERS, strict=False):
        evening, session, useful, better, ticked, recommend, show_name = row
        answers = {
            questions[QuestionKind.MARK].pk: Answer(mark=evening),
            questions[QuestionKind.SESSION_MARK].pk: Answer(mark=session),
            questions[QuestionKind.THEMES].pk: Answer(themes=tuple(themes[i] for i in ticked)),
            questions[QuestionKind.YES_NO].pk: Answer(yes_no=recommend),
        }
        for question, text in zip(texts, [useful, better], strict=False):
            if text:
                answers[question.pk] = Answer(text=text)
        save_answers(response=link, answers=answers, show_name=show_name, now=answered_at)
    return min(len(links), len(PAST_ANSWERS))

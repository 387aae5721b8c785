"""The evaluation after a lab: its default questions, sending the links, saving the answers.

`manage.py send_evaluations` (cron, daily) calls `queue_due_evaluations`. The evaluation goes
to the board members marked present when check-in was used for the event (anyone checked in),
otherwise to every confirmed member. Each gets one link (an `EvaluationResponse`); a member
with an own address gets theirs by mail, the others' links go to their contact person, all in
one mail (`registrations.audience.evaluation_address`). Running it twice, or two runs at once,
makes no second link and no second mail: the sign-up's row is locked while its links and
mails are written, a member has at most one link and the outbox at most one evaluation mail
per sign-up and address (constraints).
"""

import datetime
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from registrations.audience import evaluation_address
from registrations.errors import RegistrationError
from registrations.models import (
    Attendee,
    Evaluation,
    EvaluationAnswer,
    EvaluationQuestion,
    EvaluationResponse,
    MailKind,
    QuestionKind,
    Registration,
    Status,
)
from registrations.outbox import new_mails, queue
from sessions.models import Event

# Evaluations are looked for among events of the last this many days.
LOOK_BACK_DAYS = 90

# The default questions: Dutch, marked for translation, so the form shows them in English too.
DEFAULT_THEMES = [
    gettext_noop("Prestatieafspraken"),
    gettext_noop("Duurzaamheid en woonlasten"),
    gettext_noop("De financiën van de corporatie"),
    gettext_noop("Huurbeleid en betaalbaarheid"),
    gettext_noop("Leefbaarheid in de wijk"),
    gettext_noop("De achterban bereiken"),
]
DEFAULT_QUESTIONS = [
    (QuestionKind.MARK, gettext_noop("Welk cijfer geeft u deze avond?"), []),
    (QuestionKind.SESSION_MARK, gettext_noop("Welk cijfer geeft u uw themasessie?"), []),
    (QuestionKind.TEXT, gettext_noop("Wat vond u het nuttigst?"), []),
    (QuestionKind.TEXT, gettext_noop("Wat kan beter?"), []),
    (
        QuestionKind.THEMES,
        gettext_noop("Over welke thema's wilt u de volgende keer meer horen?"),
        DEFAULT_THEMES,
    ),
    (
        QuestionKind.YES_NO,
        gettext_noop(
            "Zou u het Participatielab aanraden aan het bestuur van een andere huurdersorganisatie?"
        ),
        [],
    ),
]


def evaluation_for(event: Event) -> Evaluation:
    """Return the event's evaluation; the first time, make it with the default questions."""
    found = Evaluation.objects.filter(event=event).first()
    if found is not None:
        return found
    try:
        with transaction.atomic():
            evaluation = Evaluation.objects.create(event=event)
            EvaluationQuestion.objects.bulk_create(
                EvaluationQuestion(
                    evaluation=evaluation,
                    order=order,
                    kind=kind,
                    text=text,
                    choices="\n".join(choices),
                )
                for order, (kind, text, choices) in enumerate(DEFAULT_QUESTIONS, start=1)
            )
    except IntegrityError:  # another run made it at the same moment
        return Evaluation.objects.get(event=event)
    return evaluation


def uses_check_in(event: Event) -> bool:
    """Tell whether presence was recorded for the event: anyone checked in."""
    return Attendee.objects.filter(event=event, checked_in_at__isnull=False).exists()


def invited(event: Event, *, present_only: bool | None = None) -> QuerySet[Attendee]:
    """Return who the evaluation is for: those present when check-in was used, else every
    confirmed board member."""
    attendees = Attendee.objects.confirmed().filter(
        event=event, registration__anonymised_at__isnull=True
    )
    if present_only if present_only is not None else uses_check_in(event):
        return attendees.filter(checked_in_at__isnull=False)
    return attendees


def queue_due_evaluations(*, today: datetime.date | None = None) -> int:
    """Make the links and queue the mails of every evaluation due today; return how many
    mails were queued."""
    today = today or timezone.localdate()
    events = Event.objects.filter(
        date__lt=today, date__gte=today - datetime.timedelta(days=LOOK_BACK_DAYS)
    )
    queued = 0
    for event in events:
        evaluation = evaluation_for(event)
        if not evaluation.is_due(today):
            continue
        present_only = uses_check_in(event)
        people = invited(event, present_only=present_only)
        for registration_id in sorted(set(people.values_list("registration_id", flat=True))):
            queued += queue_evaluation(
                registration_id=registration_id,
                evaluation=evaluation,
                present_only=present_only,
            )
    return queued


def queue_evaluation(*, registration_id: int, evaluation: Evaluation, present_only: bool) -> int:
    """Make the missing links of one sign-up's members and queue the mails to the addresses
    that have none yet; return how many mails were queued.

    The sign-up's row is locked first, so two overlapping runs write each link and mail once.
    """
    with transaction.atomic():
        registration = (
            Registration.objects.select_for_update()
            .filter(pk=registration_id, anonymised_at__isnull=True)
            .first()
        )
        if registration is None:
            return 0
        members = registration.attendees.filter(status=Status.CONFIRMED).order_by("pk")
        if present_only:
            members = members.filter(checked_in_at__isnull=False)
        create_links(evaluation=evaluation, members=members)
        mailed = set(
            registration.mails.filter(kind=MailKind.EVALUATION)
            .annotate(address=Lower("recipient"))
            .values_list("address", flat=True)
        )
        addresses = [evaluation_address(member, registration) for member in members]
        return len(
            queue(
                new_mails(
                    [address for address in addresses if address.lower() not in mailed],
                    kind=MailKind.EVALUATION,
                    registration=registration,
                    language=registration.language,
                )
            )
        )


def create_links(*, evaluation: Evaluation, members: QuerySet[Attendee]) -> None:
    """Give each of these board members an evaluation link, unless they have one."""
    have_link = set(
        EvaluationResponse.objects.filter(attendee__in=members).values_list(
            "attendee_id", flat=True
        )
    )
    EvaluationResponse.objects.bulk_create(
        EvaluationResponse(evaluation=evaluation, attendee=member, session_id=member.session_id)
        for member in members
        if member.pk not in have_link
    )


@dataclass(frozen=True)
class Answer:
    """What one question's field holds after the form validated it."""

    mark: int | None = None
    yes_no: bool | None = None
    text: str = ""
    themes: tuple[str, ...] = ()


def save_answers(
    *,
    response: EvaluationResponse,
    answers: dict[int, Answer],
    show_name: bool,
    now: datetime.datetime | None = None,
) -> EvaluationResponse:
    """Store a member's answers (question id → answer), replacing earlier ones, until the
    evaluation closes."""
    now = now or timezone.now()
    with transaction.atomic():
        response = (
            EvaluationResponse.objects.select_for_update()
            .select_related("evaluation__event")
            .get(pk=response.pk)
        )
        if not response.evaluation.is_open(timezone.localdate(now)):
            raise RegistrationError(
                _("De evaluatie is gesloten. Uw antwoorden kunnen niet meer worden gewijzigd."),
                code="closed",
            )
        if response.anonymised_at is not None:
            raise RegistrationError(_("Deze link werkt niet meer."), code="anonymised")
        questions = set(response.evaluation.questions.values_list("pk", flat=True))
        response.answers.all().delete()
        EvaluationAnswer.objects.bulk_create(
            EvaluationAnswer(
                response=response,
                question_id=question_id,
                mark=answer.mark,
                yes_no=answer.yes_no,
                text=answer.text,
                themes=list(answer.themes),
            )
            for question_id, answer in answers.items()
            if question_id in questions
        )
        if response.answered_at is None:
            response.answered_at = now
        else:
            response.changed_at = now
        response.show_name = show_name
        response.save(update_fields=["answered_at", "changed_at", "show_name"])
    return response


def anonymise_responses(*, attendees: list[Attendee], now: datetime.datetime) -> int:
    """Empty the open answers of these members' evaluations and end their links; the marks,
    yes/no answers and themes stay. Return how many responses changed."""
    responses = EvaluationResponse.objects.filter(
        attendee__in=attendees, anonymised_at__isnull=True
    )
    EvaluationAnswer.objects.filter(response__in=responses).exclude(text="").update(text="")
    return responses.update(anonymised_at=now, show_name=False, manage_secret="")

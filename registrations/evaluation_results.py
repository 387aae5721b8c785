"""What the evaluations say, for staff: per event and per session, the last labs side by side,
the dashboard's summary, and the CSV of all answers.

Everything is read in a fixed number of queries, whatever the number of answers, and
computed here as plain data; the templates only show it. Names are shown only with the
answers of those who allowed it.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Avg, Count, Q
from django.urls import reverse
from django.utils.translation import gettext as _

from registrations.models import (
    Evaluation,
    EvaluationAnswer,
    EvaluationQuestion,
    EvaluationResponse,
    QuestionKind,
)

# The charts: ten bars in a small SVG, drawn from these sizes (in SVG units).
BAR_WIDTH, BAR_GAP, BAR_MAX_HEIGHT, CHART_TOP = 22, 6, 60, 16


def average(marks: list[int]) -> Decimal | None:
    if not marks:
        return None
    return (Decimal(sum(marks)) / len(marks)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def percentage(part: int, whole: int) -> int | None:
    return round(100 * part / whole) if whole else None


@dataclass(frozen=True)
class MarkStats:
    """The marks one question got: how many, their average and how they spread over 1 to 10."""

    question: str
    marks: list[int]

    @property
    def count(self) -> int:
        return len(self.marks)

    @property
    def average(self) -> Decimal | None:
        return average(self.marks)

    @property
    def distribution(self) -> list[int]:
        counts = Counter(self.marks)
        return [counts[mark] for mark in range(1, 11)]

    @property
    def bars(self) -> list[dict[str, int]]:
        """Return each mark's bar of the chart: its place, height and count."""
        highest = max(self.distribution) or 1
        bars = []
        for mark, count in enumerate(self.distribution, start=1):
            height = round(BAR_MAX_HEIGHT * count / highest)
            x = (mark - 1) * (BAR_WIDTH + BAR_GAP)
            bars.append(
                {
                    "mark": mark,
                    "count": count,
                    "x": x,
                    "middle": x + BAR_WIDTH // 2,
                    "y": CHART_TOP + BAR_MAX_HEIGHT - height,
                    "height": height,
                }
            )
        return bars


@dataclass
class Group:
    """The figures of everyone invited, or of one session's people."""

    title: str
    invited: int = 0
    responded: int = 0
    marks: list[MarkStats] = field(default_factory=list)

    @property
    def rate(self) -> int | None:
        return percentage(self.responded, self.invited)


@dataclass(frozen=True)
class Row:
    """One answered link, as the results need it."""

    response_id: int
    session_id: int
    name: str  # empty unless the person allowed their name with their comments


def rows_of(evaluation: Evaluation) -> tuple[list[Row], dict[int, int]]:
    """Return the answered links, and how many were invited per session (one query)."""
    invited: dict[int, int] = Counter()
    rows = []
    for pk, session_id, answered_at, show_name, name in EvaluationResponse.objects.filter(
        evaluation=evaluation
    ).values_list("pk", "session_id", "answered_at", "show_name", "attendee__name"):
        invited[session_id] += 1
        if answered_at is not None:
            rows.append(Row(pk, session_id, (name or "") if show_name else ""))
    return rows, invited


def answers_by_response(evaluation: Evaluation) -> dict[int, dict[int, tuple]]:
    """Return response id → question id → (mark, yes/no, text, themes) (one query)."""
    found: dict[int, dict[int, tuple]] = defaultdict(dict)
    for response_id, question_id, *values in EvaluationAnswer.objects.filter(
        response__evaluation=evaluation, response__answered_at__isnull=False
    ).values_list("response_id", "question_id", "mark", "yes_no", "text", "themes"):
        found[response_id][question_id] = tuple(values)
    return found


def event_results(evaluation: Evaluation) -> dict:
    """Return the results of one event's evaluation, overall and per session."""
    questions = list(evaluation.questions.all())
    sessions = list(evaluation.event.sessions.all())
    rows, invited = rows_of(evaluation)
    answers = answers_by_response(evaluation)
    mark_questions = [q for q in questions if q.is_mark]

    def group(title: str, people: list[Row], invited_count: int) -> Group:
        return Group(
            title=title,
            invited=invited_count,
            responded=len(people),
            marks=[
                MarkStats(
                    _(q.text),
                    [
                        answers[r.response_id][q.pk][0]
                        for r in people
                        if answers[r.response_id].get(q.pk, (None,))[0] is not None
                    ],
                )
                for q in mark_questions
            ],
        )

    per_session = [
        group(s.title, [r for r in rows if r.session_id == s.pk], invited[s.pk]) for s in sessions
    ]
    return {
        "overall": group(_("Alle deelnemers"), rows, sum(invited.values())),
        "sessions": [g for g in per_session if g.invited],
        "open_answers": [
            (_(q.text), open_answers(q, rows, answers))
            for q in questions
            if q.kind == QuestionKind.TEXT
        ],
        "themes": [
            (_(q.text), theme_counts(q, rows, answers))
            for q in questions
            if q.kind == QuestionKind.THEMES
        ],
        "yes_no": [
            (_(q.text), yes_no_counts(q, rows, answers))
            for q in questions
            if q.kind == QuestionKind.YES_NO
        ],
    }


def open_answers(question: EvaluationQuestion, rows: list[Row], answers: dict) -> list[tuple]:
    """Return (text, name or "") per answer given, the name only where allowed."""
    return [
        (answers[r.response_id][question.pk][2], r.name)
        for r in rows
        if answers[r.response_id].get(question.pk, (None, None, ""))[2]
    ]


def theme_counts(question: EvaluationQuestion, rows: list[Row], answers: dict) -> list[tuple]:
    """Return (theme, how many ticked it), most wanted first; themes nobody ticked too."""
    counts = Counter(dict.fromkeys(question.choice_list(), 0))
    for r in rows:
        counts.update(answers[r.response_id].get(question.pk, (None, None, "", []))[3])
    return [
        (_(theme), count) for theme, count in sorted(counts.items(), key=lambda i: (-i[1], i[0]))
    ]


def yes_no_counts(question: EvaluationQuestion, rows: list[Row], answers: dict) -> dict:
    given = [
        answers[r.response_id][question.pk][1]
        for r in rows
        if question.pk in answers[r.response_id]
    ]
    yes = sum(1 for value in given if value is True)
    no = sum(1 for value in given if value is False)
    return {"yes": yes, "no": no, "yes_rate": percentage(yes, yes + no)}


def recent_labs(limit: int = 5) -> list[dict]:
    """Return the marks of the last labs with an evaluation, oldest first, side by side."""
    evaluations = list(
        Evaluation.objects.select_related("event")
        .annotate(
            invited=Count("responses", distinct=True),
            responded=Count(
                "responses", filter=Q(responses__answered_at__isnull=False), distinct=True
            ),
        )
        .filter(invited__gt=0)
        .order_by("-event__date", "-pk")[:limit]
    )
    marks = {
        (row["response__evaluation_id"], row["question__kind"]): row["average"]
        for row in EvaluationAnswer.objects.filter(
            response__evaluation__in=evaluations, mark__isnull=False
        )
        .values("response__evaluation_id", "question__kind")
        .annotate(average=Avg("mark"))
    }
    yes = {
        row["response__evaluation_id"]: percentage(row["yes"], row["given"])
        for row in EvaluationAnswer.objects.filter(
            response__evaluation__in=evaluations, yes_no__isnull=False
        )
        .values("response__evaluation_id")
        .annotate(yes=Count("pk", filter=Q(yes_no=True)), given=Count("pk"))
    }

    def rounded(value) -> Decimal | None:
        return (
            None if value is None else Decimal(str(value)).quantize(Decimal("0.1"), ROUND_HALF_UP)
        )

    return [
        {
            "event": e.event,
            "url": reverse("admin:theme_sessions_event_evaluation", args=[e.event_id]),
            "invited": e.invited,
            "responded": e.responded,
            "rate": percentage(e.responded, e.invited),
            "evening": rounded(marks.get((e.pk, QuestionKind.MARK))),
            "session": rounded(marks.get((e.pk, QuestionKind.SESSION_MARK))),
            "recommend": yes.get(e.pk),
        }
        for e in reversed(evaluations)
    ]


def dashboard_evaluation(limit: int = 3) -> dict:
    """Return what the staff dashboard shows of the evaluations: the last labs' figures
    (`templates/admin/registrations/dashboard/_evaluation.html`)."""
    return {"labs": list(reversed(recent_labs(limit)))}


def answer_rows(evaluation: Evaluation) -> Iterator[list[str]]:
    """Yield the CSV of all answers: a header, then one row per answered link."""
    questions = list(evaluation.questions.all())
    rows, _invited = rows_of(evaluation)
    answers = answers_by_response(evaluation)
    titles = dict(evaluation.event.sessions.values_list("pk", "title"))
    yield ["Bijeenkomst", "Themasessie", "Naam (met toestemming)", *[q.text for q in questions]]
    for r in rows:
        yield [
            evaluation.event.title,
            titles.get(r.session_id, ""),
            r.name,
            *[cell(answers[r.response_id].get(q.pk), q) for q in questions],
        ]


def cell(values: tuple | None, question: EvaluationQuestion) -> str:
    if values is None:
        return ""
    mark, yes_no, text, themes = values
    if question.is_mark:
        return "" if mark is None else str(mark)
    if question.kind == QuestionKind.YES_NO:
        return "" if yes_no is None else ("ja" if yes_no else "nee")
    if question.kind == QuestionKind.THEMES:
        return "; ".join(themes)
    return text

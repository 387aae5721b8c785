"""Evaluation results for staff: per event and per session, computed from known answers."""

import csv
import datetime
import io

import pytest
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from pytest_django.asserts import assertContains, assertNotContains

from registrations.evaluation import Answer, evaluation_for, save_answers
from registrations.evaluation_results import dashboard_evaluation, event_results
from registrations.models import EvaluationResponse
from tests.factories import AttendeeFactory, EventFactory, ThemeSessionFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _dutch():
    """Results are read in Dutch here, whatever language an earlier test's request left on."""
    with translation.override("nl"):
        yield


def past_lab(days_ago: int = 2, title: str = "Participatielab voorjaar"):
    return EventFactory(
        title=title,
        date=timezone.localdate() - datetime.timedelta(days=days_ago),
        registration_deadline=timezone.now() - datetime.timedelta(days=days_ago + 7),
    )


def invite(event, session, name="Bestuurslid"):
    attendee = AttendeeFactory(registration__event=event, session=session, name=name)
    return EvaluationResponse.objects.create(
        evaluation=evaluation_for(event), attendee=attendee, session=session
    )


def answer(
    response, *, evening=None, session=None, useful="", themes=(), recommend=None, show_name=False
):
    q = {question.order: question.pk for question in response.evaluation.questions.all()}
    answers = {
        q[1]: Answer(mark=evening),
        q[2]: Answer(mark=session),
        q[3]: Answer(text=useful),
        q[5]: Answer(themes=tuple(themes)),
        q[6]: Answer(yes_no=recommend),
    }
    given = {k: a for k, a in answers.items() if a != Answer()}
    # Answered two days after the lab, while the evaluation was open.
    when = timezone.make_aware(
        datetime.datetime.combine(response.evaluation.event.date, datetime.time(12))
    ) + datetime.timedelta(days=2)
    return save_answers(response=response, answers=given, show_name=show_name, now=when)


@pytest.fixture
def lab():
    """A lab with two sessions: Duurzaamheid (3 invited, 2 answered), Financiën (2 invited,
    1 answered)."""
    event = past_lab()
    green = ThemeSessionFactory(event=event, title="Duurzaamheid")
    money = ThemeSessionFactory(event=event, title="Financiën")
    answer(
        invite(event, green, "Anna Open"),
        evening=8,
        session=9,
        useful="De voorbeelden uit Bunnik.",
        themes=["Prestatieafspraken", "Leefbaarheid in de wijk"],
        recommend=True,
        show_name=True,
    )
    answer(
        invite(event, green, "Bert Stil"),
        evening=6,
        session=7,
        useful="Het gesprek met andere besturen.",
        themes=["Prestatieafspraken"],
        recommend=False,
    )
    invite(event, green, "Carla Niet")
    answer(invite(event, money, "Dirk Geld"), evening=9, recommend=True)
    invite(event, money, "Eva Later")
    return event


def test_results_per_event_and_session(lab):
    # Act
    results = event_results(lab.evaluation)

    # Assert
    overall = results["overall"]
    assert (overall.invited, overall.responded, overall.rate) == (5, 3, 60)
    evening, session = overall.marks
    assert (str(evening.average), evening.count) == ("7.7", 3)
    assert evening.distribution == [0, 0, 0, 0, 0, 1, 0, 1, 1, 0]
    assert (str(session.average), session.distribution[6:9]) == ("8.0", [1, 0, 1])
    green, money = results["sessions"]
    assert (green.title, green.invited, green.responded, green.rate) == ("Duurzaamheid", 3, 2, 67)
    assert str(green.marks[0].average) == "7.0"
    assert (money.invited, money.responded, money.rate) == (2, 1, 50)
    assert (str(money.marks[0].average), money.marks[1].average) == ("9.0", None)


def test_open_answers_named_only_where_allowed(lab):
    # Act
    results = event_results(lab.evaluation)

    # Assert
    _question, useful = results["open_answers"][0]
    assert useful == [
        ("De voorbeelden uit Bunnik.", "Anna Open"),
        ("Het gesprek met andere besturen.", ""),
    ]


def test_themes_counted_and_recommendation(lab):
    # Act
    results = event_results(lab.evaluation)

    # Assert
    _question, themes = results["themes"][0]
    assert themes[:2] == [("Prestatieafspraken", 2), ("Leefbaarheid in de wijk", 1)]
    assert sum(count for _theme, count in themes) == 3
    _question, counts = results["yes_no"][0]
    assert counts == {"yes": 2, "no": 1, "yes_rate": 67}


def test_results_page_shows_figures_and_charts(adviser_client, lab):
    # Act
    response = adviser_client.get(reverse("admin:theme_sessions_event_evaluation", args=[lab.pk]))

    # Assert
    assertContains(response, 'role="img"', count=6)  # 2 marks: overall and per session
    assertContains(response, "60%")
    assertContains(response, "De voorbeelden uit Bunnik. <em>– Anna Open</em>", html=False)
    assertNotContains(response, "Bert Stil")
    assertContains(response, "Het gesprek met andere besturen.")


def test_results_csv_holds_every_answer(adviser_client, lab):
    # Act
    response = adviser_client.get(
        reverse("admin:theme_sessions_event_evaluation_export", args=[lab.pk])
    )

    # Assert
    text = b"".join(response.streaming_content).decode("utf-8")
    assert text.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(text.lstrip("\ufeff")), delimiter=";"))
    assert rows[0][:4] == [
        "Bijeenkomst",
        "Themasessie",
        "Naam (met toestemming)",
        "Welk cijfer geeft u deze avond?",
    ]
    assert len(rows) == 4
    anna = next(row for row in rows if row[2] == "Anna Open")
    assert anna[1:5] == ["Duurzaamheid", "Anna Open", "8", "9"]
    assert anna[-2:] == ["Prestatieafspraken; Leefbaarheid in de wijk", "ja"]
    assert "Bert Stil" not in text


def test_results_refused_without_permission(client, django_user_model, lab):
    # Arrange
    staff = django_user_model.objects.create_user("stagiair", is_staff=True)
    client.force_login(staff)

    # Act
    pages = [
        client.get(reverse("admin:theme_sessions_event_evaluation", args=[lab.pk])),
        client.get(reverse("admin:theme_sessions_event_evaluation_export", args=[lab.pk])),
    ]

    # Assert
    assert [page.status_code for page in pages] == [403, 403]


def test_last_labs_side_by_side(lab):
    # Arrange: an older lab with one answer.
    older = past_lab(days_ago=60, title="Participatielab najaar")
    answer(invite(older, ThemeSessionFactory(event=older)), evening=5, session=6, recommend=True)

    # Act
    labs = dashboard_evaluation()["labs"]

    # Assert: newest first on the dashboard.
    figures = [
        (lab["event"].title, str(lab["evening"]), str(lab["session"]), lab["recommend"])
        for lab in labs
    ]
    assert figures == [
        ("Participatielab voorjaar", "7.7", "8.0", 67),
        ("Participatielab najaar", "5.0", "6.0", 100),
    ]


def test_set_up_makes_the_default_questions(adviser_client):
    # Arrange
    event = past_lab()

    # Act
    response = adviser_client.post(
        reverse("admin:theme_sessions_event_evaluation", args=[event.pk])
    )

    # Assert
    assert response.status_code == 302
    assert event.evaluation.questions.count() == 6


def test_questions_read_only_once_answered(admin_client, lab):
    # Arrange
    url = reverse("admin:registrations_evaluation_change", args=[lab.evaluation.pk])
    fresh = past_lab(days_ago=3)
    fresh_url = reverse("admin:registrations_evaluation_change", args=[evaluation_for(fresh).pk])

    # Act
    answered = admin_client.get(url)
    unanswered = admin_client.get(fresh_url)

    # Assert
    assertNotContains(answered, 'name="questions-0-text"')
    assertContains(unanswered, 'name="questions-0-text"')


@pytest.mark.parametrize("people", [2, 12])
def test_results_page_queries_do_not_grow(adviser_client, django_assert_num_queries, people):
    # Arrange
    event = past_lab()
    sessions = [ThemeSessionFactory(event=event) for _n in range(3)]
    for n in range(people):
        answer(
            invite(event, sessions[n % 3]),
            evening=n % 10 + 1,
            useful="Goed.",
            themes=["Prestatieafspraken"],
            recommend=True,
        )
    url = reverse("admin:theme_sessions_event_evaluation", args=[event.pk])
    adviser_client.get(url)  # warm the session and permission caches

    # Act / Assert
    with django_assert_num_queries(15):
        adviser_client.get(url)


def test_dashboard_include_shows_the_last_labs(lab):
    # Act
    html = render_to_string(
        "admin/registrations/dashboard/_evaluation.html", {"evaluation": dashboard_evaluation()}
    )

    # Assert
    assert "Participatielab voorjaar" in html
    assert "3 / 5 (60%)" in html
    assert reverse("admin:theme_sessions_event_evaluation", args=[lab.pk]) in html

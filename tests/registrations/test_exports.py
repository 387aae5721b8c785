"""The attendee exports and the presence list, read back as the office would."""

import csv
import datetime
import io
from decimal import Decimal

import pytest
from django.contrib.auth.models import Permission
from django.contrib.messages import get_messages
from django.urls import reverse

from registrations import changes, exports
from registrations.invoices import mark_invoices_paid, record_payment
from registrations.models import Attendee, Invoice
from registrations.presence import check_in
from tests.factories import EventFactory, ThemeSessionFactory

pytestmark = pytest.mark.django_db

BOM = "\ufeff"
PAID_ON = datetime.date(2030, 5, 1)
EXPORT_URLS = ["event_export", "session_export", "presence_list"]


def read_text(content, *, flavour):
    """Return the rows of an export's text as dicts keyed by the header."""
    if flavour == "excel-nl":
        assert content.startswith(BOM)
        content = content.removeprefix(BOM)
    delimiter = ";" if flavour == "excel-nl" else ","
    return list(csv.DictReader(io.StringIO(content, newline=""), delimiter=delimiter))


def read_export(response, *, flavour):
    """Return the rows of a streamed export response as dicts keyed by the header."""
    return read_text(b"".join(response.streaming_content).decode("utf-8"), flavour=flavour)


def url_for(name, event, session):
    if name == "event_export":
        return reverse("admin:theme_sessions_event_export", args=[event.pk])
    if name == "session_export":
        return reverse("admin:theme_sessions_event_session_export", args=[event.pk, session.pk])
    return reverse("admin:theme_sessions_event_presence_list", args=[event.pk, session.pk])


@pytest.fixture
def lab(event, sign_up):
    """An event with two organisations (two and one board members) and one cancellation."""
    duurzaamheid, financien, werksessie, _jaarcyclus = event.sessions.all()

    def organisation(name, *members):
        contact = {"contact_name": f"Contact {name}", "contact_email": f"contact.{members[0][1]}"}
        return sign_up(event, list(members), organisation_name=name, **contact)

    organisation(
        "Huurdersvereniging De Brug",
        ("Anna de Vries", "anna@example.org", duurzaamheid),
        ("Jan-Willem", "jw@example.org", financien),
    )
    organisation("'t Hoen", ("Piet Bakker", "piet@example.org", duurzaamheid))
    gone = organisation("Bewonersraad Oost", ("Els Jansen", "els@example.org", werksessie))
    changes.cancel_attendee(attendee=gone.attendees.get(), by_staff=True)
    return event


@pytest.fixture
def staff_user(django_user_model):
    """A staff member with the export permission but not a superuser."""
    user = django_user_model.objects.create_user("adviseur", is_staff=True)
    user.user_permissions.add(
        Permission.objects.get(
            codename="export_personal_data", content_type__app_label="registrations"
        )
    )
    return user


def test_event_export_excel_nl_has_every_attendee_with_session_and_amount(client, admin_user, lab):
    # Arrange
    client.force_login(admin_user)

    # Act
    response = client.get(reverse("admin:theme_sessions_event_export", args=[lab.pk]))

    # Assert
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == (
        f'attachment; filename="deelnemers-{lab.slug}-{lab.date:%Y-%m-%d}-excel-nl.csv"'
    )
    rows = read_export(response, flavour="excel-nl")
    found = {
        row["Naam deelnemer"]: (
            row["Organisatie"],
            row["Themasessie"],
            row["Betaalstatus organisatie"],
            row["Status"],
        )
        for row in rows
    }
    assert found == {
        "Anna de Vries": ("Huurdersvereniging De Brug", "Duurzaamheid", "open", "aangemeld"),
        "Jan-Willem": (
            "Huurdersvereniging De Brug",
            "Financiën van de corporatie",
            "open",
            "aangemeld",
        ),
        "Piet Bakker": ("'t Hoen", "Duurzaamheid", "open", "aangemeld"),
        "Els Jansen": ("Bewonersraad Oost", "Werksessie", "niets te betalen", "afgemeld"),
    }


def test_event_export_excel_nl_writes_dutch_dates_and_header(client, admin_user, lab):
    # Arrange
    client.force_login(admin_user)
    attendee = Attendee.objects.get(name="Anna de Vries")

    # Act
    response = client.get(reverse("admin:theme_sessions_event_export", args=[lab.pk]))

    # Assert
    content = b"".join(response.streaming_content).decode("utf-8")
    header = content.removeprefix(BOM).split("\n")[0]
    assert header.split(";") == list(exports.HEADER)
    row = next(
        r for r in read_text(content, flavour="excel-nl") if r["Naam deelnemer"] == "Anna de Vries"
    )
    assert row["Datum"] == f"{lab.date:%d-%m-%Y}"
    assert row["Aangemeld op"] == (
        f"{attendee.created_at.astimezone(exports.EXPORT_TIMEZONE):%d-%m-%Y %H:%M}"
    )
    assert row["Bijeenkomst"] == lab.title
    assert row["Contactpersoon"] == "Contact Huurdersvereniging De Brug"
    assert row["E-mail deelnemer"] == "anna@example.org"
    assert row["Betaalstatus organisatie"] == "open"


def test_event_export_csv_flavour_uses_commas_points_and_iso_dates(client, admin_user, lab):
    # Arrange
    client.force_login(admin_user)
    attendee = Attendee.objects.get(name="Jan-Willem")

    # Act
    response = client.get(
        reverse("admin:theme_sessions_event_export", args=[lab.pk]), {"format": "csv"}
    )

    # Assert
    content = b"".join(response.streaming_content).decode("utf-8")
    assert not content.startswith(BOM)
    rows = read_text(content, flavour="csv")
    found = {row["Naam deelnemer"]: row["Themasessie"] for row in rows}
    assert found == {
        "Anna de Vries": "Duurzaamheid",
        "Jan-Willem": "Financiën van de corporatie",
        "Piet Bakker": "Duurzaamheid",
        "Els Jansen": "Werksessie",
    }
    row = next(r for r in rows if r["Naam deelnemer"] == "Jan-Willem")
    assert row["Datum"] == lab.date.isoformat()
    assert row["Aangemeld op"] == (
        attendee.created_at.astimezone(exports.EXPORT_TIMEZONE).isoformat(timespec="seconds")
    )


def test_event_export_unknown_format_falls_back_to_excel_nl(client, admin_user, lab):
    # Arrange
    client.force_login(admin_user)

    # Act
    response = client.get(
        reverse("admin:theme_sessions_event_export", args=[lab.pk]), {"format": "xlsx"}
    )

    # Assert
    rows = read_export(response, flavour="excel-nl")
    assert len(rows) == 4


def test_event_export_orders_by_organisation_then_sign_up(client, admin_user, event, sign_up):
    # Arrange: sign-ups arrive in another order than the names.
    session = event.sessions.first()
    sign_up(event, [("C1", "c1@example.org", session)], organisation_name="Charlie")
    sign_up(event, [("A1", "a1@example.org", session)], organisation_name="Alfa")
    sign_up(event, [("B1", "b1@example.org", session)], organisation_name="Bravo")
    sign_up(
        event,
        [("A2", "a2@example.org", session), ("A3", "a3@example.org", session)],
        organisation_name="Alfa",
    )
    client.force_login(admin_user)

    # Act
    response = client.get(reverse("admin:theme_sessions_event_export", args=[event.pk]))

    # Assert
    rows = read_export(response, flavour="excel-nl")
    assert [row["Naam deelnemer"] for row in rows] == ["A1", "A2", "A3", "B1", "C1"]


@pytest.mark.parametrize("flavour", ["excel-nl", "csv"])
def test_event_export_neutralises_formulas_and_keeps_plain_names(
    client, admin_user, event, sign_up, flavour
):
    # Arrange
    session = event.sessions.first()
    sign_up(
        event,
        [
            ('=HYPERLINK("http://example.org","x")', "a@example.org", session),
            ("@SUM(A1)", "b@example.org", session),
            ("-2+3", "c@example.org", session),
        ],
        organisation_name='=HYPERLINK("http://example.org","org")',
    )
    sign_up(event, [("Jan-Willem", "d@example.org", session)], organisation_name="'t Hoen")
    client.force_login(admin_user)

    # Act
    response = client.get(
        reverse("admin:theme_sessions_event_export", args=[event.pk]), {"format": flavour}
    )

    # Assert
    rows = read_export(response, flavour=flavour)
    names = sorted(row["Naam deelnemer"] for row in rows)
    organisations = sorted({row["Organisatie"] for row in rows})
    assert names == [
        "'-2+3",
        '\'=HYPERLINK("http://example.org","x")',
        "'@SUM(A1)",
        "Jan-Willem",
    ]
    assert organisations == ['\'=HYPERLINK("http://example.org","org")', "'t Hoen"]


def test_session_export_has_only_that_session_without_cancelled(client, admin_user, lab):
    # Arrange
    client.force_login(admin_user)
    duurzaamheid = lab.sessions.get(title="Duurzaamheid")
    werksessie = lab.sessions.get(title="Werksessie")

    # Act
    response = client.get(
        reverse("admin:theme_sessions_event_session_export", args=[lab.pk, duurzaamheid.pk])
    )
    cancelled_only = client.get(
        reverse("admin:theme_sessions_event_session_export", args=[lab.pk, werksessie.pk]),
        {"format": "csv"},
    )

    # Assert
    assert response["Content-Disposition"] == (
        f'attachment; filename="deelnemers-{lab.slug}-{lab.date:%Y-%m-%d}-duurzaamheid'
        '-excel-nl.csv"'
    )
    rows = read_export(response, flavour="excel-nl")
    assert sorted((r["Naam deelnemer"], r["Themasessie"]) for r in rows) == [
        ("Anna de Vries", "Duurzaamheid"),
        ("Piet Bakker", "Duurzaamheid"),
    ]
    assert read_export(cancelled_only, flavour="csv") == []


def test_session_export_file_name_slugifies_the_session_title(client, admin_user, lab):
    # Arrange
    client.force_login(admin_user)
    financien = lab.sessions.get(title="Financiën van de corporatie")

    # Act
    response = client.get(
        reverse("admin:theme_sessions_event_session_export", args=[lab.pk, financien.pk])
    )

    # Assert
    assert response["Content-Disposition"] == (
        f'attachment; filename="deelnemers-{lab.slug}-{lab.date:%Y-%m-%d}'
        '-financien-van-de-corporatie-excel-nl.csv"'
    )


def test_presence_list_shows_confirmed_attendees_of_that_session(client, admin_user, lab):
    # Arrange
    client.force_login(admin_user)
    duurzaamheid = lab.sessions.get(title="Duurzaamheid")

    # Act
    response = client.get(
        reverse("admin:theme_sessions_event_presence_list", args=[lab.pk, duurzaamheid.pk])
    )

    # Assert
    assert response.status_code == 200
    assert [a.name for a in response.context["attendees"]] == ["Anna de Vries", "Piet Bakker"]
    page = response.content.decode()
    assert "Anna de Vries" in page
    assert "Huurdersvereniging De Brug" in page
    assert "&#x27;t Hoen" in page
    assert "Jan-Willem" not in page
    assert "Els Jansen" not in page
    assert lab.title in page
    assert "css/print-presence.css" in page
    assert "Afdrukken" in page


def test_presence_list_heading_has_dutch_date(client, admin_user):
    # Arrange
    event = EventFactory(date="2017-05-15")
    session = ThemeSessionFactory(event=event, title="Jaarcyclus")
    client.force_login(admin_user)

    # Act
    response = client.get(
        reverse("admin:theme_sessions_event_presence_list", args=[event.pk, session.pk])
    )

    # Assert
    page = response.content.decode()
    assert "maandag 15 mei 2017" in page
    assert "Jaarcyclus" in page


def test_admin_action_exports_selected_attendees(client, admin_user, lab):
    # Arrange
    client.force_login(admin_user)
    chosen = Attendee.objects.filter(name__in=["Anna de Vries", "Piet Bakker"])

    # Act
    response = client.post(
        reverse("admin:registrations_attendee_changelist"),
        {"action": "export_selected", "_selected_action": [a.pk for a in chosen]},
    )

    # Assert
    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="deelnemers-selectie.csv"'
    rows = read_export(response, flavour="excel-nl")
    assert sorted((r["Naam deelnemer"], r["Organisatie"]) for r in rows) == [
        ("Anna de Vries", "Huurdersvereniging De Brug"),
        ("Piet Bakker", "'t Hoen"),
    ]


def test_admin_action_export_refused_without_permission(client, django_user_model, lab):
    # Arrange: staff who may see and change board members, but not export personal data.
    viewer = django_user_model.objects.create_user("kijker", is_staff=True)
    viewer.user_permissions.add(
        *Permission.objects.filter(
            content_type__app_label="registrations",
            codename__in=["view_attendee", "change_attendee"],
        )
    )
    client.force_login(viewer)
    url = reverse("admin:registrations_attendee_changelist")

    # Act
    page = client.get(url)
    response = client.post(
        url,
        {"action": "export_selected", "_selected_action": [a.pk for a in Attendee.objects.all()]},
    )

    # Assert: not offered, and refused when posted anyway.
    offered = [name for name, _label in page.context["action_form"].fields["action"].choices]
    assert "cancel_attendees" in offered
    assert "export_selected" not in offered
    assert response.status_code == 302
    assert "Content-Disposition" not in response.headers
    assert [m.message for m in get_messages(response.wsgi_request)] == ["Geen actie geselecteerd."]


@pytest.mark.parametrize("name", EXPORT_URLS)
def test_export_pages_send_anonymous_users_to_login(client, event, name):
    # Arrange
    url = url_for(name, event, event.sessions.first())

    # Act
    response = client.get(url)

    # Assert
    assert response.status_code == 302
    assert response.url.startswith(reverse("admin:login"))


@pytest.mark.parametrize("name", EXPORT_URLS)
def test_export_pages_send_non_staff_to_login(client, django_user_model, event, name):
    # Arrange
    client.force_login(django_user_model.objects.create_user("lid"))
    url = url_for(name, event, event.sessions.first())

    # Act
    response = client.get(url)

    # Assert
    assert response.status_code == 302
    assert response.url.startswith(reverse("admin:login"))


@pytest.mark.parametrize("name", EXPORT_URLS)
def test_export_pages_refuse_staff_without_permission(client, django_user_model, event, name):
    # Arrange
    client.force_login(django_user_model.objects.create_user("kijker", is_staff=True))
    url = url_for(name, event, event.sessions.first())

    # Act
    response = client.get(url)

    # Assert
    assert response.status_code == 403


@pytest.mark.parametrize("name", EXPORT_URLS)
def test_export_pages_serve_staff_with_permission(client, staff_user, event, name):
    # Arrange
    client.force_login(staff_user)
    url = url_for(name, event, event.sessions.first())

    # Act
    response = client.get(url)

    # Assert
    assert response.status_code == 200


@pytest.mark.parametrize("name", ["session_export", "presence_list"])
def test_export_pages_refuse_a_session_of_another_event(client, admin_user, event, name):
    # Arrange
    client.force_login(admin_user)
    other_session = ThemeSessionFactory()

    # Act
    response = client.get(url_for(name, event, other_session))

    # Assert
    assert response.status_code == 404


def test_event_export_of_unknown_event_is_not_found(client, admin_user):
    # Arrange
    client.force_login(admin_user)

    # Act
    response = client.get(reverse("admin:theme_sessions_event_export", args=[999999]))

    # Assert
    assert response.status_code == 404


def test_csv_chunks_yields_about_a_thousand_rows_per_chunk():
    # Arrange
    rows = [["kop"]] + [[f"rij {n}"] for n in range(2500)]

    # Act
    chunks = list(exports.csv_chunks(rows, flavour="csv"))

    # Assert
    assert [chunk.count("\n") for chunk in chunks] == [1000, 1000, 501]


def test_csv_chunks_end_rows_in_newline_and_quote_only_what_needs_it():
    # Arrange: line breaks of both kinds, the separator, a quote, an empty cell.
    rows = [["kop", "kop"], ["a\rb", "c\nd"], ["", 'zegt "ja"'], ["x;y", "x,y"]]

    # Act
    text = "".join(exports.csv_chunks(rows, flavour="excel-nl"))

    # Assert: as PostgreSQL's COPY writes them.
    assert text == f'{BOM}kop;kop\n"a\rb";"c\nd"\n;"zegt ""ja"""\n"x;y";x,y\n'


@pytest.mark.parametrize("attendees", [10, 300], ids=["10-attendees", "300-attendees"])
def test_event_export_query_count_does_not_grow(
    client, admin_user, make_busy_event, django_assert_num_queries, attendees
):
    # Arrange
    event = make_busy_event(sessions=4, signups=attendees)
    client.force_login(admin_user)
    url = reverse("admin:theme_sessions_event_export", args=[event.pk])

    # Act / Assert: the session, the user, the event and the attendees with all they read
    # (on PostgreSQL one COPY, which Django counts like any query).
    with django_assert_num_queries(4):
        response = client.get(url)
        content = b"".join(response.streaming_content)
    assert content.decode("utf-8-sig").count("\n") == attendees + 1


# Columns and files that mix several events, invoices and languages --------------------------


def export_selection(client, attendees, **extra):
    """Export attendees through the admin action, as staff selecting them in the list."""
    return client.post(
        reverse("admin:registrations_attendee_changelist"),
        {"action": "export_selected", "_selected_action": [a.pk for a in attendees], **extra},
    )


def test_event_export_has_phone_remarks_and_via_contact_for_no_address(
    client, admin_user, event, sign_up
):
    # Arrange
    session = event.sessions.first()
    sign_up(
        event,
        [("Anna de Vries", "", session, "vegetarisch")],
        contact_phone="030 123 45 67",
        remarks="Wij komen met de trein.",
    )
    client.force_login(admin_user)

    # Act
    response = client.get(reverse("admin:theme_sessions_event_export", args=[event.pk]))

    # Assert
    [row] = read_export(response, flavour="excel-nl")
    assert (
        row["E-mail deelnemer"],
        row["Telefoon contactpersoon"],
        row["Opmerkingen"],
        row["Dieetwensen"],
        row["Aanwezig"],
    ) == ("via contactpersoon", "030 123 45 67", "Wij komen met de trein.", "vegetarisch", "")


@pytest.mark.parametrize(
    ("flavour", "present"),
    [("excel-nl", "aanwezig 15-05-2030 19:05"), ("csv", "aanwezig 2030-05-15T19:05:30+02:00")],
)
def test_event_export_says_when_a_member_was_checked_in(
    client, admin_user, event, sign_up, flavour, present
):
    # Arrange: Anna was checked in at the door at 19:05:30 Amsterdam time; Piet was not.
    session = event.sessions.first()
    sign_up(event, [("Anna", "anna@example.org", session), ("Piet", "piet@example.org", session)])
    anna = Attendee.objects.get(name="Anna")
    check_in(event=event, attendee_id=anna.pk, by=admin_user)
    checked_in = datetime.datetime(2030, 5, 15, 17, 5, 30, 999999, tzinfo=datetime.UTC)
    Attendee.objects.filter(pk=anna.pk).update(checked_in_at=checked_in)
    client.force_login(admin_user)

    # Act
    response = client.get(
        reverse("admin:theme_sessions_event_export", args=[event.pk]), {"format": flavour}
    )

    # Assert
    rows = read_export(response, flavour=flavour)
    assert [(row["Naam deelnemer"], row["Aanwezig"]) for row in rows] == [
        ("Anna", present),
        ("Piet", ""),
    ]


def test_event_export_by_an_adviser_using_english_stays_dutch(client, admin_user, lab):
    # Arrange: the adviser switched the admin to English.
    client.force_login(admin_user)
    client.cookies["django_language"] = "en"
    mark_invoices_paid(invoices=list(Invoice.objects.filter(organisation__name="'t Hoen")))

    # Act
    response = client.get(reverse("admin:theme_sessions_event_export", args=[lab.pk]))

    # Assert
    content = b"".join(response.streaming_content).decode("utf-8")
    assert content.removeprefix(BOM).split("\n")[0].split(";") == list(exports.HEADER)
    rows = read_text(content, flavour="excel-nl")
    assert {
        row["Naam deelnemer"]: (row["Status"], row["Betaalstatus organisatie"]) for row in rows
    } == {
        "Anna de Vries": ("aangemeld", "open"),
        "Jan-Willem": ("aangemeld", "open"),
        "Piet Bakker": ("aangemeld", "betaald"),
        "Els Jansen": ("afgemeld", "niets te betalen"),
    }
    assert {row["Datum"] for row in rows} == {f"{lab.date:%d-%m-%Y}"}


def test_export_of_a_selection_from_two_events_gives_each_row_its_own_event(
    client, admin_user, sign_up
):
    # Arrange: two labs on other dates, each with one member of the same organisation.
    spring = EventFactory(title="Voorjaarslab", date=datetime.date(2030, 4, 1))
    autumn = EventFactory(title="Najaarslab", date=datetime.date(2030, 10, 1))
    for lab_event, name in [(spring, "Anna Voorjaar"), (autumn, "Anna Najaar")]:
        sign_up(lab_event, [(name, "anna@example.org", ThemeSessionFactory(event=lab_event))])
    client.force_login(admin_user)

    # Act
    response = export_selection(client, Attendee.objects.all())

    # Assert
    rows = read_export(response, flavour="excel-nl")
    assert sorted((r["Naam deelnemer"], r["Bijeenkomst"], r["Datum"]) for r in rows) == [
        ("Anna Najaar", "Najaarslab", "01-10-2030"),
        ("Anna Voorjaar", "Voorjaarslab", "01-04-2030"),
    ]


def test_event_export_gives_each_row_its_organisations_payment_status_and_no_amount(
    client, admin_user, event, sign_up
):
    # Arrange: three organisations owe 50 each; one has paid, one paid too little.
    session = event.sessions.first()
    invoices = {
        name: sign_up(
            event, [(name, f"{name.lower()}@example.org", session)], organisation_name=name
        ).invoice
        for name in ["Alfa", "Bravo", "Charlie"]
    }
    sign_up(
        event,
        [("Delta", "delta@example.org", session), ("Delta 2", "delta2@example.org", session)],
        organisation_name="Delta",
    )
    mark_invoices_paid(invoices=[invoices["Bravo"]])
    record_payment(invoice=invoices["Charlie"], amount=Decimal("20.00"), paid_on=PAID_ON)
    client.force_login(admin_user)

    # Act
    response = client.get(reverse("admin:theme_sessions_event_export", args=[event.pk]))

    # Assert
    rows = read_export(response, flavour="excel-nl")
    assert [(r["Naam deelnemer"], r["Betaalstatus organisatie"]) for r in rows] == [
        ("Alfa", "open"),
        ("Bravo", "betaald"),
        ("Charlie", "deels betaald"),
        ("Delta", "open"),
        ("Delta 2", "open"),
    ]
    assert not any("50,00" in value or "85,00" in value for r in rows for value in r.values())


def test_session_export_lists_a_waiting_member_with_that_status(client, admin_user, sign_up):
    # Arrange
    event = EventFactory(has_waiting_list=True)
    full = ThemeSessionFactory(event=event, title="Vol", capacity=1)
    sign_up(event, [("Piet Bakker", "piet@example.org", full)], organisation_name="Eerste")
    sign_up(event, [("Wim Wacht", "wim@example.org", full)], organisation_name="Tweede", wait=True)
    client.force_login(admin_user)

    # Act
    response = client.get(
        reverse("admin:theme_sessions_event_session_export", args=[event.pk, full.pk])
    )

    # Assert
    rows = read_export(response, flavour="excel-nl")
    assert [(r["Naam deelnemer"], r["Status"]) for r in rows] == [
        ("Piet Bakker", "aangemeld"),
        ("Wim Wacht", "op de wachtlijst"),
    ]


def test_presence_list_leaves_out_a_waiting_member(client, admin_user, sign_up):
    # Arrange: only who has a place signs the list.
    event = EventFactory(has_waiting_list=True)
    full = ThemeSessionFactory(event=event, title="Vol", capacity=1)
    sign_up(event, [("Piet Bakker", "piet@example.org", full)], organisation_name="Eerste")
    waiting = sign_up(
        event, [("Wim Wacht", "wim@example.org", full)], organisation_name="Tweede", wait=True
    )
    assert waiting.status == "waiting"
    client.force_login(admin_user)

    # Act
    response = client.get(
        reverse("admin:theme_sessions_event_presence_list", args=[event.pk, full.pk])
    )

    # Assert
    assert [a.name for a in response.context["attendees"]] == ["Piet Bakker"]
    assert "Wim Wacht" not in response.content.decode()


def test_presence_list_orders_names_alphabetically_whatever_their_capitals(
    client, admin_user, event, sign_up
):
    # Arrange: "de Vries" and "van Dam" start in lower case, as Dutch surnames do.
    session = event.sessions.first()
    for name in ["de Vries", "Bakker", "van Dam", "Zwart", "Anna"]:
        sign_up(
            event,
            [(name, f"{name.replace(' ', '')}@example.org", session)],
            organisation_name=name,
        )
    client.force_login(admin_user)

    # Act
    response = client.get(
        reverse("admin:theme_sessions_event_presence_list", args=[event.pk, session.pk])
    )

    # Assert
    assert [a.name for a in response.context["attendees"]] == [
        "Anna",
        "Bakker",
        "de Vries",
        "van Dam",
        "Zwart",
    ]


def test_export_of_an_admin_selection_made_with_a_search_and_a_sort_has_each_row_once(
    client, admin_user, lab
):
    # Arrange: staff search on the organisation (a join), sort on it, and select all matches.
    client.force_login(admin_user)
    url = reverse("admin:registrations_attendee_changelist")

    # Act
    response = client.post(
        url + "?q=De+Brug&o=3",
        {
            "action": "export_selected",
            "select_across": "1",
            "index": "0",
            "_selected_action": [Attendee.objects.first().pk],
        },
    )

    # Assert
    assert response.status_code == 200
    rows = read_export(response, flavour="excel-nl")
    assert [(r["Naam deelnemer"], r["Organisatie"]) for r in rows] == [
        ("Anna de Vries", "Huurdersvereniging De Brug"),
        ("Jan-Willem", "Huurdersvereniging De Brug"),
    ]


def test_export_writes_amsterdam_time_whatever_the_servers_zone(
    client, admin_user, event, sign_up, settings
):
    # Arrange: a server that runs on UTC; Anna signed up at 15:30 UTC in May (summer time).
    settings.TIME_ZONE = "UTC"
    sign_up(event, [("Anna", "anna@example.org", event.sessions.first())])
    signed_up = datetime.datetime(2030, 5, 15, 15, 30, tzinfo=datetime.UTC)
    Attendee.objects.update(created_at=signed_up)
    client.force_login(admin_user)
    url = reverse("admin:theme_sessions_event_export", args=[event.pk])

    # Act
    excel = read_export(client.get(url), flavour="excel-nl")
    standard = read_export(client.get(url, {"format": "csv"}), flavour="csv")

    # Assert
    assert excel[0]["Aangemeld op"] == "15-05-2030 17:30"
    assert standard[0]["Aangemeld op"] == "2030-05-15T17:30:00+02:00"

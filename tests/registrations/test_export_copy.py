"""The attendee CSV written by PostgreSQL's COPY: byte for byte what the Python path writes,
streamed, and stopped cleanly when it fails or when the reader goes away."""

import csv
import datetime
import io
import re
import threading
from decimal import Decimal

import pytest
from django.core.signals import request_finished
from django.db import DataError, close_old_connections, connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from registrations import export_copy, exports
from registrations.models import Attendee, Invoice, Organisation, Registration, Status
from tests.factories import AttendeeFactory, EventFactory, RegistrationFactory, ThemeSessionFactory

pytestmark = [pytest.mark.django_db, pytest.mark.postgresql]

FLAVOURS = ["excel-nl", "csv"]
UTC = datetime.UTC

# Cells a spreadsheet or a CSV reader could trip over; each lands in several columns.
HOSTILE = [
    "=1+2",
    "+31 6 12345678",
    "-12",
    "-12,50",
    "-1.000,50",
    "-12\n",
    "-",
    "@SUM(A1)",
    "|pipe|x",
    "=a|b",
    "%APPDATA%",
    'zegt "hallo"',
    "a;b",
    "a,b",
    "regel\nregel",
    "wagen\rterug",
    "beide\r\n",
    "\ttab vooraan",
    "tab\tmidden",
    "Ünïcödé ëë",
    "feest 🎉",
    "",
    "'t Hoen",
    "'=al een quote",
    " spatie vooraan",
    "\\.",
    "\\N",
    "NULL",
]
# Moments around Amsterdam's change to summer time (31 March 2030, 01:00 UTC) and back
# (27 October 2030, 01:00 UTC, when 02:00-03:00 happens twice), and around its midnight.
MOMENTS = [
    datetime.datetime(2030, 3, 31, 0, 59, 59, 999999, tzinfo=UTC),
    datetime.datetime(2030, 3, 31, 1, 0, tzinfo=UTC),
    datetime.datetime(2030, 10, 27, 0, 30, tzinfo=UTC),
    datetime.datetime(2030, 10, 27, 1, 30, tzinfo=UTC),
    datetime.datetime(2030, 6, 30, 21, 59, 59, 500000, tzinfo=UTC),
    datetime.datetime(2030, 6, 30, 22, 0, tzinfo=UTC),
    datetime.datetime(2030, 12, 31, 22, 59, 59, tzinfo=UTC),
    datetime.datetime(2030, 12, 31, 23, 0, 0, 1, tzinfo=UTC),
]
# (amount due, amount paid): nothing to pay, open, paid, partly paid, overpaid twice.
ACCOUNTS = [("0", "0"), ("50", "0"), ("50", "50"), ("85", "20"), ("50", "60"), ("0", "10")]
STATUSES = [Status.CONFIRMED, Status.CONFIRMED, Status.WAITING, Status.CANCELLED]


@pytest.fixture
def hostile_lab():
    """An event whose every text column holds hostile cells, with every status and payment
    status, attendees without an address, and times on both sides of DST changes."""
    event = EventFactory(title="=Lab|één", date=datetime.date(2030, 10, 27))
    sessions = [
        ThemeSessionFactory(event=event, title=title)
        for title in ["@Sessie", "Sessie; één, twee", 'Sessie "drie"']
    ]
    for n, text in enumerate(HOSTILE):
        other = HOSTILE[(n + 7) % len(HOSTILE)]
        due, paid = ACCOUNTS[n % len(ACCOUNTS)]
        registration = RegistrationFactory(
            event=event,
            contact_name=other,
            contact_phone=text,
            remarks=f"{text}{other}" if n % 2 else text,
            status=STATUSES[n % len(STATUSES)],
        )
        Invoice.objects.filter(pk=registration.invoice_id).update(
            amount_due=Decimal(due), amount_paid=Decimal(paid)
        )
        Organisation.objects.filter(pk=registration.organisation_id).update(name=other)
        for member in range(1 + n % 2):
            attendee = AttendeeFactory(
                registration=registration,
                session=sessions[(n + member) % len(sessions)],
                name=text if member == 0 else f"{other} {n}",
                email="" if (n + member) % 3 == 0 else f"lid{n}.{member}@example.org",
                dietary_wishes=other,
            )
            moment = MOMENTS[(n + member) % len(MOMENTS)]
            Attendee.objects.filter(pk=attendee.pk).update(
                created_at=moment,
                checked_in_at=MOMENTS[(n + 3) % len(MOMENTS)] if n % 3 == 1 else None,
            )
    return event


def download(monkeypatch, send, *, by_copy: bool) -> bytes:
    """Return the CSV a request sends, written by COPY or, with `by_copy=False`, by Python."""
    with monkeypatch.context() as patch, CaptureQueriesContext(connection) as queries:
        if not by_copy:
            patch.setattr(export_copy, "copy_supported", lambda connection: False)
        response = send()
        content = b"".join(response.streaming_content)
    copies = [query for query in queries if query["sql"].startswith("COPY")]
    assert len(copies) == (1 if by_copy else 0)
    return content


def export_requests(client, event):
    """Return the three exports staff can download, each as a function that asks for it."""
    session = event.sessions.get(title="Sessie; één, twee")
    selection = Attendee.objects.filter(session__event=event).exclude(name="=1+2")
    return {
        "event": lambda flavour: client.get(
            reverse("admin:theme_sessions_event_export", args=[event.pk]), {"format": flavour}
        ),
        "session": lambda flavour: client.get(
            reverse("admin:theme_sessions_event_session_export", args=[event.pk, session.pk]),
            {"format": flavour},
        ),
        "selection": lambda flavour: client.post(
            reverse("admin:registrations_attendee_changelist") + "?q=lid&o=-3",
            {"action": "export_selected", "_selected_action": [a.pk for a in selection]},
        ),
    }


@pytest.mark.parametrize("flavour", FLAVOURS)
@pytest.mark.parametrize("kind", ["event", "session", "selection"])
def test_copy_writes_the_same_bytes_as_python(
    client, admin_user, hostile_lab, monkeypatch, kind, flavour
):
    # Arrange
    client.force_login(admin_user)
    send = export_requests(client, hostile_lab)[kind]

    # Act
    by_copy = download(monkeypatch, lambda: send(flavour), by_copy=True)
    by_python = download(monkeypatch, lambda: send(flavour), by_copy=False)

    # Assert
    assert by_copy == by_python
    assert by_copy.count(b"\n") > 10


def test_copy_quotes_line_breaks_neutralises_formulas_and_writes_empty_cells_bare(
    client, admin_user, hostile_lab
):
    # Arrange
    client.force_login(admin_user)
    url = reverse("admin:theme_sessions_event_export", args=[hostile_lab.pk])

    # Act
    content = b"".join(client.get(url, {"format": "csv"}).streaming_content).decode()

    # Assert
    assert '"wagen\rterug"' in content
    assert '"regel\nregel"' in content
    assert not re.search(r'(^|,)""(,|$)', content, re.MULTILINE)
    names = {row["Naam deelnemer"] for row in csv.DictReader(io.StringIO(content, newline=""))}
    assert {
        "'=1+2",
        "'+31 6 12345678",
        "-12",
        "-12,50",
        "-1.000,50",
        "-12\n",
        "'-",
        "'@SUM(A1)",
        "'\\|pipe\\|x",
        "'=a\\|b",
        "'%APPDATA%",
        "'t Hoen",
    } <= names


def test_copy_writes_dutch_times_either_side_of_the_clock_change(client, admin_user, hostile_lab):
    # Arrange
    client.force_login(admin_user)
    url = reverse("admin:theme_sessions_event_export", args=[hostile_lab.pk])

    # Act
    excel = b"".join(client.get(url).streaming_content).decode("utf-8-sig")
    standard = b"".join(client.get(url, {"format": "csv"}).streaming_content).decode()

    # Assert
    excel_times = {row["Aangemeld op"] for row in csv.DictReader(io.StringIO(excel), delimiter=";")}
    iso_times = {row["Aangemeld op"] for row in csv.DictReader(io.StringIO(standard))}
    assert excel_times == {
        "31-03-2030 01:59",
        "31-03-2030 03:00",
        "27-10-2030 02:30",
        "30-06-2030 23:59",
        "01-07-2030 00:00",
        "31-12-2030 23:59",
        "01-01-2031 00:00",
    }
    assert iso_times == {
        "2030-03-31T01:59:59+01:00",
        "2030-03-31T03:00:00+02:00",
        "2030-10-27T02:30:00+02:00",
        "2030-10-27T02:30:00+01:00",
        "2030-06-30T23:59:59+02:00",
        "2030-07-01T00:00:00+02:00",
        "2030-12-31T23:59:59+01:00",
        "2031-01-01T00:00:00+01:00",
    }


def test_copy_streams_in_chunks_that_join_to_the_python_bytes(
    client, admin_user, hostile_lab, monkeypatch
):
    # Arrange: small chunks, so this small list arrives in several.
    monkeypatch.setattr(export_copy, "CHUNK_BYTES", 256)
    client.force_login(admin_user)
    url = reverse("admin:theme_sessions_event_export", args=[hostile_lab.pk])
    expected = download(monkeypatch, lambda: client.get(url), by_copy=False)

    # Act
    chunks = list(client.get(url).streaming_content)

    # Assert
    assert len(chunks) > 5
    assert b"".join(chunks) == expected


cell_text = st.text(
    st.one_of(
        st.sampled_from("=+-@|%'\";,.\r\n\t 0123456789\\"),
        st.characters(exclude_categories=["Cs"], exclude_characters="\x00"),
    ),
    max_size=12,
)
# Amsterdam has had offsets with seconds (before 1937), summer time and none.
moments = st.datetimes(
    min_value=datetime.datetime(1900, 1, 1),
    max_value=datetime.datetime(2100, 1, 1),
    timezones=st.just(UTC),
)


@pytest.mark.parametrize("flavour", FLAVOURS)
@settings(deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(name=cell_text, remarks=cell_text, organisation=cell_text, moment=moments)
def test_copy_matches_python_for_any_text_and_time(
    db, flavour, name, remarks, organisation, moment
):
    # Arrange: one attendee, rewritten for each example.
    attendee = Attendee.objects.first() or AttendeeFactory()
    Attendee.objects.filter(pk=attendee.pk).update(
        name=name, dietary_wishes=remarks[::-1], created_at=moment, checked_in_at=moment
    )
    Registration.objects.filter(pk=attendee.registration_id).update(remarks=remarks)
    Organisation.objects.filter(pk=attendee.organisation_id).update(name=organisation)
    attendees = Attendee.objects.all()

    # Act
    response = exports.csv_response(attendees, flavour=flavour, filename="lijst")
    by_copy = b"".join(response.streaming_content)
    by_python = "".join(
        exports.csv_chunks(exports.attendee_rows(attendees, flavour=flavour), flavour=flavour)
    ).encode()

    # Assert
    assert by_copy == by_python


def copy_threads() -> list[threading.Thread]:
    return [thread for thread in threading.enumerate() if thread.name == "attendee-export-copy"]


def close_download(response) -> None:
    """Close a download half read, as the server does when the client goes away; without
    closing the test's database connection, as the test client does too."""
    request_finished.disconnect(close_old_connections)
    try:
        response.close()
    finally:
        request_finished.connect(close_old_connections)


@pytest.mark.django_db(transaction=True)
def test_failing_copy_ends_the_stream_with_the_error(hostile_lab):
    # Arrange: a query that fails in the database (division by zero), outside a transaction
    # as a download runs.
    attendees = Attendee.objects.filter(event=hostile_lab).extra(where=["1 / 0 = 1"])
    response = exports.csv_response(attendees, flavour="csv", filename="lijst")
    chunks = iter(response.streaming_content)

    # Act
    head = next(chunks)
    with pytest.raises(DataError, match="division by zero"):
        next(chunks)

    # Assert
    assert head.startswith(b"Bijeenkomst,Datum,")
    assert copy_threads() == []


@pytest.mark.parametrize(
    "transaction",
    [
        # Inside a transaction the worker reads the rest and drops it.
        pytest.param("atomic", id="in-transaction"),
        # Outside one (as a request runs) the query is cancelled.
        pytest.param("autocommit", marks=pytest.mark.django_db(transaction=True)),
    ],
)
def test_reader_going_away_stops_the_copy(monkeypatch, transaction):
    # Arrange: a list far longer than the queue holds, so the worker waits for room.
    assert connection.in_atomic_block == (transaction == "atomic")
    monkeypatch.setattr(export_copy, "CHUNK_BYTES", 64)
    monkeypatch.setattr(export_copy, "QUEUE_CHUNKS", 1)
    event = EventFactory()
    AttendeeFactory.create_batch(40, registration__event=event, registration__remarks="x" * 100)
    response = exports.csv_response(
        Attendee.objects.filter(event=event), flavour="csv", filename="lijst"
    )
    chunks = iter(response.streaming_content)
    first = [next(chunks), next(chunks)]
    assert len(copy_threads()) == 1

    # Act: the client goes away.
    close_download(response)

    # Assert: the worker is gone and the connection answers the next query.
    assert first[1].startswith(b"Participatielab")
    assert copy_threads() == []
    assert Attendee.objects.filter(event=event).count() == 40


@pytest.mark.django_db(transaction=True)
def test_export_streams_after_an_atomic_request_has_committed(
    client, admin_user, monkeypatch, sign_up, event
):
    # Arrange: requests in a transaction each; the rows stream after the view's has ended.
    monkeypatch.setitem(connection.settings_dict, "ATOMIC_REQUESTS", True)
    session = event.sessions.first()
    sign_up(event, [("Anna de Vries", "", session), ("Piet Bakker", "piet@example.org", session)])
    client.force_login(admin_user)
    url = reverse("admin:theme_sessions_event_export", args=[event.pk])

    # Act
    response = client.get(url)
    content = b"".join(response.streaming_content).decode("utf-8-sig")

    # Assert
    rows = list(csv.DictReader(io.StringIO(content, newline=""), delimiter=";"))
    assert [(row["Naam deelnemer"], row["E-mail deelnemer"]) for row in rows] == [
        ("Anna de Vries", "via contactpersoon"),
        ("Piet Bakker", "piet@example.org"),
    ]

"""The attendee CSV on PostgreSQL, written by the database itself with `COPY ... TO STDOUT`.

`registrations.exports.csv_response` takes this path on PostgreSQL and `attendee_rows` on other
databases; both give the same bytes (tests/registrations/test_export_copy.py). So everything
`attendee_rows` and `csv_chunks` do to a cell is done here in SQL, around the same query
(`values_list(*COLUMNS)` of the same queryset): the Dutch labels, dates and times in
Amsterdam, "via contactpersoon", the payment status, and defusedcsv's quote before a formula.
An empty text becomes NULL, because COPY writes NULL as an empty cell, as Python's csv module
writes "", but writes "" itself as `""`.

The rows stream: `copy_expert` runs in a worker thread and writes into a `_ChunkWriter`, which
hands chunks of about 64 kB to the response through a queue of a few chunks. The first bytes
leave before the query is done, memory stays flat however long the list, and a reader that
goes away stops the worker (the query is cancelled, or read to its end inside a transaction).
"""

from __future__ import annotations

import queue
import threading
from collections.abc import Callable, Iterator
from decimal import Decimal
from typing import TYPE_CHECKING

from django.db import connections
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.backends.utils import CursorWrapper
from django.db.models import QuerySet
from django.utils import translation

from registrations.invoices import payment_status

if TYPE_CHECKING:
    from zoneinfo import ZoneInfo

    # Types only: `registrations.exports` imports this module.
    from registrations.exports import AttendeeLabels, Flavour

# About this much text per chunk of the response, and at most this many chunks waiting for a
# slow reader: half a megabyte in memory at most.
CHUNK_BYTES = 64 * 1024
QUEUE_CHUNKS = 8
# How often a worker waiting for room in the queue looks whether the reader has gone.
WAIT_SECONDS = 0.1

# The columns of `exports.COLUMNS`, in its order, as the outer SELECT names them.
COLUMN_NAMES = (
    "event_title",
    "event_date",
    "organisation",
    "name",
    "session",
    "email",
    "contact_name",
    "contact_email",
    "contact_phone",
    "remarks",
    "dietary_wishes",
    "created_at",
    "status",
    "checked_in_at",
    "amount_due",
    "amount_paid",
)

# PostgreSQL's `to_char` patterns for the flavours' `strftime` patterns (None: ISO 8601). A
# flavour with a pattern missing here fails loudly rather than writing other dates than Python.
DATE_PATTERNS = {"%d-%m-%Y": "DD-MM-YYYY", None: "YYYY-MM-DD"}
DATETIME_PATTERNS = {"%d-%m-%Y %H:%M": "DD-MM-YYYY HH24:MI", None: 'YYYY-MM-DD"T"HH24:MI:SS'}

# The characters defusedcsv neutralises at the start of a cell.
FORMULA_STARTS = "=+-@|%"

# What the worker puts on the queue after the last chunk.
_END = object()


def copy_supported(connection: BaseDatabaseWrapper) -> bool:
    """Return whether this database can write the export itself (PostgreSQL with psycopg2)."""
    return connection.vendor == "postgresql" and connection.Database.__name__ == "psycopg2"


def copy_chunks(
    columns: QuerySet,
    *,
    flavour: Flavour,
    labels: AttendeeLabels,
    zone: ZoneInfo,
    head: bytes,
) -> Iterator[bytes]:
    """Yield `head`, then the CSV rows PostgreSQL writes for `columns` (`exports.COLUMNS`).

    This generator runs in the thread that serves the request, which owns the connection;
    only the COPY runs in a worker, and this thread leaves the connection alone until the
    worker has finished.
    """
    connection = connections[columns.db]
    with connection.cursor() as cursor:
        sql = copy_sql(cursor, columns, flavour=flavour, labels=labels, zone=zone)
        yield from _stream(connection, cursor, sql, head=head)


def copy_sql(
    cursor: CursorWrapper,
    columns: QuerySet,
    *,
    flavour: Flavour,
    labels: AttendeeLabels,
    zone: ZoneInfo,
) -> str:
    """Return the COPY statement that writes the rows of `columns` as `attendee_rows` does."""

    def literal(value: str) -> str:
        # Quoted by psycopg2 as it quotes parameters: COPY itself takes none.
        return cursor.mogrify("%s", (value,)).decode()

    zone_name = literal(zone.key)
    statuses = " ".join(
        f"WHEN {literal(value)} THEN {literal(label)}" for value, label in labels.statuses.items()
    )
    checked_in = _datetime("checked_in_at", flavour, zone_name)
    cells = [
        _text("event_title"),
        # Dates and times start with a digit: nothing to neutralise.
        f"to_char(event_date, '{DATE_PATTERNS[flavour.date_format]}')",
        _text("organisation"),
        _text("name"),
        _text("session"),
        _text(f"COALESCE(NULLIF(email, ''), {literal(labels.via_contact)})"),
        _text("contact_name"),
        _text("contact_email"),
        _text("contact_phone"),
        _text("remarks"),
        _text("dietary_wishes"),
        _datetime("created_at", flavour, zone_name),
        _text(f"CASE status {statuses} END"),
        # NULL, so an empty cell, for whoever was not checked in.
        _text(f"{literal(labels.present)} || ' ' || {checked_in}"),
        _text(_payment_status(literal)),
    ]
    select, params = columns.query.sql_with_params()
    inner = cursor.mogrify(select, params).decode()
    # The outer SELECT only formats the inner one's rows, in the inner one's order.
    query = f"SELECT {', '.join(cells)} FROM ({inner}) AS attendee({', '.join(COLUMN_NAMES)})"
    return f"COPY ({query}) TO STDOUT WITH (FORMAT csv, DELIMITER {literal(flavour.delimiter)})"


def _text(value: str) -> str:
    r"""Return SQL for a text cell as defusedcsv writes it, and an empty one as NULL.

    defusedcsv puts a quote before a cell starting with = + - @ | or % (and a backslash
    before each "|" in it), unless the cell is a number such as "-12" or "1.000,50". Its
    pattern, `^-?[0-9,\.]+$` in Python, also matches with one "\n" at the end.
    """
    # `ascii` gives the first character's code: cheaper than comparing texts.
    starts = ", ".join(str(ord(character)) for character in FORMULA_STARTS)
    neutralised = (
        f"CASE WHEN ascii({value}) IN ({starts})"
        rf" AND {value} !~ '^-?[0-9,.]+\n?$'"
        rf" THEN '''' || replace({value}, '|', '\|') ELSE {value} END"
    )
    return f"NULLIF({neutralised}, '')"


def _datetime(column: str, flavour: Flavour, zone: str) -> str:
    """Return SQL for a moment in the export's time zone, as `Flavour.datetime` writes it."""
    local = f"({column} AT TIME ZONE {zone})"
    text = f"to_char({local}, '{DATETIME_PATTERNS[flavour.datetime_format]}')"
    if flavour.datetime_format:
        return text
    # ISO 8601 with the offset as Python writes it. Amsterdam's offsets since 1940 are
    # written out (the offset is worked out once that way); any other is built: "-" west of
    # Greenwich, seconds only when there are any (Amsterdam before 1937: "+00:19:32").
    ahead = f"({local} - ({column} AT TIME ZONE 'UTC'))"
    built = (
        f"CASE WHEN {ahead} < interval '0' THEN '-' || {_hours_minutes(f'(-{ahead})')}"
        f" ELSE '+' || {_hours_minutes(ahead)} END"
    )
    return (
        f"{text} || CASE {ahead} WHEN interval '1 hour' THEN '+01:00'"
        f" WHEN interval '2 hours' THEN '+02:00' ELSE {built} END"
    )


def _hours_minutes(offset: str) -> str:
    seconds = f"to_char({offset}, ':SS')"
    return (
        f"to_char({offset}, 'HH24:MI')"
        f" || CASE WHEN extract(second FROM {offset}) = 0 THEN '' ELSE {seconds} END"
    )


def _payment_status(literal: Callable[[str], str]) -> str:
    """Return SQL for `invoices.payment_status`: its branches in its order, with its words."""
    with translation.override("nl"):
        nothing, unpaid, paid, partly, overpaid = (
            payment_status(amount_due=Decimal(due), amount_paid=Decimal(paid))
            for due, paid in [("0", "0"), ("1", "0"), ("1", "1"), ("2", "1"), ("1", "2")]
        )
    return (
        f"CASE WHEN amount_due = 0 AND amount_paid = 0 THEN {literal(nothing)}"
        f" WHEN amount_paid = 0 THEN {literal(unpaid)}"
        f" WHEN amount_due = amount_paid THEN {literal(paid)}"
        f" WHEN amount_due > amount_paid THEN {literal(partly)}"
        f" ELSE {literal(overpaid)} END"
    )


class _ChunkWriter:
    """The file `copy_expert` writes into (a row per call): puts chunks on the queue."""

    def __init__(self, chunks: queue.Queue, stopped: threading.Event) -> None:
        self.chunks = chunks
        self.stopped = stopped
        self.parts: list[bytes] = []
        self.size = 0

    def write(self, data: bytes) -> None:
        if self.stopped.is_set():
            return  # nobody reads any more: drop the rest
        self.parts.append(data)
        self.size += len(data)
        if self.size >= CHUNK_BYTES:
            self.flush()

    def flush(self) -> None:
        if self.parts:
            self.put(b"".join(self.parts))
            self.parts.clear()
            self.size = 0

    def put(self, item: object) -> None:
        """Wait for room on the queue, unless the reader has gone."""
        while not self.stopped.is_set():
            try:
                self.chunks.put(item, timeout=WAIT_SECONDS)
                return
            except queue.Full:
                continue


def _copy(
    connection: BaseDatabaseWrapper,
    cursor: CursorWrapper,
    sql: str,
    writer: _ChunkWriter,
    failures: list[BaseException],
) -> None:
    """Run the COPY into `writer` (in the worker thread); keep an error for the reader."""
    try:
        # Django's cursor logs the COPY like any query when queries are counted (DEBUG, tests).
        with connection.wrap_database_errors:
            cursor.copy_expert(sql, writer)
        writer.flush()
    except Exception as error:  # handed to the reader, who raises it
        failures.append(error)
    finally:
        writer.put(_END)


def _stream(
    connection: BaseDatabaseWrapper, cursor: CursorWrapper, sql: str, *, head: bytes
) -> Iterator[bytes]:
    """Yield `head`, then the chunks the COPY writes; raise its error, if any, at the end."""
    chunks: queue.Queue = queue.Queue(maxsize=QUEUE_CHUNKS)
    stopped = threading.Event()
    failures: list[BaseException] = []
    worker = threading.Thread(
        target=_copy,
        args=(connection, cursor, sql, _ChunkWriter(chunks, stopped), failures),
        name="attendee-export-copy",
        daemon=True,
    )
    worker.start()
    finished = False
    try:
        yield head
        while (chunk := chunks.get()) is not _END:
            yield chunk
        finished = True
    finally:
        if not finished:
            # The reader went away (the client closed the download): stop the worker. Outside
            # a transaction the query is cancelled; inside one a cancel would break the
            # transaction, so the worker reads the rest and drops it.
            stopped.set()
            if not connection.in_atomic_block:
                connection.connection.cancel()
        worker.join()
    if failures:
        raise failures[0]

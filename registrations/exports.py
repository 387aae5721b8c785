r"""Attendee lists and the invoices list as CSV files: the rows, the two spreadsheet flavours,
the streamed download.

The staff pages that serve them (per event, per session, an admin selection) live in
`registrations.backoffice` and `registrations.admin`, and check the permission
`registrations.export_personal_data`: these lists hold names and e-mail addresses.

PostgreSQL writes the attendee rows itself (`COPY`, `registrations.export_copy`); elsewhere
`attendee_rows` does. Both write the same bytes: rows end in "\n" as COPY's do (Dutch Excel
reads them), and a cell is quoted only when it holds the separator, a quote, "\r" or "\n".

Cells are written by `defusedcsv`, which puts a quote before a cell starting with `=`, `+`,
`-`, `@`, `|` or `%` (unless the cell is a plain number), so a spreadsheet shows the text
instead of running it as a formula. Ordinary names such as "Jan-Willem" and "'t Hoen" pass
unchanged because only the first character counts. A value such as "+31 6 12345678" comes out
as "'+31 6 12345678": we accept that visible quote, because the number stays readable and
telling a phone number from a formula is exactly the guess that makes these attacks work.
Leading tabs and line breaks, which defusedcsv does not escape, never reach the database:
the services strip every name before saving.
"""

# Annotations stay text: mutmut (`make mutate`) rewrites `Flavour.datetime` so that the method
# would shadow the `datetime` module in the annotations of the methods after it.
from __future__ import annotations

import datetime
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from decimal import Decimal
from itertools import islice
from zoneinfo import ZoneInfo

from defusedcsv import csv
from django.db import connections
from django.db.models import QuerySet
from django.http import HttpRequest, StreamingHttpResponse
from django.utils import numberformat, translation
from django.utils.http import content_disposition_header
from django.utils.translation import gettext

from registrations import export_copy
from registrations.invoices import payment_status
from registrations.models import Attendee, DocumentKind, Invoice, InvoiceDocument, Status
from registrations.pricing import ZERO, money
from sessions.models import Event

# The office prints and reads these lists in the Netherlands, whatever the server's zone.
EXPORT_TIMEZONE = ZoneInfo("Europe/Amsterdam")

# Rows written per chunk of the response. (The database is read 2,000 rows per round trip,
# Django's default for `iterator()`.)
ROWS_PER_CHUNK = 1000

# People, not money: what an organisation owes lives in the invoices CSV (`invoice_rows`), so
# no column here can count an organisation's amount once per attendee when summed.
HEADER = (
    "Bijeenkomst", "Datum", "Organisatie", "Naam deelnemer", "Themasessie", "E-mail deelnemer",
    "Contactpersoon", "E-mail contactpersoon", "Telefoon contactpersoon", "Opmerkingen",
    "Dieetwensen", "Aangemeld op", "Status", "Aanwezig", "Betaalstatus organisatie",
)  # fmt: skip
INVOICE_HEADER = (
    "Nummer", "Soort", "Datum", "Organisatie", "Uw kenmerk", "Bedrag", "Betaald", "Open",
)  # fmt: skip


@dataclass(frozen=True)
class Flavour:
    """How one kind of spreadsheet wants its CSV: separator, encoding mark, numbers, dates."""

    name: str
    delimiter: str
    byte_order_mark: str
    decimal_separator: str
    date_format: str | None  # strftime pattern; None means ISO 8601
    datetime_format: str | None

    def amount(self, value: Decimal) -> str:
        """Write an amount with two decimals and no thousands grouping, e.g. "1085,00"."""
        # `money` gives exactly two decimals, which the formatting keeps.
        return str(numberformat.format(money(value), self.decimal_separator))

    def date(self, value: datetime.date) -> str:
        return value.strftime(self.date_format) if self.date_format else value.isoformat()

    def datetime(self, value: datetime.datetime) -> str:
        local = value.astimezone(EXPORT_TIMEZONE)
        if self.datetime_format:
            return local.strftime(self.datetime_format)
        return local.isoformat(timespec="seconds")


# Dutch Excel: it reads UTF-8 only after a byte order mark, and splits on ";" because the
# comma is the decimal separator.
EXCEL_NL = Flavour(
    name="excel-nl",
    delimiter=";",
    byte_order_mark="\ufeff",
    decimal_separator=",",
    date_format="%d-%m-%Y",
    datetime_format="%d-%m-%Y %H:%M",
)
# RFC 4180, but for "\n" line ends, for everything else (scripts, LibreOffice, English Excel).
STANDARD_CSV = Flavour(
    name="csv",
    delimiter=",",
    byte_order_mark="",
    decimal_separator=".",
    date_format=None,
    datetime_format=None,
)
FLAVOURS = {flavour.name: flavour for flavour in (EXCEL_NL, STANDARD_CSV)}
DEFAULT_FLAVOUR = EXCEL_NL.name


def flavour_from_request(request: HttpRequest) -> str:
    """Return the flavour `?format=` asks for; anything unknown gets Dutch Excel."""
    name = request.GET.get("format")
    return name if name in FLAVOURS else DEFAULT_FLAVOUR


# The columns an export reads, in one query with the joins it needs. Plain tuples, not model
# instances: building six objects per row was most of the export's time.
COLUMNS = (
    "event__title",
    "event__date",
    "registration__organisation__name",
    "name",
    "session__title",
    "email",
    "registration__contact_name",
    "registration__contact_email",
    "registration__contact_phone",
    "registration__remarks",
    "dietary_wishes",
    "created_at",
    "status",
    "checked_in_at",
    "registration__invoice__amount_due",
    "registration__invoice__amount_paid",
)


@dataclass(frozen=True)
class AttendeeLabels:
    """The Dutch words an attendee row uses for its status, a missing address and presence."""

    statuses: dict[str, str]
    via_contact: str
    present: str


def attendee_labels() -> AttendeeLabels:
    """Return the labels in Dutch, like the header, whatever language the adviser uses."""
    with translation.override("nl"):
        return AttendeeLabels(
            statuses={status.value: str(status.label) for status in Status},
            via_contact=gettext("via contactpersoon"),
            present=gettext("aanwezig"),
        )


def attendee_rows(
    attendees: QuerySet[Attendee], *, flavour: str = DEFAULT_FLAVOUR
) -> Iterator[list[str]]:
    """Yield the header, then one row per attendee, read in one query."""
    spec = FLAVOURS[flavour]
    # Worked out once, not per row.
    labels = attendee_labels()
    payments: dict[tuple, str] = {}
    # Dates repeat across thousands of rows: format each distinct one once.
    dates: dict[datetime.date, str] = {}
    yield list(HEADER)
    rows = attendees.for_export().values_list(*COLUMNS).iterator()
    for (
        event_title,
        event_date,
        organisation,
        name,
        session,
        email,
        contact_name,
        contact_email,
        contact_phone,
        remarks,
        dietary_wishes,
        created_at,
        status,
        checked_in_at,
        amount_due,
        amount_paid,
    ) in rows:
        payment_key = (amount_due, amount_paid)
        if payment_key not in payments:
            with translation.override("nl"):
                payments[payment_key] = payment_status(
                    amount_due=amount_due, amount_paid=amount_paid
                )
        if event_date not in dates:
            dates[event_date] = spec.date(event_date)
        yield [
            event_title,
            dates[event_date],
            organisation,
            name,
            session,
            email or labels.via_contact,
            contact_name,
            contact_email,
            contact_phone,
            remarks,
            dietary_wishes,
            # The attendee's own time: board members added later to a sign-up count from then.
            spec.datetime(created_at),
            labels.statuses[status],
            f"{labels.present} {spec.datetime(checked_in_at)}" if checked_in_at else "",
            payments[payment_key],
        ]


def invoice_rows(event: Event, *, flavour: str = DEFAULT_FLAVOUR) -> Iterator[list[str]]:
    """Yield the header, then one row per invoice or credit note of the event, by number.

    Each account's payments are spread over its invoices, oldest first; what is paid beyond
    them shows on its last document. So the columns add up: "Bedrag" to what was invoiced,
    "Betaald" to what was paid on invoiced accounts, "Open" to the difference.
    """
    spec = FLAVOURS[flavour]
    with translation.override("nl"):
        kinds = {kind.value: str(kind.label) for kind in DocumentKind}
    documents = list(
        InvoiceDocument.objects.filter(account__event=event)
        .order_by("year", "sequence")
        .values_list(
            "account_id",
            "number",
            "kind",
            "issued_on",
            "organisation_name",
            "customer_reference",
            "amount",
        )
    )
    paid = dict(Invoice.objects.filter(event=event).values_list("pk", "amount_paid"))
    allocated = allocate_payments(documents, paid)
    yield list(INVOICE_HEADER)
    for (_account, number, kind, issued_on, organisation, reference, amount), share in zip(
        documents, allocated, strict=True
    ):
        yield [
            number,
            kinds[kind],
            spec.date(issued_on),
            organisation,
            reference,
            spec.amount(amount),
            spec.amount(share),
            spec.amount(amount - share),
        ]


def allocate_payments(documents: Sequence[tuple], paid: dict[int, Decimal]) -> list[Decimal]:
    """Return, per document (account id first), the part of its account's payments it gets."""
    left = dict(paid)
    last_of_account = {document[0]: index for index, document in enumerate(documents)}
    shares = []
    for account_id, *_rest, amount in documents:
        share = min(left.get(account_id, ZERO), amount) if amount > 0 else ZERO
        left[account_id] = left.get(account_id, ZERO) - share
        shares.append(share)
    for account_id, index in last_of_account.items():
        shares[index] += left[account_id]  # paid beyond the invoices: overpaid
    return shares


class _Buffer:
    """Collect the rows the CSV writer writes, to hand them out in chunks."""

    def __init__(self, start: str) -> None:
        self.parts: list[str] = [start]

    def write(self, row: str) -> None:
        # One call per row, ending in "\r\n" (see `csv_chunks`): it ends in "\n" here.
        self.parts.append(row[:-2] + "\n")

    def take(self) -> str:
        text = "".join(self.parts)
        self.parts.clear()
        return text


def csv_chunks(rows: Iterable[Sequence[str]], *, flavour: str = DEFAULT_FLAVOUR) -> Iterator[str]:
    r"""Write rows as CSV in the flavour's dialect and yield the text per ROWS_PER_CHUNK rows.

    Quoted as PostgreSQL's COPY quotes. The writer is told rows end in "\r\n", so it quotes a
    cell with either character (told "\n", Python 3.11 leaves a "\r" bare); `_Buffer` then
    ends each row in "\n", as COPY does.
    """
    spec = FLAVOURS[flavour]
    buffer = _Buffer(start=spec.byte_order_mark)
    writer = csv.writer(buffer, delimiter=spec.delimiter, lineterminator="\r\n")
    rows = iter(rows)
    while batch := list(islice(rows, ROWS_PER_CHUNK)):
        writer.writerows(batch)
        yield buffer.take()
    if rest := buffer.take():
        yield rest


def streamed_csv(chunks: Iterable[str | bytes], *, filename: str) -> StreamingHttpResponse:
    """Stream CSV text as a download named `filename` plus ".csv"."""
    response = StreamingHttpResponse(chunks, content_type="text/csv; charset=utf-8")
    response.headers["Content-Disposition"] = content_disposition_header(
        as_attachment=True, filename=f"{filename}.csv"
    )
    return response


def csv_download(
    rows: Iterable[Sequence[str]], *, flavour: str, filename: str
) -> StreamingHttpResponse:
    """Stream rows as a CSV download named `filename` plus ".csv"."""
    return streamed_csv(csv_chunks(rows, flavour=flavour), filename=filename)


def csv_response(
    attendees: QuerySet[Attendee], *, flavour: str, filename: str
) -> StreamingHttpResponse:
    """Stream the attendees as a CSV download named `filename` plus ".csv"; on PostgreSQL
    the database writes the rows (the same bytes, much faster)."""
    if not export_copy.copy_supported(connections[attendees.db]):
        return csv_download(
            attendee_rows(attendees, flavour=flavour), flavour=flavour, filename=filename
        )
    chunks = export_copy.copy_chunks(
        attendees.for_export().values_list(*COLUMNS),
        flavour=FLAVOURS[flavour],
        labels=attendee_labels(),
        zone=EXPORT_TIMEZONE,
        head="".join(csv_chunks([HEADER], flavour=flavour)).encode(),
    )
    return streamed_csv(chunks, filename=filename)

"""The invoices CSV: one row per invoice or credit note, and columns that add up to the
overview's totals; the attendee export beside it carries no money at all."""

import csv
import datetime
import io
import re
from decimal import Decimal

import pytest
from django.urls import reverse
from hypothesis import given
from hypothesis import strategies as st

from registrations.changes import cancel_attendee
from registrations.exports import allocate_payments
from registrations.invoices import money_totals, record_payment
from registrations.issuing import issue_invoices
from tests.signup_posts import members_of

pytestmark = pytest.mark.django_db

AMOUNT = re.compile(r"^-?\d+[,.]\d\d$")


def read(response, *, delimiter=";") -> list[dict[str, str]]:
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    return list(csv.DictReader(io.StringIO(text, newline=""), delimiter=delimiter))


def euros(value: str) -> Decimal:
    return Decimal(value.replace(",", "."))


@pytest.fixture
def mixed_event(event, sign_up):
    """Organisations of 1, 2 and 3 board members, invoiced; then one of the three cancels
    (a credit note) and the pair pays part of its invoice."""
    sign_up(event, members_of(event, 1), organisation_name="Eén", contact_email="een@example.org")
    pair = sign_up(
        event, members_of(event, 2), organisation_name="Twee", contact_email="twee@example.org"
    )
    three = sign_up(
        event, members_of(event, 3), organisation_name="Drie", contact_email="drie@example.org"
    )
    issue_invoices(event=event, today=datetime.date(2026, 6, 1))
    cancel_attendee(attendee=three.attendees.order_by("pk").last(), by_staff=True)
    issue_invoices(event=event, today=datetime.date(2026, 6, 8))
    record_payment(invoice=pair.invoice, amount=Decimal("40.00"), paid_on=datetime.date(2026, 6, 9))
    return event


def test_invoices_csv_sums_to_the_overviews_totals(adviser_client, mixed_event):
    # Act
    response = adviser_client.get(
        reverse("admin:theme_sessions_event_invoice_export", args=[mixed_event.pk])
    )
    overview = adviser_client.get(
        reverse("admin:theme_sessions_event_overview", args=[mixed_event.pk])
    )

    # Assert
    rows = read(response)
    assert [(r["Nummer"], r["Soort"], r["Organisatie"], r["Bedrag"]) for r in rows] == [
        ("2026-0001", "factuur", "Drie", "100,00"),
        ("2026-0002", "factuur", "Eén", "50,00"),
        ("2026-0003", "factuur", "Twee", "85,00"),
        ("2026-0004", "creditnota", "Drie", "-15,00"),
    ]
    totals = money_totals(mixed_event)
    assert sum(euros(r["Bedrag"]) for r in rows) == totals["due"] == Decimal("220.00")
    assert sum(euros(r["Betaald"]) for r in rows) == totals["paid"] == Decimal("40.00")
    assert sum(euros(r["Open"]) for r in rows) == totals["open"] == Decimal("180.00")
    assert "€ 220,00" in overview.content.decode()


def test_invoices_csv_in_rfc_4180_has_commas_and_points(adviser_client, mixed_event):
    # Act
    response = adviser_client.get(
        reverse("admin:theme_sessions_event_invoice_export", args=[mixed_event.pk]),
        {"format": "csv"},
    )

    # Assert
    assert response["Content-Disposition"] == (
        f'attachment; filename="facturen-{mixed_event.slug}-{mixed_event.date:%Y-%m-%d}-csv.csv"'
    )
    rows = read(response, delimiter=",")
    assert sum(Decimal(r["Bedrag"]) for r in rows) == Decimal("220.00")
    assert rows[0]["Datum"] == "2026-06-01"


def test_attendee_export_of_the_mixed_event_has_no_column_that_counts_money(
    adviser_client, mixed_event
):
    # Act
    response = adviser_client.get(
        reverse("admin:theme_sessions_event_export", args=[mixed_event.pk])
    )

    # Assert: six people, and not one cell an amount that a sum could count twice.
    rows = read(response)
    assert len(rows) == 6
    money_cells = [
        (column, value)
        for row in rows
        for column, value in row.items()
        if AMOUNT.match(value) or "€" in value
    ]
    assert money_cells == []
    assert {r["Organisatie"]: r["Betaalstatus organisatie"] for r in rows} == {
        "Eén": "open",
        "Twee": "deels betaald",
        "Drie": "open",
    }


amounts = st.decimals(min_value=-200, max_value=300, places=2).filter(lambda amount: amount != 0)


@given(
    documents=st.lists(st.tuples(st.integers(1, 3), amounts), max_size=8),
    paid=st.dictionaries(st.integers(1, 3), st.decimals(min_value=0, max_value=500, places=2)),
)
def test_allocate_payments_gives_each_account_exactly_its_payments(documents, paid):
    # Arrange: rows as the export reads them, account id first and amount last.
    rows = [(account, "nummer", amount) for account, amount in documents]
    invoiced_accounts = {account for account, _amount in documents}

    # Act
    shares = allocate_payments(rows, paid)

    # Assert: per account with documents, the shares add up to its payments.
    for account in invoiced_accounts:
        mine = [
            share for (owner, *_rest), share in zip(rows, shares, strict=True) if owner == account
        ]
        assert sum(mine) == paid.get(account, Decimal("0.00"))


@pytest.mark.parametrize("organisations", [2, 12])
def test_invoices_csv_query_count_does_not_grow(
    admin_client, event, sign_up, django_assert_num_queries, organisations
):
    # Arrange
    for n in range(organisations):
        sign_up(
            event,
            members_of(event, 1, prefix=f"o{n}-"),
            organisation_name=f"Organisatie {n}",
            contact_email=f"c{n}@example.org",
        )
    issue_invoices(event=event)
    url = reverse("admin:theme_sessions_event_invoice_export", args=[event.pk])

    # Act / Assert: session and user, the event, the documents, the accounts' payments.
    with django_assert_num_queries(5):
        rows = read(admin_client.get(url))
    assert len(rows) == organisations

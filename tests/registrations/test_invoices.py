"""How an invoice stands, in the words staff use: a pure function, tested as a table."""

import datetime
from decimal import Decimal

import pytest

from registrations.invoices import payment_status

PAID_AT = datetime.datetime(2030, 5, 1, 12, 0, tzinfo=datetime.UTC)


@pytest.mark.parametrize(
    ("amount_due", "amount_paid", "paid_at", "expected"),
    [
        ("0.00", "0.00", None, "niets te betalen"),
        ("0.00", "0.00", PAID_AT, "niets te betalen"),
        ("85.00", "0.00", None, "open"),
        ("85.00", "85.00", PAID_AT, "betaald"),
        ("100.00", "85.00", PAID_AT, "betaald, nog niet alles"),
        ("85.00", "100.00", PAID_AT, "te veel betaald"),
        ("0.00", "50.00", PAID_AT, "te veel betaald"),
    ],
    ids=[
        "nothing-due",
        "nothing-due-marked-paid",
        "open",
        "paid-in-full",
        "paid-too-little",
        "paid-too-much",
        "all-cancelled-after-payment",
    ],
)
def test_payment_status_table(amount_due, amount_paid, paid_at, expected):
    # Act
    status = payment_status(
        amount_due=Decimal(amount_due), amount_paid=Decimal(amount_paid), paid_at=paid_at
    )

    # Assert
    assert status == expected

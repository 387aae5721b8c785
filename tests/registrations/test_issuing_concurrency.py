"""Invoice numbers hold when many issue runs start at the same moment (PostgreSQL): every
number once, none skipped."""

import datetime

import pytest

from registrations.issuing import issue_invoices
from registrations.models import InvoiceDocument
from tests.factories import EventFactory, ThemeSessionFactory
from tests.registrations.test_concurrency import run_together

pytestmark = [pytest.mark.postgresql, pytest.mark.django_db(transaction=True)]

RUNS = 20
TODAY = datetime.date(2026, 6, 1)


def events_with_one_signup(count: int, sign_up) -> list:
    events = []
    for index in range(count):
        event = EventFactory()
        session = ThemeSessionFactory(event=event)
        sign_up(
            event,
            [(f"Lid {index}", "", session)],
            organisation_name=f"Organisatie {index}",
            contact_email=f"contact{index}@example.org",
        )
        events.append(event)
    return events


def test_twenty_issue_runs_at_once_number_without_gap_or_repeat(sign_up):
    # Arrange: twenty labs, each with one organisation to invoice.
    events = events_with_one_signup(RUNS, sign_up)

    # Act
    results = run_together(
        RUNS, lambda index: len(issue_invoices(event=events[index], today=TODAY))
    )

    # Assert
    assert results == [("ok", 1)] * RUNS
    numbers = sorted(InvoiceDocument.objects.values_list("number", flat=True))
    assert numbers == [f"2026-{n:04d}" for n in range(1, RUNS + 1)]


def test_twenty_issue_runs_of_one_event_at_once_issue_its_invoice_once(sign_up):
    # Arrange
    [event] = events_with_one_signup(1, sign_up)

    # Act
    results = run_together(RUNS, lambda index: len(issue_invoices(event=event, today=TODAY)))

    # Assert
    assert sorted(results) == [("ok", 0)] * (RUNS - 1) + [("ok", 1)]
    assert list(InvoiceDocument.objects.values_list("number", flat=True)) == ["2026-0001"]

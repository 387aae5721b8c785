"""Issuing invoices: numbered documents, settling changes with credit notes and additional
invoices, the PDF, the mail that carries it, and merging after issuing."""

import datetime
import io
from decimal import Decimal

import pytest
from django.contrib.auth.context_processors import PermWrapper
from django.template.loader import render_to_string
from pypdf import PdfReader

from registrations.changes import cancel_attendee
from registrations.invoice_pdf import invoice_pdf
from registrations.issuing import issue_invoices, money_attention
from registrations.models import DocumentKind, Invoice, InvoiceDocument, MailKind, OutboxMail
from registrations.organisations import merge_organisations
from registrations.signup import AttendeeData, add_attendee

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 6, 1)


def documents() -> list[tuple[str, str, Decimal]]:
    return list(InvoiceDocument.objects.order_by("pk").values_list("number", "kind", "amount"))


def test_issue_gives_each_organisation_one_numbered_invoice(event, sign_up):
    # Arrange
    session = event.sessions.first()
    sign_up(event, [("Anna", "", session), ("Bert", "", session)], organisation_name="Alfa")
    sign_up(event, [("Cor", "", session)], organisation_name="Bravo", contact_email="b@example.org")

    # Act
    issued = issue_invoices(event=event, today=TODAY)

    # Assert
    assert [(d.number, d.organisation_name, d.amount) for d in issued] == [
        ("2026-0001", "Alfa", Decimal("85.00")),
        ("2026-0002", "Bravo", Decimal("50.00")),
    ]
    assert {d.kind for d in issued} == {DocumentKind.INVOICE}
    assert issued[0].due_on == datetime.date(2026, 7, 1)


def test_issue_again_without_changes_issues_nothing(event, sign_up):
    # Arrange
    sign_up(event, [("Anna", "", event.sessions.first())])
    issue_invoices(event=event, today=TODAY)

    # Act
    again = issue_invoices(event=event, today=TODAY)

    # Assert
    assert again == []
    assert len(documents()) == 1


def test_cancellation_after_issuing_gives_a_credit_note_and_leaves_the_invoice(event, sign_up):
    # Arrange
    registration = sign_up(
        event, [("Anna", "", event.sessions.first()), ("Bert", "", event.sessions.first())]
    )
    [invoice] = issue_invoices(event=event, today=TODAY)
    before = InvoiceDocument.objects.filter(pk=invoice.pk).values().get()
    cancel_attendee(attendee=registration.attendees.get(name="Bert"), by_staff=True)

    # Act
    [credit] = issue_invoices(event=event, today=TODAY)

    # Assert
    assert (credit.number, credit.kind, credit.amount) == (
        "2026-0002",
        DocumentKind.CREDIT_NOTE,
        Decimal("-35.00"),
    )
    assert credit.corrects_id == invoice.pk
    assert InvoiceDocument.objects.filter(pk=invoice.pk).values().get() == before


def test_colleague_added_after_issuing_gives_an_additional_invoice(event, sign_up):
    # Arrange
    session = event.sessions.first()
    registration = sign_up(event, [("Anna", "", session)])
    issue_invoices(event=event, today=TODAY)
    add_attendee(
        registration=registration,
        attendee=AttendeeData(name="Bert", email="", session_id=session.pk),
        by_staff=True,
    )

    # Act
    [extra] = issue_invoices(event=event, today=TODAY)

    # Assert
    assert (extra.kind, extra.amount) == (DocumentKind.ADDITIONAL, Decimal("35.00"))
    assert documents() == [
        ("2026-0001", DocumentKind.INVOICE, Decimal("50.00")),
        ("2026-0002", DocumentKind.ADDITIONAL, Decimal("35.00")),
    ]


def test_numbers_start_again_each_year(event, sign_up):
    # Arrange
    session = event.sessions.first()
    registration = sign_up(event, [("Anna", "", session)])
    issue_invoices(event=event, today=datetime.date(2026, 12, 31))
    add_attendee(
        registration=registration,
        attendee=AttendeeData(name="Bert", email="", session_id=session.pk),
        by_staff=True,
    )

    # Act
    [extra] = issue_invoices(event=event, today=datetime.date(2027, 1, 2))

    # Assert
    assert extra.number == "2027-0001"


def test_merge_after_issuing_credits_and_reissues(event, sign_up):
    # Arrange: two spellings of one organisation, each invoiced.
    session = event.sessions.first()
    sign_up(event, [("Anna", "", session)], organisation_name="De Linde")
    linde_eo = sign_up(
        event,
        [("Bert", "", session)],
        organisation_name="De Linde e.o.",
        contact_email="b@example.org",
    )
    issue_invoices(event=event, today=TODAY)
    kept = Invoice.objects.get(organisation__name="De Linde").organisation

    # Act
    merge_organisations(keep=kept, merge=linde_eo.organisation)
    issued = issue_invoices(event=event, today=TODAY)

    # Assert: the merged spelling is credited, the kept one credited and invoiced afresh.
    assert [(d.organisation_name, d.kind, d.amount) for d in issued] == [
        ("De Linde", DocumentKind.CREDIT_NOTE, Decimal("-50.00")),
        ("De Linde", DocumentKind.INVOICE, Decimal("85.00")),
        ("De Linde e.o.", DocumentKind.CREDIT_NOTE, Decimal("-50.00")),
    ]
    assert sum(d.amount for d in InvoiceDocument.objects.all()) == Decimal("85.00")
    assert issue_invoices(event=event, today=TODAY) == []
    # Every document is mailed, the merged spelling's credit note to the kept organisation.
    assert (
        sorted(OutboxMail.objects.filter(kind=MailKind.INVOICE).values_list("recipient", flat=True))
        == ["b@example.org"] + ["karin@example.org"] * 4
    )


def test_invoice_pdf_shows_number_organisation_and_amount(event, sign_up):
    # Arrange
    sign_up(
        event,
        [("Anna", "", event.sessions.first()), ("Bert", "", event.sessions.first())],
        organisation_name="Huurdersvereniging De Linde",
    )
    [document] = issue_invoices(event=event, today=TODAY)

    # Act
    pdf = invoice_pdf(document)

    # Assert
    assert pdf.startswith(b"%PDF")
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)
    assert "2026-0001" in text
    assert "Huurdersvereniging De Linde" in text
    assert "€ 85,00" in text


def test_issued_invoice_is_mailed_with_its_pdf(event, sign_up, send_queued_mail, mailoutbox):
    # Arrange
    sign_up(event, [("Anna", "anna@example.org", event.sessions.first())])
    send_queued_mail()
    mailoutbox.clear()

    # Act
    [document] = issue_invoices(event=event, today=TODAY)
    send_queued_mail()

    # Assert
    [mail] = mailoutbox
    assert mail.to == ["karin@example.org"]
    assert "2026-0001" in mail.subject
    [(filename, content, mimetype)] = mail.attachments
    assert (filename, mimetype) == ("factuur-2026-0001.pdf", "application/pdf")
    assert content.startswith(b"%PDF")
    assert document.account.registrations.get().mails.filter(kind=MailKind.INVOICE).count() == 1


def test_money_attention_counts_what_to_issue_and_what_is_overdue(event, sign_up, rf, admin_user):
    # Arrange: one organisation invoiced long ago and unpaid, one not yet invoiced.
    session = event.sessions.first()
    sign_up(event, [("Anna", "", session)], organisation_name="Alfa")
    issue_invoices(event=event, today=datetime.date(2026, 1, 5))
    sign_up(
        event, [("Bert", "", session)], organisation_name="Bravo", contact_email="b@example.org"
    )

    # Act
    attention = money_attention(today=datetime.date(2026, 3, 1))
    request = rf.get("/")
    request.user = admin_user
    html = render_to_string(
        "admin/registrations/dashboard/_money_attention.html",
        {"money_attention": attention, "perms": PermWrapper(admin_user)},
        request=request,
    )

    # Assert
    assert attention["to_issue"] == [{"event": event, "count": 1}]
    assert (attention["overdue"], attention["overdue_amount"]) == (1, Decimal("50.00"))
    assert "1 organisatie nog te factureren" in html
    assert "1 organisatie betaalt te laat: samen € 50,00" in html


@pytest.mark.parametrize(
    ("rate", "expected"),
    [("0", "Vrijgesteld van btw"), ("21", "Inclusief 21% btw: € 14,75.")],
    ids=["exempt", "vat-included"],
)
def test_invoice_pdf_says_the_vat_from_the_settings(event, sign_up, settings, rate, expected):
    # Arrange
    settings.INVOICE_VAT_RATE = rate
    sign_up(event, [("Anna", "", event.sessions.first()), ("Bert", "", event.sessions.first())])
    [document] = issue_invoices(event=event, today=TODAY)

    # Act
    pdf = invoice_pdf(document)

    # Assert
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)
    assert expected in " ".join(text.split())


def test_an_issued_document_refuses_to_be_saved_again(event, sign_up):
    # Arrange
    sign_up(event, [("Anna", "", event.sessions.first())])
    [document] = issue_invoices(event=event, today=TODAY)
    document.amount = Decimal("1.00")

    # Act / Assert
    with pytest.raises(ValueError, match="cannot change"):
        document.save()
    assert InvoiceDocument.objects.get().amount == Decimal("50.00")

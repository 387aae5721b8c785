"""The staff pages about money: an event's invoices page (issuing), a document's PDF, the
invoice details asked on the sign-up forms and edited by staff."""

from decimal import Decimal

import pytest
from django.urls import reverse
from pytest_django.asserts import assertContains

from registrations.issuing import issue_invoices
from registrations.models import Invoice, InvoiceDocument, MailKind, OutboxMail
from registrations.organisations import merge_organisations
from tests.admin_posts import admin_form_post
from tests.signup_posts import members_of, signup_data, signup_url

pytestmark = pytest.mark.django_db


def invoices_url(event) -> str:
    return reverse("admin:theme_sessions_event_invoices", args=[event.pk])


def test_invoices_page_issues_what_is_not_invoiced_and_says_the_numbers(
    adviser_client, event, sign_up
):
    # Arrange
    sign_up(event, members_of(event, 2))
    before = adviser_client.get(invoices_url(event))

    # Act
    response = adviser_client.post(invoices_url(event), follow=True)
    again = adviser_client.post(invoices_url(event), follow=True)

    # Assert
    assertContains(before, "Facturen uitgeven en mailen")
    assert [str(m) for m in response.context["messages"]] == [
        "1 document uitgegeven en gemaild: " + InvoiceDocument.objects.get().number + "."
    ]
    assertContains(response, "Alles is gefactureerd.")
    assert [str(m) for m in again.context["messages"]] == [
        "Alles is al gefactureerd; er is niets uitgegeven."
    ]
    assert OutboxMail.objects.filter(kind=MailKind.INVOICE).count() == 1


def test_document_pdf_downloads_as_pdf(adviser_client, event, sign_up):
    # Arrange
    sign_up(event, members_of(event, 1))
    [document] = issue_invoices(event=event)

    # Act
    response = adviser_client.get(
        reverse("admin:registrations_invoice_document_pdf", args=[document.pk])
    )

    # Assert
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == (
        f'attachment; filename="factuur-{document.number}.pdf"'
    )
    assert response.content.startswith(b"%PDF")


@pytest.mark.parametrize("organisations", [2, 12])
def test_invoices_page_query_count_does_not_grow(
    admin_client, event, sign_up, django_assert_num_queries, organisations
):
    # Arrange: organisations with issued documents and one new one.
    for n in range(organisations):
        sign_up(
            event,
            members_of(event, 1, prefix=f"o{n}-"),
            organisation_name=f"Organisatie {n}",
            contact_email=f"c{n}@example.org",
        )
    issue_invoices(event=event)
    sign_up(event, members_of(event, 1, prefix="laat"), organisation_name="Laatkomer")

    # Act / Assert: session and user, event, accounts, their documents, the two totals.
    with django_assert_num_queries(7):
        response = admin_client.get(invoices_url(event))
    assert response.status_code == 200


def test_public_signup_stores_the_invoice_details_once(client, event):
    # Arrange
    data = signup_data(
        members_of(event, 2),
        invoice_attention="De penningmeester",
        invoice_address="Lindelaan 1\n1234 AB Voorbeeld",
        invoice_reference="PO-2026-17",
    )

    # Act
    response = client.post(signup_url(event), data)

    # Assert
    assert response.status_code == 302
    invoice = Invoice.objects.get()
    assert (invoice.attention, invoice.address, invoice.customer_reference) == (
        "De penningmeester",
        "Lindelaan 1\n1234 AB Voorbeeld",
        "PO-2026-17",
    )
    [document] = issue_invoices(event=event)
    assert (document.attention, document.customer_reference, document.amount) == (
        "De penningmeester",
        "PO-2026-17",
        Decimal("85.00"),
    )


def test_staff_phone_signup_takes_the_invoice_details(adviser_client, event):
    # Arrange
    data = signup_data(members_of(event, 1), invoice_reference="Kenmerk 9")

    # Act
    response = adviser_client.post(
        reverse("admin:theme_sessions_event_signup", args=[event.pk]), data
    )

    # Assert
    assert response.status_code == 302
    assert Invoice.objects.get().customer_reference == "Kenmerk 9"


def test_staff_edit_the_invoice_details_on_the_account(adviser_client, event, sign_up):
    # Arrange
    invoice = sign_up(event, members_of(event, 1)).invoice

    # Act
    response = admin_form_post(
        adviser_client,
        reverse("admin:registrations_invoice_change", args=[invoice.pk]),
        attention="Mevrouw Voorbeeld",
        customer_reference="REF-1",
    )

    # Assert
    assert response.status_code == 302
    invoice.refresh_from_db()
    assert (invoice.attention, invoice.customer_reference) == ("Mevrouw Voorbeeld", "REF-1")


def test_invoices_page_after_a_merge_says_what_the_next_run_does(adviser_client, event, sign_up):
    # Arrange: two spellings of one organisation, both invoiced, then merged.
    sign_up(event, members_of(event, 1), organisation_name="De Linde")
    other = sign_up(
        event,
        members_of(event, 1, prefix="eo"),
        organisation_name="De Linde e.o.",
        contact_email="eo@example.org",
    )
    issue_invoices(event=event)
    kept = Invoice.objects.get(organisation__name="De Linde").organisation
    merge_organisations(keep=kept, merge=other.organisation)

    # Act
    response = adviser_client.get(invoices_url(event))

    # Assert: the kept one owes € 85,00 (€ 35,00 more), the merged spelling € 50,00 less.
    assert [row["pending"] for row in response.context["rows"]] == [
        Decimal("35.00"),
        Decimal("-50.00"),
    ]
    assert response.context["to_issue"] == 2
    assertContains(response, "alles gecrediteerd en opnieuw gefactureerd", count=1)

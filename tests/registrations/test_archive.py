"""Reports and the archive: past labs newest first with their report, a past lab's page shows
its report instead of a button, an open lab links to the previous lab's report."""

import datetime
import io

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfWriter
from pytest_django.asserts import assertContains, assertNotContains

from sessions import reports
from sessions.reports import ReportFormField, check_report
from tests.factories import EventFactory, ThemeSessionFactory
from tests.signup_posts import event_url, signup_url

pytestmark = pytest.mark.django_db


def pdf_bytes() -> bytes:
    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def past_event(days_ago: int, **fields):
    deadline = timezone.now() - datetime.timedelta(days=days_ago + 7)
    return EventFactory(
        date=timezone.localdate() - datetime.timedelta(days=days_ago),
        registration_deadline=deadline,
        **fields,
    )


def with_pdf(event):
    event.report_file = check_report(SimpleUploadedFile("verslag.pdf", pdf_bytes()))
    event.save()
    return event


def test_the_archive_lists_past_labs_newest_first_with_their_reports(client):
    # Arrange
    older = past_event(200, title="Lab van het voorjaar", theme="Financiën")
    ThemeSessionFactory(event=older, title="Begroting lezen")
    newer = with_pdf(past_event(40, title="Lab van de zomer", theme="Duurzaamheid"))
    text_only = past_event(100, title="Lab met tekstverslag", report_text="Het ging goed.")
    EventFactory(title="Nog te komen lab")
    past_event(10, title="Verborgen lab", is_published=False)

    # Act
    response = client.get(reverse("registrations:archive"))

    # Assert
    html = response.content.decode()
    assert html.index("Lab van de zomer") < html.index("Lab met tekstverslag")
    assert html.index("Lab met tekstverslag") < html.index("Lab van het voorjaar")
    assertNotContains(response, "Nog te komen lab")
    assertNotContains(response, "Verborgen lab")
    assertContains(response, "Begroting lezen")
    assertContains(response, newer.report_file.url)
    assertContains(response, event_url(text_only) + "#verslag")
    assertContains(response, "Het verslag volgt.")
    assertContains(
        client.get(reverse("registrations:event_list")), reverse("registrations:archive")
    )


def test_a_past_lab_shows_its_report_instead_of_a_signup_button(client):
    event = with_pdf(past_event(30, report_text="Wat wij leerden over de jaarcyclus."))

    response = client.get(event_url(event))

    assertContains(response, "Wat wij leerden over de jaarcyclus.")
    assertContains(response, event.report_file.url)
    assertContains(response, "Deze bijeenkomst is geweest.")
    assertNotContains(response, signup_url(event))
    served = client.get(event.report_file.url)
    assert served["Content-Type"] == "application/pdf"
    assert b"".join(served.streaming_content).startswith(b"%PDF-")


def test_an_open_lab_links_to_the_previous_report_and_the_cached_page_follows(client, event):
    # Arrange: the open lab's page is cached before the past lab has a report.
    previous = past_event(60)
    assertNotContains(client.get(event_url(event)), "Lees het verslag van het vorige")

    # Act: staff add the report to the past lab.
    previous.report_text = "Verslag van de vorige keer."
    previous.save()

    # Assert
    response = client.get(event_url(event))
    assertContains(response, "Lees het verslag van het vorige Participatielab")
    assertContains(response, event_url(previous) + "#verslag")


def test_a_report_must_be_a_pdf_of_limited_size(monkeypatch):
    field = ReportFormField(required=False)
    stored = field.clean(SimpleUploadedFile("v.pdf", pdf_bytes()))
    assert stored.name.startswith("verslag-") and stored.name.endswith(".pdf")

    with pytest.raises(ValidationError) as refused:
        field.clean(SimpleUploadedFile("v.pdf", b"%PDF-1.4 kapot"))
    assert refused.value.code == "not_a_pdf"
    with pytest.raises(ValidationError) as refused:
        field.clean(SimpleUploadedFile("v.pdf", b"<html>geen pdf</html>"))
    assert refused.value.code == "not_a_pdf"

    monkeypatch.setattr(reports, "MAX_REPORT_BYTES", 100)
    with pytest.raises(ValidationError) as refused:
        field.clean(SimpleUploadedFile("v.pdf", pdf_bytes()))
    assert refused.value.code == "too_large"

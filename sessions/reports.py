"""A lab's report (verslag): a PDF upload, checked and stored under a name made from its content.

Stored through the same storage as the images (`STORAGES["default"]`, see `sessions.images`) in
`reports/`, served by the app under MEDIA_URL. A content-hash name never starts to mean another
file, so it may be cached for long, like the images.
"""

import hashlib

from django import forms
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile, File
from django.db import models
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _
from pypdf import PdfReader
from pypdf.errors import PdfReadError

# A report of a few pages with photos stays well below this.
MAX_REPORT_BYTES = 20 * 1024 * 1024
REPORT_FOLDER = "reports/"


def check_report(upload: File) -> ContentFile:
    """Return the upload as a PDF named by its content, or refuse it with a clear message."""
    if upload.size > MAX_REPORT_BYTES:
        raise ValidationError(
            _("Dit bestand is te groot (%(size)s). Kies een PDF van hoogstens %(max)s."),
            code="too_large",
            params={"size": filesizeformat(upload.size), "max": filesizeformat(MAX_REPORT_BYTES)},
        )
    upload.seek(0)
    data = upload.read()
    not_a_pdf = ValidationError(
        _("Dit bestand is geen PDF die wij kunnen lezen. Kies een PDF-bestand."), code="not_a_pdf"
    )
    if not data.startswith(b"%PDF-"):
        raise not_a_pdf
    try:
        if len(PdfReader(ContentFile(data)).pages) < 1:
            raise not_a_pdf
    except (PdfReadError, ValueError, KeyError, TypeError, OSError) as error:
        raise not_a_pdf from error
    digest = hashlib.sha256(data).hexdigest()[:20]
    return ContentFile(data, name=f"verslag-{digest}.pdf")


class ReportFormField(forms.FileField):
    def to_python(self, data):
        upload = super().to_python(data)
        return None if upload is None else check_report(upload)

    def widget_attrs(self, widget) -> dict:
        return {**super().widget_attrs(widget), "accept": "application/pdf"}


class ReportField(models.FileField):
    """A PDF report: refused unless it reads as a PDF, stored under its content hash."""

    def __init__(self, *args, **kwargs) -> None:
        kwargs.setdefault("upload_to", REPORT_FOLDER)
        kwargs.setdefault("max_length", 200)
        super().__init__(*args, **kwargs)

    def formfield(self, **kwargs):
        return super().formfield(**{"form_class": ReportFormField, **kwargs})

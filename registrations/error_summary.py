"""The error summary at the top of a refused page: every message, each linked to its field.

The sign-up form, the staff phone sign-up and the manage pages show one; it takes the focus
(`templates/registrations/_error_summary.html`, `static/js/focus.js`).
"""

from django import forms
from django.utils.translation import gettext as _

from registrations.forms import BaseAttendeeFormSet


def error_summary(form: forms.Form, formset: BaseAttendeeFormSet) -> list[dict[str, str]]:
    """List every error of a refused sign-up, each with the id of the field it belongs to."""
    summary = form_errors(form, fields=False)
    summary += [
        {"id": "", "label": "", "message": message} for message in formset.non_form_errors()
    ]
    summary += form_errors(form, non_field=False)
    for n, member in enumerate(formset.forms, start=1):
        summary += form_errors(member, prefix=_("Bestuurslid %(n)d") % {"n": n} + " – ")
    return summary


def form_errors(
    form: forms.Form, *, prefix: str = "", non_field: bool = True, fields: bool = True
) -> list[dict[str, str]]:
    """List a form's errors for an error summary: the message, and for a field's error the
    field's id and label (after `prefix`), so the summary can link to it."""
    summary = []
    for name, messages in form.errors.items():
        if name == forms.forms.NON_FIELD_ERRORS:
            if non_field:
                summary += [{"id": "", "label": "", "message": m} for m in messages]
        elif fields:
            bound = form[name]
            label = f"{prefix}{str(bound.label).rstrip('.')}"
            summary += [{"id": bound.id_for_label, "label": label, "message": m} for m in messages]
    return summary

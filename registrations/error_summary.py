"""The error summary at the top of a refused page: every message, each linked to its field.

The sign-up form, the staff phone sign-up and the manage pages show one; it takes the focus
(`templates/registrations/_error_summary.html`, `static/js/focus.js`).
"""

from django import forms
from django.utils.translation import gettext as _

from registrations.member_forms import BaseAttendeeFormSet


def error_summary(form: forms.Form, formset: BaseAttendeeFormSet) -> list[dict[str, str]]:
    """List every error of a refused sign-up: general ones first, then each field's, which
    carry the field's id and label to link to it."""
    general = [*form.non_field_errors(), *formset.non_form_errors()]
    general += [message for member in formset.forms for message in member.non_field_errors()]
    summary = [{"message": message} for message in general]
    summary += field_errors(form)
    for n, member in enumerate(formset.forms, start=1):
        summary += field_errors(member, prefix=_("Bestuurslid %(n)d") % {"n": n} + " – ")
    return summary


def form_errors(form: forms.Form, *, prefix: str = "") -> list[dict[str, str]]:
    """List one form's errors for an error summary: general ones first, then each field's,
    with the field's label after `prefix`."""
    return [{"message": message} for message in form.non_field_errors()] + field_errors(
        form, prefix=prefix
    )


def field_errors(form: forms.Form, *, prefix: str = "") -> list[dict[str, str]]:
    """List the errors of each field of a form, in the form's order, with the field's id and
    label (after `prefix`), so the summary can link to it."""
    summary = []
    for bound in form:
        # A label may end in a full stop (the consent); the summary puts a colon after it.
        label = f"{prefix}{str(bound.label).removesuffix('.')}"
        summary += [
            {"id": bound.id_for_label, "label": label, "message": message}
            for message in bound.errors
        ]
    return summary

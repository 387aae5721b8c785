"""Names for the admin's inputs that have no label of their own, for screen readers.

A tabular inline shows each field's label once, as a column header, so the inputs in its rows
have none; the date and time boxes of a date-time field share one label. Each such input gets
an `aria-label` that names the column and the row ("Titel, themasessie 2") or the part
("Aanmelden kan tot, datum").
"""

from django import forms
from django.contrib import admin
from django.contrib.admin.widgets import AdminSplitDateTime
from django.db import models
from django.forms.models import BaseInlineFormSet
from django.forms.utils import pretty_name
from django.http import HttpRequest
from django.utils.text import capfirst
from django.utils.translation import gettext as _


def label_inputs(field: forms.Field, name: str) -> None:
    """Name the inputs of a form field `name`; the date and time boxes each by their part."""
    widget = field.widget
    if isinstance(widget, AdminSplitDateTime):
        date, time = widget.widgets
        date.attrs["aria-label"] = _("%(field)s, datum") % {"field": name}
        time.attrs["aria-label"] = _("%(field)s, tijd") % {"field": name}
    elif not widget.is_hidden:
        widget.attrs["aria-label"] = name


class LabelledFieldsMixin:
    """A ModelAdmin whose split date and time boxes are named, each by its part."""

    def formfield_for_dbfield(
        self, db_field: models.Field, request: HttpRequest, **kwargs
    ) -> forms.Field | None:
        formfield = super().formfield_for_dbfield(db_field, request, **kwargs)
        if formfield is not None and isinstance(formfield.widget, AdminSplitDateTime):
            label_inputs(formfield, capfirst(formfield.label))
        return formfield


class LabelledInlineFormSet(BaseInlineFormSet):
    """Inline rows whose inputs are named by column and row: "Titel, themasessie 2".

    A field with help text is described by the help icon in its column's header (the tabular
    template shows it there, not under each input).
    """

    def add_fields(self, form: forms.BaseForm, index: int | None) -> None:
        super().add_fields(form, index)
        row = self.row_name(index)
        for name, field in form.fields.items():
            column = capfirst(field.label or pretty_name(name))
            label_inputs(field, _("%(column)s, %(row)s") % {"column": column, "row": row})
            if field.help_text and not field.widget.is_hidden:
                field.widget.attrs["aria-describedby"] = f"{self.prefix}-{name}-helptext"

    def row_name(self, index: int | None) -> str:
        """Return how a row is called: "themasessie 2", or for a row added on the page
        (the template row that the admin's script copies) "themasessie (nieuw)"."""
        model = self.model._meta.verbose_name
        if index is None:
            return _("%(model)s (nieuw)") % {"model": model}
        return f"{model} {index + 1}"


class LabelledTabularInline(admin.TabularInline):
    """A tabular inline with every input named and no empty column header."""

    formset = LabelledInlineFormSet
    template = "admin/edit_inline/labelled_tabular.html"

"""Small admin pages that make one change with rules: move, change organisation, cancel,
merge organisations.

The pattern of `contrib.auth`'s "change password" page: the field is read-only on the change
form, and its own page has its own form, calls one domain function, shows a refusal on the
field, and writes a history entry only for a change that was made.
"""

from collections.abc import Callable, Iterable

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied
from django.db import models, transaction
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import reverse

from registrations.errors import RegistrationError


def object_action(
    model_admin: admin.ModelAdmin,
    request: HttpRequest,
    object_id: str,
    *,
    form_class: Callable[..., forms.Form],
    title: str,
    submit_label: str,
    act: Callable[[models.Model, forms.Form], str],
    question: str = "",
    initial: dict | None = None,
) -> HttpResponse:
    """Show a form about one object; when it is sent and valid, carry out `act`.

    `act(obj, form)` calls one domain function and returns what was done, in words for the
    success message and the history. A `RegistrationError` is shown on the form instead.
    """
    obj = model_admin.get_object(request, unquote(object_id))
    if obj is None:
        raise Http404
    if not model_admin.has_change_permission(request, obj):
        raise PermissionDenied
    if request.method == "POST":
        form = form_class(request.POST, obj=obj)
    else:
        form = form_class(obj=obj, initial=initial)
    if form.is_bound and form.is_valid():
        try:
            with transaction.atomic():  # the change and its history entry, or neither
                done = act(obj, form)
                model_admin.log_change(request, obj, done)
        except RegistrationError as error:
            form.add_error(error.field if error.field in form.fields else None, error.message)
        else:
            model_admin.message_user(request, done, messages.SUCCESS)
            return HttpResponseRedirect(change_url(obj))
    context = {
        **model_admin.admin_site.each_context(request),
        "opts": obj._meta,
        "original": obj,
        "title": title,
        "question": question,
        "form": form,
        "media": model_admin.media + form.media,
        "submit_label": submit_label,
        "cancel_url": change_url(obj),
    }
    return TemplateResponse(request, "admin/registrations/object_action.html", context)


def change_url(obj: models.Model) -> str:
    opts = obj._meta
    return reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[obj.pk])


class ConfirmForm(forms.Form):
    """No fields: sending it is the confirmation."""

    def __init__(self, *args, obj: models.Model, **kwargs) -> None:
        super().__init__(*args, **kwargs)


def bulk_action(
    model_admin: admin.ModelAdmin,
    request: HttpRequest,
    objects: Iterable[models.Model],
    *,
    act: Callable[[models.Model], object],
    label: Callable[[models.Model], str],
    done_message: str,
    reason: Callable[[RegistrationError], str] = lambda error: error.message,
) -> None:
    """Carry out `act` on each object, then tell staff exactly what was done and, one line
    each, what the rules refused."""
    done, refused = [], []
    for obj in objects:
        try:
            act(obj)
        except RegistrationError as error:
            refused.append(f"{label(obj)}: {reason(error)}")
        else:
            done.append(label(obj))
    if done:
        model_admin.message_user(
            request, done_message % {"count": len(done), "names": ", ".join(done)}, messages.SUCCESS
        )
    for line in refused:
        model_admin.message_user(request, line, messages.ERROR)

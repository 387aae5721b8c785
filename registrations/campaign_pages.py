"""Staff pages that write to many at once: invitations to a lab, and a message to its people.

Both show a preview with one real recipient's mail before anything is sent, then queue one
outbox row per address. Hooked into the Event admin by `backoffice.event_urls`.
"""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.core.mail import EmailMessage
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from registrations import campaign_mails
from registrations.invitations import (
    Recipient,
    Scope,
    earlier_organisations,
    invitation_recipients,
    send_invitations,
)
from registrations.mailings import mailing_reach, send_mailing, unsaved_mail
from registrations.models import Invitation, Mailing, MailingAudience, MailKind, OutboxMail
from sessions.models import Event, ThemeSession

INVITE_PERMISSION = "registrations.add_invitation"
MAILING_PERMISSION = "registrations.add_mailing"


class InviteForm(forms.Form):
    scope = forms.ChoiceField(
        label=gettext_lazy("Wie"),
        choices=Scope.choices,
        initial=Scope.ALL,
        widget=forms.RadioSelect,
    )
    last = forms.IntegerField(
        label=gettext_lazy("Aantal laatste labs"), min_value=1, max_value=50, initial=1
    )
    organisations = forms.ModelMultipleChoiceField(
        label=gettext_lazy("Organisaties"),
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=gettext_lazy("Alleen bij ‘organisaties die ik kies’."),
    )

    def __init__(self, *args, event: Event, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organisations"].queryset = earlier_organisations(event)

    def clean(self) -> dict:
        cleaned = super().clean()
        if cleaned.get("scope") == Scope.PICKED and not cleaned.get("organisations"):
            raise forms.ValidationError(
                gettext_lazy("Kies ten minste één organisatie."), code="none_picked"
            )
        return cleaned


def page_context(request: HttpRequest, event: Event, title: str) -> dict:
    return {
        **admin.site.each_context(request),
        "title": title,
        "event": event,
        "opts": Event._meta,
        "event_url": reverse("admin:theme_sessions_event_change", args=[event.pk]),
    }


def shown_mail(message: EmailMessage) -> dict:
    """Return what the preview shows of a mail: to, subject, the list headers and the text."""
    headers = {k: v for k, v in message.extra_headers.items() if k.startswith("List-Unsubscribe")}
    return {
        "to": ", ".join(message.to),
        "subject": message.subject,
        "headers": headers,
        "body": message.body,
    }


def invitation_preview(event: Event, recipient: Recipient) -> dict:
    """Write the invitation as `recipient` would get it, without saving anything."""
    invited = Invitation(
        event=event, email=recipient.email, name=recipient.name, organisation=recipient.organisation
    )
    mail = OutboxMail(kind=MailKind.INVITATION, recipient=recipient.email, language="nl")
    return shown_mail(campaign_mails.invitation_message(mail, invited))


def invite(request: HttpRequest, event_id: int) -> HttpResponse:
    """Invite earlier organisations and waiting addresses: choose, preview, send."""
    if not request.user.has_perm(INVITE_PERMISSION):
        raise PermissionDenied
    event = get_object_or_404(Event, pk=event_id)
    form = InviteForm(request.POST or None, event=event)
    context = page_context(request, event, _("Uitnodigen voor %(title)s") % {"title": event})
    if request.method == "POST" and form.is_valid():
        recipients = invitation_recipients(
            event=event,
            scope=form.cleaned_data["scope"],
            last=form.cleaned_data["last"],
            organisations=form.cleaned_data["organisations"],
        )
        if "send" in request.POST:
            sent = send_invitations(event=event, recipients=recipients)
            messages.success(
                request,
                _("%(count)d uitnodiging(en) in de wachtrij gezet.") % {"count": len(sent)},
            )
            return redirect("admin:theme_sessions_event_overview", event.pk)
        context |= {
            "recipients": recipients,
            "preview": invitation_preview(event, recipients[0]) if recipients else None,
        }
    context |= {
        "form": form,
        "already": Invitation.objects.filter(event=event).count(),
    }
    return render(request, "admin/registrations/event/invite.html", context)


class MailingForm(forms.Form):
    audience = forms.ChoiceField(
        label=gettext_lazy("Aan"),
        choices=MailingAudience.choices,
        initial=MailingAudience.ATTENDEES,
        widget=forms.RadioSelect,
    )
    session = forms.ModelChoiceField(
        label=gettext_lazy("Themasessie"),
        queryset=None,
        required=False,
        help_text=gettext_lazy("Alleen bij ‘de deelnemers van één sessie’."),
    )
    subject = forms.CharField(label=gettext_lazy("Onderwerp"), max_length=150)
    body = forms.CharField(
        label=gettext_lazy("Bericht"), max_length=10000, widget=forms.Textarea(attrs={"rows": 10})
    )

    def __init__(self, *args, event: Event, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["session"].queryset = ThemeSession.objects.filter(event=event)

    def clean(self) -> dict:
        cleaned = super().clean()
        if cleaned.get("audience") == MailingAudience.SESSION and not cleaned.get("session"):
            self.add_error(
                "session",
                forms.ValidationError(gettext_lazy("Kies de sessie."), code="no_session"),
            )
        return cleaned


def mail_attendees(request: HttpRequest, event_id: int) -> HttpResponse:
    """Write to an event's attendees, one session, the waiting list or the contact persons."""
    if not request.user.has_perm(MAILING_PERMISSION):
        raise PermissionDenied
    event = get_object_or_404(Event, pk=event_id)
    form = MailingForm(request.POST or None, event=event)
    context = page_context(
        request, event, _("Bericht aan deelnemers van %(title)s") % {"title": event}
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        if "send" in request.POST:
            mailing = send_mailing(
                event=event,
                audience=data["audience"],
                session=data["session"],
                subject=data["subject"],
                body=data["body"],
                sent_by=request.user,
            )
            messages.success(
                request,
                _("%(count)d e-mail(s) in de wachtrij gezet.") % {"count": mailing.mails.count()},
            )
            return redirect("admin:registrations_mailing_change", mailing.pk)
        reach = mailing_reach(event=event, audience=data["audience"], session=data["session"])
        draft = Mailing(
            event=event, audience=data["audience"], subject=data["subject"], body=data["body"]
        )
        context |= {
            "reach": reach,
            "people": sum(len(r.names) for r in reach),
            "preview": shown_mail(
                campaign_mails.mailing_message(unsaved_mail(draft, reach[0].address), draft)
            )
            if reach
            else None,
        }
    context["form"] = form
    return render(request, "admin/registrations/event/mail_attendees.html", context)

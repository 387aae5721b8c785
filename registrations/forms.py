"""The public sign-up form: who signs up, and one row per board member."""

import time
from collections.abc import Sequence

from django import forms
from django.conf import settings
from django.core import signing
from django.core.exceptions import ValidationError
from django.forms import formset_factory
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from participatielab.limits import use_once
from participatielab.validators import validate_email_domain
from registrations.signup import AttendeeData
from registrations.text import SingleLineField
from sessions.models import Event, ThemeSession

STARTED_SALT = "registrations.signup.started"
# How long a shown form may be sent (once), in seconds.
STARTED_MAX_AGE = 24 * 3600


class SignupForm(forms.Form):
    organisation_name = SingleLineField(
        label=_("Naam van uw huurdersorganisatie"),
        max_length=200,
        widget=forms.TextInput(attrs={"autocomplete": "organization"}),
    )
    contact_name = SingleLineField(
        label=_("Uw naam"),
        max_length=200,
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    contact_email = forms.EmailField(
        label=_("Uw e-mailadres"),
        max_length=254,
        validators=[validate_email_domain],
        help_text=_("Hierheen sturen wij de bevestiging."),
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    contact_phone = SingleLineField(
        label=_("Uw telefoonnummer"),
        max_length=40,
        required=False,
        help_text=_("Niet verplicht. Handig als wij u snel moeten bereiken."),
        widget=forms.TextInput(attrs={"autocomplete": "tel", "inputmode": "tel"}),
    )
    remarks = forms.CharField(
        label=_("Opmerkingen"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    consent = forms.BooleanField(
        label=_("Ik ga akkoord met de verwerking van deze gegevens volgens de privacyverklaring."),
        error_messages={"required": _("Geef toestemming om u aan te kunnen melden.")},
    )
    # Two quiet guards against bots: a field people never see (and leave empty), and the
    # signed moment the form was shown (people take longer than SIGNUP_MIN_SECONDS), which
    # is good for one sending.
    website = forms.CharField(
        label=_("Laat dit veld leeg"),
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}),
    )
    started = forms.CharField(required=False, widget=forms.HiddenInput)

    check_for_bots = True

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.initial["started"] = signing.dumps(time.time(), salt=STARTED_SALT)

    def clean(self) -> dict:
        cleaned = super().clean()
        if not self.check_for_bots:
            return cleaned
        if cleaned.get("website"):
            raise ValidationError(
                _("Uw aanmelding kon niet worden verwerkt. Neem contact op met Atrivé."),
                code="honeypot",
            )
        if not settings.SIGNUP_MIN_SECONDS:
            return cleaned
        started = cleaned.get("started") or ""
        # A form shown again gets a fresh moment: each token is good for one sending.
        self.data = self.data.copy()
        self.data["started"] = signing.dumps(time.time(), salt=STARTED_SALT)
        if not self._shown_long_enough(started):
            raise ValidationError(
                _(
                    "Dat ging wel heel snel. Controleer uw gegevens en verstuur het formulier "
                    "nog een keer."
                ),
                code="too_fast",
            )
        if not use_once(started, STARTED_MAX_AGE):
            raise ValidationError(
                _(
                    "Dit formulier is al een keer verstuurd. Kijk in uw e-mail of uw aanmelding "
                    "binnen is; zo niet, verstuur het formulier dan nog een keer."
                ),
                code="sent_before",
            )
        return cleaned

    @staticmethod
    def _shown_long_enough(started: str) -> bool:
        try:
            shown_at = float(signing.loads(started, salt=STARTED_SALT, max_age=STARTED_MAX_AGE))
        except (signing.BadSignature, TypeError, ValueError):
            return False
        return time.time() - shown_at >= settings.SIGNUP_MIN_SECONDS


class StaffSignupForm(SignupForm):
    """The public form for a sign-up staff enter, with consent confirmed on the person's behalf."""

    check_for_bots = False

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["consent"].label = _(
            "De contactpersoon is gewezen op de privacyverklaring en stemt in."
        )


class SessionSelect(forms.Select):
    """A session list that shows places left and greys out full sessions."""

    def __init__(self, *args, full: frozenset[str] = frozenset(), **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.full = full

    def create_option(self, name, value, label, selected, index, subindex=None, attrs=None):
        option = super().create_option(name, value, label, selected, index, subindex, attrs)
        if str(value) in self.full:
            option["attrs"]["disabled"] = True
        return option


def session_choice_label(session: ThemeSession, *, waiting_list: bool) -> str:
    """Return how a session appears in the list: its title and, with a maximum, places left."""
    left = session.places_left
    if left is None:
        return session.title
    if left == 0:
        status = _("vol, wachtlijst") if waiting_list else _("vol")
        return f"{session.title} ({status})"
    places = ngettext("nog %(n)d plaats", "nog %(n)d plaatsen", left) % {"n": left}
    return f"{session.title} ({places})"


class AttendeeForm(forms.Form):
    name = SingleLineField(
        label=_("Naam"), max_length=200, widget=forms.TextInput(attrs={"autocomplete": "off"})
    )
    email = forms.EmailField(
        label=_("E-mailadres"),
        max_length=254,
        validators=[validate_email_domain],
        widget=forms.EmailInput(attrs={"autocomplete": "off"}),
    )
    session = forms.TypedChoiceField(label=_("Themasessie"), coerce=int)
    dietary_wishes = SingleLineField(
        label=_("Dieetwensen"),
        max_length=300,
        required=False,
        help_text=_("Niet verplicht, bijvoorbeeld vegetarisch of glutenvrij."),
    )

    def __init__(self, *args, event: Event, sessions: Sequence[ThemeSession], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        waiting_list = event.has_waiting_list
        full = frozenset(str(s.pk) for s in sessions if s.is_full and not waiting_list)
        field = self.fields["session"]
        field.choices = [("", _("Kies een sessie"))] + [
            (s.pk, session_choice_label(s, waiting_list=waiting_list)) for s in sessions
        ]
        field.widget = SessionSelect(choices=field.choices, full=full)
        self.full_sessions = full
        if self.empty_permitted:
            # An extra row may stay empty; its fields are only required once it is used.
            # Marking them optional keeps crispy-forms from starring them as compulsory.
            for name in ("name", "email", "session"):
                self.fields[name].required = False

    def clean_session(self) -> int | None:
        session = self.cleaned_data.get("session")
        if session is not None and str(session) in self.full_sessions:
            raise ValidationError(
                _("Deze sessie is vol. Kies een andere sessie."), code="session_full"
            )
        return session

    def clean(self) -> dict:
        cleaned = super().clean()
        if self.empty_permitted and self.has_changed():
            for name in ("name", "email", "session"):
                if cleaned.get(name) in (None, "") and name not in self.errors:
                    self.add_error(
                        name,
                        ValidationError(
                            self.fields[name].error_messages["required"], code="required"
                        ),
                    )
        return cleaned


class BaseAttendeeFormSet(forms.BaseFormSet):
    default_error_messages = {
        "missing_management_form": _(
            "Het formulier is niet volledig aangekomen. Laad de pagina opnieuw en probeer het "
            "nog eens."
        ),
        "too_many_forms": _("U kunt met ten hoogste %(num)d bestuursleden tegelijk aanmelden."),
        "too_few_forms": _("Vul de gegevens van ten minste één bestuurslid in."),
    }

    def clean(self) -> None:
        if any(self.errors):
            return
        seen: set[str] = set()
        for form in self.forms:
            email = form.cleaned_data.get("email")
            if not email:
                continue
            if email.lower() in seen:
                form.add_error(
                    "email",
                    ValidationError(
                        _("Elk bestuurslid heeft een eigen e-mailadres nodig."),
                        code="duplicate_email",
                    ),
                )
            seen.add(email.lower())

    def filled_forms(self) -> list[AttendeeForm]:
        """Return the rows that were filled in; empty extra rows are ignored."""
        return [form for form in self.forms if form.has_changed() and form.cleaned_data]

    def attendee_data(self) -> list[AttendeeData]:
        """Return the filled-in rows as data for the sign-up service."""
        return [
            AttendeeData(
                name=form.cleaned_data["name"],
                email=form.cleaned_data["email"],
                session_id=form.cleaned_data["session"],
                dietary_wishes=form.cleaned_data.get("dietary_wishes", ""),
            )
            for form in self.filled_forms()
        ]


def attendee_formset_class(event: Event) -> type[BaseAttendeeFormSet]:
    """Return a formset with one row per board member the event allows in one sign-up."""
    size = event.max_group_size
    return formset_factory(
        AttendeeForm,
        formset=BaseAttendeeFormSet,
        min_num=1,
        # The first row is required field by field; a second "too few" message would only
        # repeat that. A tampered form with no rows is refused by the service.
        validate_min=False,
        extra=size - 1,
        max_num=size,
        validate_max=True,
        absolute_max=size,
    )


def error_summary(form: forms.Form, formset: BaseAttendeeFormSet) -> list[dict[str, str]]:
    """List every error of a refused sign-up, each with the id of the field it belongs to."""
    summary = [{"id": "", "label": "", "message": message} for message in form.non_field_errors()]
    summary += [
        {"id": "", "label": "", "message": message} for message in formset.non_form_errors()
    ]
    for owner, prefix in [(form, "")] + [
        (member, _("Bestuurslid %(n)d") % {"n": n} + " – ")
        for n, member in enumerate(formset.forms, start=1)
    ]:
        for name, messages in owner.errors.items():
            if name == forms.forms.NON_FIELD_ERRORS:
                if owner is not form:  # the main form's are listed above already
                    summary += [{"id": "", "label": "", "message": m} for m in messages]
                continue
            bound = owner[name]
            summary += [
                {
                    "id": bound.id_for_label,
                    "label": f"{prefix}{str(bound.label).rstrip('.')}",
                    "message": m,
                }
                for m in messages
            ]
    return summary


class ChangeSessionForm(forms.Form):
    """Self-service: pick another theme session for one board member."""

    session = forms.TypedChoiceField(label=_("Andere themasessie"), coerce=int)

    def __init__(
        self, *args, sessions: Sequence[ThemeSession], current_session_id: int, **kwargs
    ) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["session"]
        field.choices = [(s.pk, session_choice_label(s, waiting_list=False)) for s in sessions]
        full = frozenset(str(s.pk) for s in sessions if s.is_full and s.pk != current_session_id)
        field.widget = SessionSelect(choices=field.choices, full=full)
        self.initial.setdefault("session", current_session_id)


class CancelAllForm(forms.Form):
    """Self-service: cancel the whole sign-up, after ticking that this is meant."""

    confirm = forms.BooleanField(
        label=_("Ja, ik meld alle deelnemers van deze aanmelding af."),
        error_messages={"required": _("Vink aan dat u iedereen wilt afmelden.")},
    )

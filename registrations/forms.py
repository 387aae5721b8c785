"""The public sign-up form: who signs up (the organisation, the contact person, consent) and
its two quiet guards against bots. The rows for the board members are in `member_forms.py`."""

import time

from django import forms
from django.conf import settings
from django.core import signing
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from participatielab.limits import use_once
from participatielab.validators import validate_email_domain
from registrations.errors import RegistrationError
from registrations.text import SingleLineField

STARTED_SALT = "registrations.signup.started"
# How long a shown form may be sent (once), in seconds.
STARTED_MAX_AGE = 24 * 3600
# The id of the list of known organisation names the organisation field suggests from.
ORGANISATION_LIST = "organisatienamen"


def new_started_token() -> str:
    """Return the signed moment a sign-up form is shown."""
    return signing.dumps(time.time(), salt=STARTED_SALT)


class SignupForm(forms.Form):
    organisation_name = SingleLineField(
        label=_("Naam van uw huurdersorganisatie"),
        max_length=200,
        help_text=_("Kies uw organisatie uit de lijst als die erin staat."),
        widget=forms.TextInput(attrs={"autocomplete": "organization", "list": ORGANISATION_LIST}),
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
        help_text=_(
            "Hierheen sturen wij de bevestiging, met de link om de aanmelding te wijzigen."
        ),
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
        help_text=_("Bijvoorbeeld: wij hebben een lift nodig."),
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    # The invoice details, asked once and optional: they go on the organisation's invoice.
    invoice_attention = SingleLineField(
        label=_("Ter attentie van"),
        max_length=200,
        required=False,
        help_text=_("Niet verplicht. Bijvoorbeeld: de penningmeester."),
    )
    invoice_address = forms.CharField(
        label=_("Factuuradres"),
        max_length=500,
        required=False,
        help_text=_("Niet verplicht. Laat leeg als de factuur per e-mail naar u mag."),
        widget=forms.Textarea(attrs={"rows": 3, "autocomplete": "street-address"}),
    )
    invoice_reference = SingleLineField(
        label=_("Uw kenmerk"),
        max_length=100,
        required=False,
        help_text=_("Niet verplicht. Een eigen kenmerk of ordernummer voor op de factuur."),
    )
    # Only when the evening has fewer places than the group: the group's own choice to wait.
    wait_as_group = forms.BooleanField(
        label=_("Zet de hele groep op de wachtlijst"),
        required=False,
        help_text=_(
            "U komt dan samen, zodra er plaats is voor iedereen, en krijgt bericht. U betaalt pas "
            "als u van de wachtlijst komt."
        ),
    )
    # The opt-out offered where the address is collected (see README, "Invitations").
    no_invitations = forms.BooleanField(
        label=_("Geen uitnodigingen voor volgende Participatielabs"),
        required=False,
        help_text=_(
            "Wij nodigen organisaties die eerder kwamen uit voor een volgend Participatielab. "
            "Vink dit aan als u dat niet wilt."
        ),
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
    started = forms.CharField(required=False, widget=forms.HiddenInput, initial=new_started_token)

    check_for_bots = True

    def staff_choices(self, user) -> dict:
        """Return what only staff choose for a sign-up (see `StaffSignupForm`)."""
        return {}

    def explain_refusal(self, error: RegistrationError) -> None:
        """Add what staff could still do to a refusal by the rules (see `StaffSignupForm`)."""

    def clean(self) -> dict:
        cleaned = super().clean()
        if not self.check_for_bots:
            return cleaned
        return guard_against_bots(self, cleaned)


def guard_against_bots(form: forms.Form, cleaned: dict) -> dict:
    """Refuse a form whose hidden field is filled, sent too fast, or sent before."""
    if cleaned.get("website"):
        raise ValidationError(
            _("Uw aanmelding kon niet worden verwerkt. Neem contact op met Atrivé."),
            code="honeypot",
        )
    if not settings.SIGNUP_MIN_SECONDS:
        return cleaned
    started = cleaned.get("started") or ""
    # A form shown again gets a fresh moment: each token is good for one sending.
    form.data = form.data.copy()
    form.data["started"] = new_started_token()
    if not shown_long_enough(started):
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


def shown_long_enough(started: str) -> bool:
    """Tell whether the signed moment the form was shown is genuine and long enough ago."""
    try:
        shown_at = float(signing.loads(started, salt=STARTED_SALT, max_age=STARTED_MAX_AGE))
    except (signing.BadSignature, TypeError, ValueError):
        return False
    return time.time() - shown_at >= settings.SIGNUP_MIN_SECONDS


class StaffSignupForm(SignupForm):
    """The sign-up form as staff fill it in for someone on the phone or at the door: in
    staff's words, without the guards against bots, with consent confirmed on the person's
    behalf, and with two choices of staff's own: to mail a confirmation, and to let a walk-in
    in beyond the maximum."""

    check_for_bots = False
    website = None
    started = None
    organisation_name = SingleLineField(
        label=_("Naam van de huurdersorganisatie"),
        max_length=200,
        help_text=_("Kies de organisatie uit de lijst als die erin staat."),
        widget=forms.TextInput(attrs={"autocomplete": "off", "list": ORGANISATION_LIST}),
    )
    contact_name = SingleLineField(
        label=_("Naam van de contactpersoon"),
        max_length=200,
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )
    contact_email = forms.EmailField(
        label=_("E-mailadres van de contactpersoon"),
        max_length=254,
        validators=[validate_email_domain],
        help_text=_("Voor de bevestiging met de wijzigingslink, en voor de factuur."),
        widget=forms.EmailInput(attrs={"autocomplete": "off"}),
    )
    contact_phone = SingleLineField(
        label=_("Telefoonnummer van de contactpersoon"),
        max_length=40,
        required=False,
        help_text=_("Niet verplicht."),
        widget=forms.TextInput(attrs={"autocomplete": "off", "inputmode": "tel"}),
    )
    remarks = forms.CharField(
        label=_("Opmerkingen"),
        max_length=2000,
        required=False,
        help_text=_("Bijvoorbeeld: heeft een lift nodig."),
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    wait_as_group = forms.BooleanField(
        label=_("Zet de hele groep op de wachtlijst"),
        required=False,
        help_text=_(
            "Alleen als de contactpersoon daarvoor kiest. De groep betaalt pas als zij "
            "van de wachtlijst komt."
        ),
    )
    consent = forms.BooleanField(
        label=_("De contactpersoon is gewezen op de privacyverklaring en stemt in."),
        error_messages=SignupForm.base_fields["consent"].error_messages,
    )
    send_confirmation = forms.BooleanField(
        label=_("Bevestiging per e-mail versturen"),
        required=False,
        initial=True,
        help_text=_("Aan de contactpersoon en de bestuursleden met een eigen adres."),
    )
    over_capacity = forms.BooleanField(
        label=_("Toelaten boven het maximum"),
        required=False,
        help_text=_(
            "Alleen voor wie aan de deur staat als de avond of de sessie vol is. Uw keuze "
            "wordt met uw naam bij de aanmelding bewaard."
        ),
    )

    def staff_choices(self, user) -> dict:
        return {
            "send_mail": self.cleaned_data["send_confirmation"],
            "over_capacity_by": user if self.cleaned_data["over_capacity"] else None,
        }

    def explain_refusal(self, error: RegistrationError) -> None:
        if error.code in {"session_full", "event_full"}:
            self.add_error(
                "over_capacity",
                ValidationError(
                    _("Vol. Vink dit aan om toch toe te laten, of kies een andere sessie."),
                    code="full",
                ),
            )


class NotifyForm(forms.Form):
    """An address to hear when sign-up for an announced lab opens, with the same bot guards."""

    email = forms.EmailField(
        label=_("Uw e-mailadres"),
        max_length=254,
        validators=[validate_email_domain],
        help_text=_("U krijgt eerst een e-mail om uw adres te bevestigen."),
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    website = SignupForm.base_fields["website"]
    started = SignupForm.base_fields["started"]

    def clean(self) -> dict:
        return guard_against_bots(self, super().clean())

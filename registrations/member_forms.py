"""The board members' rows of the sign-up form, and the forms that pick a theme session."""

from collections.abc import Sequence

from django import forms
from django.core.exceptions import ValidationError
from django.forms import formset_factory
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from participatielab.validators import validate_email_domain
from registrations.availability import Places, session_full
from registrations.models import person_key
from registrations.signup import AttendeeData
from registrations.text import SingleLineField
from sessions.models import Event, ThemeSession


class SessionSelect(forms.Select):
    """A session list that shows places left and marks full sessions: greyed out when they
    cannot be chosen, marked `data-full` for the summary script when one may wait for them."""

    def __init__(self, *, full: frozenset[str], disabled: bool = True, **kwargs) -> None:
        super().__init__(**kwargs)
        self.full = full
        self.disable_full = disabled

    def create_option(self, *args, **kwargs) -> dict:
        option = super().create_option(*args, **kwargs)
        if str(option["value"]) in self.full:
            option["attrs"]["disabled" if self.disable_full else "data-full"] = True
        return option


def session_choice_label(session: ThemeSession, *, waiting_list: bool = False) -> str:
    """Return how a session appears in the list: its title and, with a maximum, places left."""
    left = session.places_left
    if left is None:
        return session.title
    if left == 0:
        status = _("vol, wachtlijst") if waiting_list else _("vol")
        return f"{session.title} ({status})"
    places = ngettext("nog %(n)d plaats", "nog %(n)d plaatsen", left) % {"n": left}
    return f"{session.title} ({places})"


def seats(sessions: Sequence[ThemeSession]) -> Places:
    """Return the places as the page shows them (not under a lock: the service counts again)."""
    return Places(
        sessions={s.pk: s for s in sessions},
        session_left={s.pk: s.places_left for s in sessions},
        event_left=None,
    )


class AttendeeForm(forms.Form):
    name = SingleLineField(
        label=_("Naam"), max_length=200, widget=forms.TextInput(attrs={"autocomplete": "off"})
    )
    email = forms.EmailField(
        label=_("E-mailadres"),
        max_length=254,
        required=False,
        validators=[validate_email_domain],
        help_text=_(
            "Niet verplicht, en mag hetzelfde zijn als dat van u of een collega. Zonder eigen "
            "adres gaat alle post naar de contactpersoon."
        ),
        widget=forms.EmailInput(attrs={"autocomplete": "off"}),
    )
    session = forms.TypedChoiceField(label=_("Themasessie"), coerce=int)
    wait_if_full = forms.BooleanField(
        label=_("Op de wachtlijst voor deze sessie"),
        required=False,
        help_text=_(
            "Alleen dit bestuurslid wacht; de anderen komen gewoon. U betaalt voor hem of haar "
            "pas als er plaats is."
        ),
    )
    dietary_wishes = SingleLineField(
        label=_("Dieetwensen"),
        max_length=300,
        required=False,
        help_text=_("Niet verplicht, bijvoorbeeld vegetarisch of glutenvrij."),
    )

    # Filled in once the row is used; the extra rows of the formset may stay empty.
    needed = ("name", "session")

    def __init__(
        self,
        *args,
        event: Event,
        sessions: Sequence[ThemeSession],
        event_full: bool = False,
        by_staff: bool = False,
        **kwargs,
    ) -> None:
        """`event_full`: the evening itself is full, so a single newcomer may choose to wait
        whatever their session (a group chooses that together, on the sign-up form).
        `by_staff`: full sessions stay selectable, as staff may let a walk-in in beyond the
        maximum; the service refuses it unless they chose that."""
        super().__init__(*args, **kwargs)
        self.event = event
        self.by_staff = by_staff
        self.event_full = event_full
        self.places = seats(sessions)
        waiting_list = event.has_waiting_list
        full = frozenset(str(s.pk) for s in sessions if s.is_full)
        field = self.fields["session"]
        field.widget = SessionSelect(full=full, disabled=not (waiting_list or by_staff))
        field.choices = [("", _("Kies een sessie"))] + [
            (s.pk, session_choice_label(s, waiting_list=waiting_list)) for s in sessions
        ]
        self.full_sessions = full
        # The choice to wait is offered only where one can wait for a full session.
        self.offers_wait = waiting_list and (bool(full) or event_full)
        if not self.offers_wait:
            del self.fields["wait_if_full"]
        if self.empty_permitted:
            # An extra row may stay empty; its fields are only required once it is used.
            # Marking them optional keeps crispy-forms from starring them as compulsory.
            for name in self.needed:
                self.fields[name].required = False

    def has_changed(self) -> bool:
        # Ticking "wait" alone does not make a board member of an empty row.
        return any(name != "wait_if_full" for name in self.changed_data)

    @property
    def shows_wait(self) -> bool:
        """Whether the row shows the choice to wait: its chosen session is full."""
        if not self.offers_wait:
            return False
        return self.event_full or str(self["session"].value()) in self.full_sessions

    def clean_session(self) -> int | None:
        session = self.cleaned_data.get("session")
        waits = self.offers_wait and self.fields["wait_if_full"].widget.value_from_datadict(
            self.data, self.files, self.add_prefix("wait_if_full")
        )
        full = session is not None and str(session) in self.full_sessions
        if full and not waits and not self.by_staff:
            raise ValidationError(
                session_full(self.event, self.places, session, index=None).message,
                code="session_full",
            )
        return session

    def clean(self) -> dict:
        cleaned = super().clean()
        # Only a row that was used gets here when it may stay empty (Django skips the rest).
        if self.has_changed():
            for name in self.needed:
                if cleaned.get(name) in (None, "") and name not in self.errors:
                    self.add_error(
                        name,
                        ValidationError(
                            self.fields[name].error_messages["required"], code="required"
                        ),
                    )
        return cleaned

    def attendee_data(self) -> AttendeeData:
        """Return the row as data for the sign-up service."""
        return AttendeeData(
            name=self.cleaned_data["name"],
            email=self.cleaned_data["email"],
            session_id=self.cleaned_data["session"],
            dietary_wishes=self.cleaned_data["dietary_wishes"],
            wait_if_full=bool(self.cleaned_data.get("wait_if_full")),
        )


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
            name = form.cleaned_data.get("name")
            if not name:
                continue
            if person_key(name) in seen:
                form.add_error(
                    "name",
                    ValidationError(
                        _("%(name)s staat al eerder in dit formulier."),
                        code="duplicate_person",
                        params={"name": name},
                    ),
                )
            seen.add(person_key(name))

    def filled_forms(self) -> list[AttendeeForm]:
        """Return the rows that were filled in; empty extra rows are ignored."""
        return [form for form in self.forms if form.has_changed()]

    def attendee_data(self) -> list[AttendeeData]:
        """Return the filled-in rows as data for the sign-up service."""
        return [form.attendee_data() for form in self.filled_forms()]


def attendee_formset_class(event: Event) -> type[BaseAttendeeFormSet]:
    """Return a formset with one row per board member the event allows in one sign-up."""
    size = event.max_group_size
    return formset_factory(
        AttendeeForm,
        formset=BaseAttendeeFormSet,
        # The first row is required field by field, so `min_num` is not validated: a second
        # "too few" message would only repeat that. A tampered form with no rows is refused by
        # the service.
        min_num=1,
        extra=size - 1,
        max_num=size,
        # More rows than that are refused before they are built, whatever else they hold.
        absolute_max=size,
    )


class ChangeSessionForm(forms.Form):
    """Self-service: pick another theme session for one board member."""

    session = forms.TypedChoiceField(label=_("Andere themasessie"), coerce=int)

    def __init__(
        self, *args, sessions: Sequence[ThemeSession], current_session_id: int, **kwargs
    ) -> None:
        super().__init__(*args, **kwargs)
        # A full session cannot be chosen, except the one the member is in now.
        full = frozenset(str(s.pk) for s in sessions if s.is_full and s.pk != current_session_id)
        field = self.fields["session"]
        field.widget = SessionSelect(full=full)
        field.choices = [(s.pk, session_choice_label(s)) for s in sessions]
        field.initial = current_session_id

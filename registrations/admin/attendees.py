from django import forms
from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from registrations.admin.actions import ConfirmForm, bulk_action, object_action
from registrations.changes import cancel_attendee, change_attendee_details, move_attendee
from registrations.errors import RegistrationError
from registrations.exports import DEFAULT_FLAVOUR, csv_response
from registrations.models import Attendee, Status, person_key
from registrations.text import SingleLineField
from sessions.admin_filters import SessionFilter
from sessions.models import ThemeSession


class AttendeeAdminForm(forms.ModelForm):
    """Name, address (optional, may be shared) and dietary wishes; session and status have
    pages of their own."""

    class Meta:
        model = Attendee
        fields = ["name", "email", "dietary_wishes"]
        field_classes = {"name": SingleLineField, "dietary_wishes": SingleLineField}

    def clean_name(self) -> str:
        name = self.cleaned_data["name"]
        attendee = self.instance
        clash = (
            Attendee.objects.active()
            .filter(
                event=attendee.event_id,
                organisation=attendee.organisation_id,
                name_key=person_key(name),
            )
            .exclude(pk=attendee.pk)
        )
        if attendee.status != Status.CANCELLED and clash.exists():
            raise forms.ValidationError(
                _("%(name)s van deze organisatie is al aangemeld voor deze bijeenkomst."),
                code="person_taken",
                params={"name": name},
            )
        return name


class MoveForm(forms.Form):
    session = forms.ModelChoiceField(
        queryset=ThemeSession.objects.none(), label=gettext_lazy("Themasessie")
    )

    def __init__(self, *args, obj: Attendee, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["session"]
        field.queryset = ThemeSession.objects.filter(event=obj.event_id)
        field.initial = obj.session_id


@admin.register(Attendee)
class AttendeeAdmin(admin.ModelAdmin):
    form = AttendeeAdminForm
    list_display = [
        "name",
        "email",
        "organisation",
        "event",
        "session",
        "status",
        "created_at",
    ]
    # Newest first by primary key: sorting by a joined column would sort every row of a
    # large lab for each page; and no second count of all rows behind a filter.
    ordering = ["-pk"]
    show_full_result_count = False
    list_filter = ["event", ("session", SessionFilter), "status"]
    list_select_related = ["organisation", "event", "session"]
    search_fields = ["name", "email", "organisation__name"]
    readonly_fields = ["registration", "event", "session_display", "status_display", "created_at"]
    fields = [
        "registration",
        "event",
        "name",
        "email",
        "session_display",
        "dietary_wishes",
        "status_display",
    ]
    actions = ["cancel_attendees", "export_selected"]

    def get_urls(self):
        wrap = self.admin_site.admin_view
        return [
            path(
                "<path:object_id>/verplaatsen/",
                wrap(self.move_view),
                name="registrations_attendee_move",
            ),
            path(
                "<path:object_id>/afmelden/",
                wrap(self.cancel_view),
                name="registrations_attendee_cancel",
            ),
            *super().get_urls(),
        ]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def get_ordering(self, request: HttpRequest) -> list[str]:
        # Those who wait are shown in the order they move in: first come, first served.
        if request.GET.get("status__exact") == Status.WAITING:
            return ["created_at", "pk"]
        return super().get_ordering(request)

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        return False  # board members are cancelled, never deleted

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        # The form checks the address first; a refusal here means another change won the
        # race for it. The admin's transaction is rolled back: no change, no history entry.
        try:
            return super().changeform_view(request, object_id, form_url, extra_context)
        except RegistrationError as error:
            self.message_user(request, error.message, messages.ERROR)
            return HttpResponseRedirect(request.path)

    def save_model(self, request: HttpRequest, obj: Attendee, form, change: bool) -> None:
        change_attendee_details(
            attendee=obj,
            name=form.cleaned_data["name"],
            email=form.cleaned_data["email"],
            dietary_wishes=form.cleaned_data["dietary_wishes"],
        )

    def move_view(self, request: HttpRequest, object_id: str) -> HttpResponse:
        """Move the board member to another session of the event, if it has room."""

        def act(attendee: Attendee, form: MoveForm) -> str:
            session = form.cleaned_data["session"]
            move_attendee(attendee=attendee, session=session, by_staff=True)
            return _("Verplaatst naar ‘%(title)s’.") % {"title": session.title}

        return object_action(
            self,
            request,
            object_id,
            form_class=MoveForm,
            title=_("Verplaatsen"),
            submit_label=_("Verplaatsen"),
            act=act,
        )

    def cancel_view(self, request: HttpRequest, object_id: str) -> HttpResponse:
        """Cancel the board member after staff confirm it."""

        def act(attendee: Attendee, form: ConfirmForm) -> str:
            cancel_attendee(attendee=attendee, by_staff=True)
            return _("%(name)s is afgemeld.") % {"name": attendee.name}

        return object_action(
            self,
            request,
            object_id,
            form_class=ConfirmForm,
            title=_("Afmelden"),
            submit_label=_("Ja, afmelden"),
            question=_(
                "Deze deelnemer wordt afgemeld. Het bedrag van de organisatie wordt opnieuw "
                "berekend en de vrije plaats gaat naar de wachtlijst."
            ),
            act=act,
        )

    @admin.display(description=gettext_lazy("themasessie"))
    def session_display(self, attendee: Attendee) -> str:
        if attendee.status == Status.CANCELLED:
            return attendee.session.title
        url = reverse("admin:registrations_attendee_move", args=[attendee.pk])
        return format_html(
            '{} <a class="button" href="{}">{}</a>', attendee.session, url, _("Verplaatsen")
        )

    @admin.display(description=gettext_lazy("status"))
    def status_display(self, attendee: Attendee) -> str:
        if attendee.status == Status.CANCELLED:
            return attendee.get_status_display()
        url = reverse("admin:registrations_attendee_cancel", args=[attendee.pk])
        return format_html(
            '{} <a class="button" href="{}">{}</a>',
            attendee.get_status_display(),
            url,
            _("Afmelden"),
        )

    @admin.action(
        description=gettext_lazy("Geselecteerde deelnemers afmelden"), permissions=["change"]
    )
    def cancel_attendees(self, request: HttpRequest, queryset: QuerySet[Attendee]) -> None:
        bulk_action(
            self,
            request,
            queryset.exclude(status=Status.CANCELLED),
            act=lambda attendee: cancel_attendee(attendee=attendee, by_staff=True),
            label=lambda attendee: attendee.name,
            done_message=_("%(count)d deelnemer(s) afgemeld: %(names)s."),
        )

    @admin.action(
        description=gettext_lazy("Geselecteerde deelnemers exporteren (Excel NL)"),
        permissions=["export"],
    )
    def export_selected(self, request: HttpRequest, queryset: QuerySet[Attendee]):
        # Only the selection counts, not the admin's own joins, ordering or DISTINCT.
        selected = Attendee.objects.filter(pk__in=queryset.values("pk"))
        return csv_response(selected, flavour=DEFAULT_FLAVOUR, filename="deelnemers-selectie")

    def has_export_permission(self, request: HttpRequest) -> bool:
        return request.user.has_perm("registrations.export_personal_data")

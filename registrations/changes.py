"""Changes to a sign-up after it was made: another session, corrected details, another
organisation, cancelling one board member or everyone.

The public makes them through the manage link until the deadline; staff through the admin at
any time. Each runs in one transaction under the event's lock, then the row's (see
`registrations.locking`); freed places go to the waiting list.
"""

import datetime

from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from registrations import outbox
from registrations.availability import settle_status
from registrations.emails import Summary
from registrations.errors import RegistrationError
from registrations.invoices import invoice_for, recompute_invoice
from registrations.locking import lock_event_then_row
from registrations.models import Attendee, Organisation, Registration, Status, person_key
from registrations.signup import check_fields, check_people_free
from registrations.text import single_line
from registrations.waiting_list import promote_waiting_list
from sessions.models import ThemeSession


def move_attendee(
    *,
    attendee: Attendee,
    session: ThemeSession,
    by_staff: bool,
    now: datetime.datetime | None = None,
) -> Attendee:
    """Move a board member to another theme session of the same event, if it has room."""
    with lock_event_then_row(attendee, check_deadline=not by_staff, now=now) as (
        event,
        attendee,
    ):
        if session.event_id != event.pk:
            raise RegistrationError(
                _("Kies een themasessie van deze bijeenkomst."),
                code="invalid_session",
                field="session",
            )
        if attendee.status == Status.CANCELLED:
            raise RegistrationError(
                _("Deze deelnemer is afgemeld en kan niet worden verplaatst."), code="cancelled"
            )
        if attendee.session_id == session.pk:
            return attendee
        if attendee.status == Status.CONFIRMED and session.capacity is not None:
            taken = Attendee.objects.confirmed().filter(session=session).count()
            if taken + 1 > session.capacity:
                raise RegistrationError(
                    _("De sessie ‘%(title)s’ is vol.") % {"title": session.title},
                    code="session_full",
                    field="session",
                )
        attendee.session = session
        attendee.save(update_fields=["session"])
        promote_waiting_list(event)
        outbox.queue_change_summary(
            attendee.registration,
            Summary(
                gettext_noop("Andere themasessie: %(name)s gaat naar ‘%(title)s’."),
                {"name": attendee.name, "title": session.title},
            ),
        )
    return attendee


def change_attendee_details(
    *, attendee: Attendee, name: str, email: str, dietary_wishes: str
) -> Attendee:
    """Let staff correct a board member's name, address (optional) and dietary wishes."""
    with lock_event_then_row(attendee, check_deadline=False) as (event, attendee):
        if attendee.status != Status.CANCELLED and person_key(name) != attendee.name_key:
            check_people_free(event, attendee.organisation, [name], single=True)
        attendee.set_name(name)
        attendee.email = email.strip()
        attendee.dietary_wishes = single_line(dietary_wishes)
        check_fields(attendee)
        attendee.save(update_fields=["name", "name_key", "email", "dietary_wishes"])
    return attendee


def cancel_attendee(
    *, attendee: Attendee, by_staff: bool, now: datetime.datetime | None = None
) -> Attendee:
    """Cancel one board member; the organisation's price is recomputed.

    The row stays, marked cancelled, so staff keep the history. When nobody is left in the
    sign-up, the sign-up itself is cancelled too. Freed places go to the waiting list.
    """
    with lock_event_then_row(attendee, check_deadline=not by_staff, now=now) as (
        event,
        attendee,
    ):
        if attendee.status == Status.CANCELLED:
            return attendee
        attendee.status = Status.CANCELLED
        attendee.save(update_fields=["status"])
        registration = attendee.registration
        settle_status(registration)
        recompute_invoice(registration.invoice)
        promote_waiting_list(event)
        outbox.queue_change_summary(
            registration,
            Summary(gettext_noop("Afgemeld: %(name)s."), {"name": attendee.name}),
        )
    return attendee


def cancel_registration(
    *, registration: Registration, by_staff: bool, now: datetime.datetime | None = None
) -> Registration:
    """Cancel a whole sign-up with all its board members; the price is recomputed."""
    with lock_event_then_row(registration, check_deadline=not by_staff, now=now) as (
        event,
        registration,
    ):
        if registration.status == Status.CANCELLED:
            return registration
        registration.attendees.update(status=Status.CANCELLED)
        registration.status = Status.CANCELLED
        registration.save(update_fields=["status", "updated_at"])
        recompute_invoice(registration.invoice)
        promote_waiting_list(event)
        outbox.queue_change_summary(
            registration, Summary(gettext_noop("De hele aanmelding is afgemeld."))
        )
    return registration


def change_organisation(*, registration: Registration, organisation: Organisation) -> Registration:
    """Book a sign-up and its members on another organisation (e.g. one typed differently);
    reprice both. Refused when someone would then be signed up twice."""
    with lock_event_then_row(registration, check_deadline=False) as (event, registration):
        if registration.organisation_id == organisation.pk:
            return registration
        if organisation.merged_into_id is not None:
            raise RegistrationError(
                _("%(name)s is samengevoegd met een andere organisatie. Kies die.")
                % {"name": organisation.name},
                code="merged",
                field="organisation",
            )
        members = registration.attendees.active()
        check_people_free(event, organisation, [member.name for member in members], single=True)
        old_invoice = registration.invoice
        new_invoice = invoice_for(event=event, organisation=organisation)
        registration.organisation = organisation
        registration.invoice = new_invoice
        registration.save(update_fields=["organisation", "invoice", "updated_at"])
        registration.attendees.update(organisation=organisation)
        recompute_invoice(old_invoice)
        recompute_invoice(new_invoice)
    return registration

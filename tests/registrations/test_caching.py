"""One cache rule, checked against every kind of write.

Cached pages (the event page per language, the empty sign-up form) are keyed on the event's
version, or with a shared cache on tokens kept beside them; every write that changes what they
show must raise it. Each case below makes one
kind of write the way users and staff make it, then checks that every page staff or the
public would now open shows exactly what a fresh render shows, and that the pages the write
is about did change.
"""

import re
from collections.abc import Callable

import pytest
from django.core.cache import cache
from django.test import Client
from django.urls import reverse

from registrations.changes import cancel_attendee
from registrations.invoices import mark_invoices_paid
from registrations.models import Invoice, Status
from sessions.models import Contact, ThemeSession
from tests.admin_posts import admin_form_post
from tests.factories import (
    ContactFactory,
    EventFactory,
    ProgrammeItemFactory,
    ThemeSessionFactory,
)
from tests.images import photo, upload
from tests.signup_posts import signup_data

pytestmark = pytest.mark.django_db

# Parts of a page that differ on every request, whatever the cache holds.
PER_REQUEST = re.compile(r'name="(csrfmiddlewaretoken|started)" value="[^"]*"')


@pytest.fixture
def scene(sign_up, admin_client):
    """A lab with a waiting list: two sessions with room, one full session with a group
    waiting for it, a paid organisation whose amount changed since, and dietary wishes."""
    event = EventFactory(has_waiting_list=True, title="Participatielab voorjaar")
    room = ThemeSessionFactory(event=event, title="Duurzaamheid", capacity=10, order=1)
    more = ThemeSessionFactory(event=event, title="Financiën", capacity=20, order=2)
    full = ThemeSessionFactory(event=event, title="Werksessie", capacity=1, order=3)
    ProgrammeItemFactory(event=event, title="Inloop met koffie")
    ContactFactory(event=event, name="Anna de Vries", phone="030 000 00 01")
    linde = sign_up(
        event,
        [
            ("Anna Lid", "anna@example.org", room),
            ("Bert Lid", "bert@example.org", room),
            ("Cor Lid", "cor@example.org", more),
        ],
    )
    sign_up(
        event,
        [("Piet Vol", "piet@example.org", full)],
        organisation_name="Eerste Kring",
        contact_email="piet@example.org",
    )
    waiting = sign_up(
        event,
        [("Wim Wacht", "wim@example.org", full)],
        organisation_name="Tweede Kring",
        contact_email="wim@example.org",
        wait=True,
    )
    assert waiting.status == Status.WAITING
    mark_invoices_paid(invoices=[linde.invoice])
    cancel_attendee(attendee=linde.attendees.get(name="Cor Lid"), by_staff=True)
    linde.attendees.filter(name="Anna Lid").update(dietary_wishes="vegetarisch")
    return {
        "event": event,
        "room": room,
        "more": more,
        "full": full,
        "linde": linde,
        "waiting": waiting,
        "staff": admin_client,
    }


def pages(scene) -> dict[str, Callable[[], str]]:
    """Every page that shows the event's places, prices or sign-ups, as staff or public."""
    event = scene["event"]
    english = Client()
    english.cookies["django_language"] = "en"
    public = Client()

    def get(client, url):
        response = client.get(url)
        assert response.status_code == 200, url
        return PER_REQUEST.sub("", response.content.decode())

    return {
        "event page": lambda: get(public, reverse("registrations:event_detail", args=[event.slug])),
        "event page (en)": lambda: get(
            english, reverse("registrations:event_detail", args=[event.slug])
        ),
        "sign-up page": lambda: get(public, reverse("registrations:signup", args=[event.slug])),
        "overview": lambda: get(
            scene["staff"], reverse("admin:theme_sessions_event_overview", args=[event.pk])
        ),
    }


def manage(scene, name: str, *parts) -> str:
    return reverse(f"registrations:{name}", args=[scene["linde"].token, *parts])


def attendee(scene, name: str):
    return scene["linde"].attendees.get(name=name)


def member_waits_then_moves_in(s) -> None:
    """A new group in which Nel chose to wait for the full session; then its place frees up."""
    Client().post(
        reverse("registrations:signup", args=[s["event"].slug]),
        signup_data(
            [("Nel Wacht", "", s["full"]), ("Otto Nu", "", s["room"])],
            organisation_name="Derde Kring",
            contact_email="nel@example.org",
            **{"members-0-wait_if_full": "on"},
        ),
    )
    nel = s["event"].attendees.get(name="Nel Wacht")
    assert nel.status == Status.WAITING
    cancel_attendee(attendee=s["event"].attendees.get(name="Wim Wacht"), by_staff=True)
    cancel_attendee(attendee=s["event"].attendees.get(name="Piet Vol"), by_staff=True)
    nel.refresh_from_db()
    assert nel.status == Status.CONFIRMED


def change_contact(contact: Contact, **fields: str) -> None:
    """Change a contact the way a shell or a command would: set fields, then save."""
    for name, value in fields.items():
        setattr(contact, name, value)
    contact.save()


WRITES: dict[str, tuple[Callable, set[str]]] = {
    # name: (the write, the pages it must change)
    "public sign-up": (
        lambda s: Client().post(
            reverse("registrations:signup", args=[s["event"].slug]),
            signup_data(
                [("Nel Nieuw", "nel@example.org", s["room"])],
                organisation_name="Derde Kring",
                contact_email="nel@example.org",
            ),
        ),
        {"event page", "event page (en)", "sign-up page", "overview"},
    ),
    "self-service add": (
        lambda s: Client().post(
            manage(s, "add_colleague"),
            {"new-name": "Dirk Lid", "new-email": "dirk@example.org", "new-session": s["more"].pk},
        ),
        {"event page", "event page (en)", "sign-up page", "overview"},
    ),
    "self-service move": (
        lambda s: Client().post(
            manage(s, "change_session", attendee(s, "Bert Lid").pk), {"session": s["more"].pk}
        ),
        {"event page", "event page (en)", "sign-up page", "overview"},
    ),
    "self-service cancel one": (
        lambda s: Client().post(manage(s, "cancel_attendee", attendee(s, "Bert Lid").pk)),
        {"event page", "event page (en)", "sign-up page", "overview"},
    ),
    "self-service cancel all": (
        lambda s: Client().post(manage(s, "cancel_all")),
        {"event page", "event page (en)", "sign-up page", "overview"},
    ),
    "member's own link: move": (
        lambda s: Client().post(
            reverse("registrations:member_change_session", args=[attendee(s, "Bert Lid").token]),
            {"session": s["more"].pk},
        ),
        {"event page", "event page (en)", "sign-up page", "overview"},
    ),
    "member's own link: cancel": (
        lambda s: Client().post(
            reverse("registrations:member_cancel", args=[attendee(s, "Bert Lid").token])
        ),
        {"event page", "event page (en)", "sign-up page", "overview"},
    ),
    "staff phone sign-up": (
        lambda s: s["staff"].post(
            reverse("admin:theme_sessions_event_signup", args=[s["event"].pk]),
            signup_data(
                [("Tel Lid", "tel@example.org", s["more"])],
                organisation_name="Derde Kring",
                contact_email="tel@example.org",
            ),
        ),
        {"event page", "event page (en)", "sign-up page", "overview"},
    ),
    "staff move": (
        lambda s: s["staff"].post(
            reverse("admin:registrations_attendee_move", args=[attendee(s, "Anna Lid").pk]),
            {"session": s["more"].pk},
        ),
        {"event page", "event page (en)", "sign-up page", "overview"},
    ),
    "staff cancel attendee": (
        lambda s: s["staff"].post(
            reverse("admin:registrations_attendee_cancel", args=[attendee(s, "Anna Lid").pk])
        ),
        {"event page", "event page (en)", "sign-up page", "overview"},
    ),
    "staff cancel sign-up (frees the full session)": (
        lambda s: s["staff"].post(
            reverse(
                "admin:registrations_registration_cancel",
                args=[s["event"].registrations.get(organisation__name="Eerste Kring").pk],
            )
        ),
        {"overview"},  # Wim moves in: the full session stays full
    ),
    "staff admit from waiting list": (
        lambda s: (
            ThemeSession.objects.filter(pk=s["full"].pk).update(capacity=3),
            s["staff"].post(
                reverse("admin:registrations_registration_changelist"),
                {"action": "admit_from_waiting_list", "_selected_action": [s["waiting"].pk]},
            ),
        ),
        {"event page", "event page (en)", "sign-up page", "overview"},
    ),
    "staff change organisation": (
        lambda s: s["staff"].post(
            reverse("admin:registrations_registration_organisation", args=[s["waiting"].pk]),
            {"organisation": s["linde"].organisation_id},
        ),
        set(),  # a waiting member costs nothing: no page shows the change
    ),
    "staff mark paid": (  # Eerste Kring has not paid: a payment of its open amount
        lambda s: s["staff"].post(
            reverse("admin:registrations_invoice_changelist"),
            {
                "action": "mark_paid",
                "_selected_action": [
                    Invoice.objects.get(organisation__name="Eerste Kring", event=s["event"]).pk
                ],
            },
        ),
        {"overview"},
    ),
    "organisation rename": (
        lambda s: admin_form_post(
            s["staff"],
            reverse("admin:registrations_organisation_change", args=[s["linde"].organisation_id]),
            name="Huurdersvereniging De Linde-Zuid",
        ),
        {"sign-up page", "overview"},  # the form suggests the new name
    ),
    "price edit in the admin": (
        lambda s: admin_form_post(
            s["staff"],
            reverse("admin:theme_sessions_event_change", args=[s["event"].pk]),
            **{"price_tiers-1-amount": "90.00"},
        ),
        {"event page", "event page (en)", "sign-up page", "overview"},
    ),
    "programme edit in the admin": (
        lambda s: admin_form_post(
            s["staff"],
            reverse("admin:theme_sessions_event_change", args=[s["event"].pk]),
            **{"programme-0-title": "Inloop met thee"},
        ),
        {"event page", "event page (en)"},
    ),
    "event edit in the admin": (
        lambda s: admin_form_post(
            s["staff"],
            reverse("admin:theme_sessions_event_change", args=[s["event"].pk]),
            title="Participatielab najaar",
        ),
        {"event page", "event page (en)", "sign-up page", "overview"},
    ),
    "contact edited in the admin": (
        lambda s: admin_form_post(
            s["staff"],
            reverse("admin:theme_sessions_event_change", args=[s["event"].pk]),
            **{"contacts-0-phone": "030 000 00 09"},
        ),
        {"event page", "event page (en)"},
    ),
    "contact added in the admin": (
        lambda s: admin_form_post(
            s["staff"],
            reverse("admin:theme_sessions_event_change", args=[s["event"].pk]),
            **{
                "contacts-TOTAL_FORMS": "2",
                "contacts-1-name": "Bram Koster",
                "contacts-1-email": "bram@example.org",
                "contacts-1-order": "2",
                "contacts-1-event": str(s["event"].pk),
            },
        ),
        {"event page", "event page (en)"},
    ),
    # Outside the admin too (a shell, a command): the contact's own save raises the version.
    "contact changed by a command": (
        lambda s: change_contact(s["event"].contacts.get(), role="coördinator"),
        {"event page", "event page (en)"},
    ),
    "image uploaded in the admin": (
        lambda s: admin_form_post(
            s["staff"],
            reverse("admin:theme_sessions_event_change", args=[s["event"].pk]),
            image=upload(photo(640, 360)),
            image_alt="Het kasteel",
        ),
        {"event page", "event page (en)"},
    ),
    "logo uploaded in the admin": (
        lambda s: admin_form_post(
            s["staff"],
            reverse("admin:theme_sessions_sitesettings_change", args=[1]),
            logo=upload(photo(600, 200), "logo.jpg"),
            logo_alt="Atrivé",
        ),
        {"event page", "event page (en)", "sign-up page"},
    ),
    "session edit in the admin": (
        lambda s: admin_form_post(
            s["staff"],
            reverse("admin:theme_sessions_themesession_change", args=[s["room"].pk]),
            title="Duurzaam wonen",
        ),
        {"event page", "event page (en)", "sign-up page", "overview"},
    ),
    "session capacity raised in the admin": (
        lambda s: admin_form_post(
            s["staff"],
            reverse("admin:theme_sessions_themesession_change", args=[s["full"].pk]),
            capacity="5",
        ),
        {"event page", "event page (en)", "sign-up page", "overview"},
    ),
    "session added in the admin": (
        lambda s: s["staff"].post(
            reverse("admin:theme_sessions_themesession_add"),
            {"event": s["event"].pk, "title": "Jaarcyclus", "description": "", "order": "4"},
        ),
        {"event page", "event page (en)", "sign-up page", "overview"},
    ),
    "session deleted in the admin": (
        lambda s: (
            ThemeSessionFactory(event=s["event"], title="Vervalt", order=9),
            cache.clear(),
            [page() for page in pages(s).values()],
            s["staff"].post(
                reverse(
                    "admin:theme_sessions_themesession_delete",
                    args=[s["event"].sessions.get(title="Vervalt").pk],
                ),
                {"post": "yes"},
            ),
        ),
        set(),  # the pages are as before the session was added
    ),
    "personal data erased": (
        lambda s: s["staff"].post(
            reverse("admin:registrations_registration_personal_data"),
            {
                "email": "anna@example.org",
                "attendee": [attendee(s, "Anna Lid").pk],
                "action": "erase_confirmed",
            },
        ),
        {"overview"},  # the dietary wish goes
    ),
    "organisation hidden from suggestions": (
        lambda s: admin_form_post(
            s["staff"],
            reverse("admin:registrations_organisation_change", args=[s["waiting"].organisation_id]),
            hidden_from_suggestions="on",
        ),
        {"sign-up page"},  # the name is no longer suggested
    ),
    "organisations merged": (
        lambda s: s["staff"].post(
            reverse("admin:registrations_organisation_merge", args=[s["linde"].organisation_id]),
            {
                "organisation": s["event"]
                .registrations.get(organisation__name="Eerste Kring")
                .organisation_id
            },
        ),
        {"sign-up page", "overview"},  # one name less suggested; one organisation, one bill
    ),
    "member waits, then moves in": (
        lambda s: member_waits_then_moves_in(s),
        {"event page", "event page (en)", "sign-up page", "overview"},
    ),
}


@pytest.mark.parametrize("shared", [False, True], ids=["cache-per-process", "shared-cache"])
@pytest.mark.parametrize("write", list(WRITES), ids=list(WRITES))
def test_every_write_shows_on_every_cached_page(
    scene, write, shared, settings, django_capture_on_commit_callbacks
):
    # Arrange: every page rendered once, so the cache holds it. With a shared cache the pages
    # are keyed on tokens that writes raise once they commit (here: when the write is done).
    settings.SHARED_CACHE = shared
    shown = pages(scene)
    before = {name: page() for name, page in shown.items()}
    make_write, changes = WRITES[write]

    # Act
    with django_capture_on_commit_callbacks(execute=True):
        make_write(scene)
    scene["staff"].get(reverse("admin:index"))  # shows (and so clears) the write's messages
    after = {name: page() for name, page in shown.items()}
    cache.clear()
    fresh = {name: page() for name, page in shown.items()}

    # Assert: what was served equals a fresh render, and the write did show where expected.
    stale = [name for name in shown if after[name] != fresh[name]]
    assert stale == []
    assert {name for name in shown if fresh[name] != before[name]} == changes

"""English as second language: the catalogue is complete and compiled, English pages say no Dutch.

Dutch is the source language and the default; English comes only from the language switch.
"""

import gettext
import html
import os
import re
import shutil
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from django.conf import settings
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation
from django.views.defaults import server_error

from registrations.signup import AttendeeData, register_group
from sessions.models import Event
from tests.factories import (
    ContactFactory,
    EventFactory,
    ProgrammeItemFactory,
    ThemeSessionFactory,
)
from tests.signup_posts import event_url

PROJECT = Path(settings.BASE_DIR)
PO_PATH = PROJECT / "locale" / "en" / "LC_MESSAGES" / "django.po"
MO_PATH = PO_PATH.with_suffix(".mo")

# What `makemessages` must not scan: the same folders the documented command ignores.
NOT_SCANNED = {".venv", ".git", "staticfiles", "tests", "bench", "build", "node_modules"}

# Dutch words of the interface; matched as whole words, case-insensitively. Event data
# of the test is English, so any of these on an English page is untranslated interface.
DUTCH_WORDS = [
    "Aanmelden",
    "aanmelding",
    "aangemeld",
    "afmelden",
    "bestuurslid",
    "bestuursleden",
    "bijeenkomst",
    "bijeenkomsten",
    "Themasessie",
    "Themasessies",
    "Bijdrage",
    "Wanneer",
    "Waar",
    "Programma",
    "Vragen",
    "Privacyverklaring",
    "niet verplicht",
    "Uw",
    "Deelnemers",
    "deelnemer",
    "Organisatie",
    "Controleer",
    "Dit veld is verplicht",
    "Kies een sessie",
    "persoon",
    "personen",
    "uur",
    "Kosten",
    "Locatie",
    "plaatsen",
    "wachtlijst",
    "Opmerkingen",
    "Dieetwensen",
    "Naam",
    "Pagina",
    "Even geduld",
    "inhoud",
    "door",
    "het",
    "een",
    "wij",
    "niet",
    "zijn",
    "naar",
    "Dank",
    "maandag",
    "dinsdag",
    "woensdag",
    "donderdag",
    "vrijdag",
    "zaterdag",
    "zondag",
    "januari",
    "februari",
    "maart",
    "mei",
    "juni",
    "juli",
    "augustus",
    "oktober",
]
DUTCH = re.compile(r"\b(" + "|".join(re.escape(w) for w in DUTCH_WORDS) + r")\b", re.IGNORECASE)

# Attributes whose text people see or hear (tooltips, screen readers, the live price label).
SPOKEN_ATTRIBUTES = re.compile(
    r'\s(?:alt|title|aria-label|placeholder|data-label-one|data-label-many)="([^"]*)"'
)


# The catalogue ----------------------------------------------------------------------------


@dataclass
class Entry:
    msgid: str = ""
    msgid_plural: str | None = None
    msgctxt: str | None = None
    msgstr: dict[int, str] = field(default_factory=dict)
    flags: set[str] = field(default_factory=set)

    @property
    def translated(self) -> bool:
        return bool(self.msgstr) and all(self.msgstr.values()) and "fuzzy" not in self.flags


def unquote(quoted: str) -> str:
    """Return the text of one quoted .po string, with its C escapes undone."""
    escapes = {"n": "\n", "t": "\t", '"': '"', "\\": "\\", "r": "\r"}
    return re.sub(r"\\(.)", lambda m: escapes.get(m.group(1), m.group(1)), quoted.strip()[1:-1])


def read_po(path: Path) -> list[Entry]:
    """Parse a .po file into its entries (obsolete `#~` entries are left out)."""
    entries: list[Entry] = []
    entry, target = Entry(), None

    def finish() -> None:
        nonlocal entry, target
        if target is not None:
            entries.append(entry)
        entry, target = Entry(), None

    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip():
            finish()
        elif line.startswith("#,"):
            entry.flags |= {flag.strip() for flag in line[2:].split(",")}
        elif line.startswith("#"):
            continue
        elif match := re.match(
            r"(msgctxt|msgid_plural|msgid|msgstr)(?:\[(\d+)\])?\s+(\".*\")$", line
        ):
            keyword, index, text = match.groups()
            if keyword == "msgid" and target is not None and target[0] == "msgstr":
                finish()
            target = (keyword, int(index or 0))
            if keyword == "msgstr":
                entry.msgstr[target[1]] = unquote(text)
            else:
                setattr(entry, keyword, unquote(text))
        elif line.startswith('"') and target is not None:
            keyword, index = target
            if keyword == "msgstr":
                entry.msgstr[index] += unquote(line)
            else:
                setattr(entry, keyword, getattr(entry, keyword) + unquote(line))
    finish()
    return [e for e in entries if e.msgid]


def gettext_installed() -> bool:
    """Say whether GNU gettext is here; without it, skip unless CI demands it."""
    if shutil.which("xgettext") and shutil.which("msgfmt") and shutil.which("msgmerge"):
        return True
    if os.environ.get("REQUIRE_GETTEXT") == "1":
        pytest.fail("REQUIRE_GETTEXT=1 but gettext is not installed: apt-get install -y gettext")
    pytest.skip("gettext not installed: apt-get install -y gettext")


def describe(entry: Entry) -> str:
    state = "fuzzy" if "fuzzy" in entry.flags else "empty"
    context = f" [{entry.msgctxt}]" if entry.msgctxt else ""
    return f"{state}: {entry.msgid!r}{context}"


def test_translations_complete(tmp_path):
    # Arrange: a copy of the project, so makemessages never rewrites the real catalogue.
    gettext_installed()
    copy = tmp_path / "project"
    shutil.copytree(
        PROJECT,
        copy,
        ignore=lambda folder, names: [
            name
            for name in names
            if (Path(folder) == PROJECT and name in NOT_SCANNED)
            or name in {"__pycache__", ".hypothesis", "db.sqlite3"}
        ],
    )

    # Act
    result = subprocess.run(
        [sys.executable, "manage.py", "makemessages", "-l", "en", "--no-obsolete"]
        + [f"--ignore={name}" for name in sorted(NOT_SCANNED)],
        cwd=copy,
        env={**os.environ, "DEBUG": "1"},
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )

    # Assert
    assert result.returncode == 0, result.stderr[-2000:]
    missing = [
        describe(e) for e in read_po(copy / PO_PATH.relative_to(PROJECT)) if not e.translated
    ]
    assert missing == [], (
        f"{len(missing)} message(s) without an English translation; run makemessages -l en "
        "(see tests/test_i18n.py for the ignores), translate them in "
        "locale/en/LC_MESSAGES/django.po and run compilemessages:\n" + "\n".join(missing)
    )


def test_catalogue_placeholders_match_the_dutch():
    # Arrange
    gettext_installed()

    # Act: msgfmt checks that %(name)s placeholders and the header are consistent.
    result = subprocess.run(
        ["msgfmt", "--check", "--output-file=/dev/null", str(PO_PATH)],
        capture_output=True,
        text=True,
        timeout=30,
        check=False,
    )

    # Assert
    assert result.returncode == 0, result.stderr[-2000:]


class MissingMessages(gettext.NullTranslations):
    """Answer every message a compiled catalogue lacks with a marker no translation has."""

    def gettext(self, message: str) -> str:
        return "<missing>"

    def ngettext(self, msgid1: str, msgid2: str, n: int) -> str:
        return "<missing>"

    def pgettext(self, context: str, message: str) -> str:
        return "<missing>"

    def npgettext(self, context: str, msgid1: str, msgid2: str, n: int) -> str:
        return "<missing>"


def test_compiled_catalog_is_current():
    # Arrange
    entries = [e for e in read_po(PO_PATH) if e.translated]
    with MO_PATH.open("rb") as mo:
        compiled = gettext.GNUTranslations(mo)
    # A message missing from the .mo must not pass as its own msgid ("Contact" -> "Contact").
    compiled.add_fallback(MissingMessages())

    # Act: what the .mo answers for every translated message of the .po.
    stale = []
    for entry in entries:
        if entry.msgid_plural is None:
            answer = (
                compiled.pgettext(entry.msgctxt, entry.msgid)
                if entry.msgctxt is not None
                else compiled.gettext(entry.msgid)
            )
            if answer != entry.msgstr[0]:
                stale.append(entry.msgid)
            continue
        for n, expected in ((1, entry.msgstr[0]), (2, entry.msgstr[1])):
            answer = (
                compiled.npgettext(entry.msgctxt, entry.msgid, entry.msgid_plural, n)
                if entry.msgctxt is not None
                else compiled.ngettext(entry.msgid, entry.msgid_plural, n)
            )
            if answer != expected:
                stale.append(entry.msgid)

    # Assert
    assert compiled.info().get("language") == "en"
    assert stale == [], (
        "django.mo is older than django.po; run "
        "`DEBUG=1 .venv/bin/python manage.py compilemessages -l en --ignore=.venv`:\n"
        + "\n".join(repr(msgid) for msgid in stale)
    )


# The English pages ------------------------------------------------------------------------

# The event of these tests, in English, so that any Dutch on a page is interface text.
EVENT_DATA = {
    "title": "Participatielab",
    "theme": "An equal voice in performance agreements",
    "description": "An evening of inspiration and training.",
    "venue_name": "Castle Example",
    "venue_address": "1 Example Lane",
    "venue_city": "Exampleton",
    "route": "Ten minutes from the station.",
    "included": "Soup and a sandwich are included.",
    "payment_info": "You will receive an invoice after the event.",
    "parking": "Park by the gate.",
    "public_transport": "Take the bus to Example Square.",
    "practical_notes": "Come early for a walk.",
}
SESSION_TITLES = ["Session A", "Session B"]
SESSION_DESCRIPTION = "A conversation about agreements."
ORGANISATION = "Example Tenants Association"
CONTACT = "Karen Example"
MEMBER = "Anna Example"


@pytest.fixture
def english_event(db):
    """An open lab whose own texts are all English, with sessions that show places left."""
    event = EventFactory(slug="participatielab", has_waiting_list=True, **EVENT_DATA)
    sessions = [
        ThemeSessionFactory(event=event, title=title, description=SESSION_DESCRIPTION, capacity=20)
        for title in SESSION_TITLES
    ]
    ProgrammeItemFactory(event=event, title="Opening")
    ContactFactory(event=event, name="Jane Example", role="adviser", email="jane@example.org")
    return event, sessions


@pytest.fixture
def english_client() -> Client:
    """A browser that chose English with the language switch."""
    client = Client()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def visible_text(page: str) -> str:
    """Return what a visitor reads or hears: text and spoken attributes, without the data."""
    page = re.sub(r"<(script|style)\b.*?</\1>", " ", page, flags=re.DOTALL)
    spoken = " ".join(SPOKEN_ATTRIBUTES.findall(page))
    description = re.search(r'<meta name="description" content="([^"]*)"', page)
    text = html.unescape(re.sub(r"<[^>]+>", " ", page) + " " + spoken)
    text = re.sub(r"https?://\S+", " ", text)  # links are addresses, not words (/aanmelding/…)
    text += " " + html.unescape(description.group(1) if description else "")
    data = [*EVENT_DATA.values(), *SESSION_TITLES, SESSION_DESCRIPTION, ORGANISATION]
    for value in sorted([*data, CONTACT, MEMBER, "Opening"], key=len, reverse=True):
        text = text.replace(value, " ")
    return " ".join(text.split())


def dutch_leftovers(text: str) -> list[str]:
    """Return every Dutch word in `text`, each with a little of the text around it."""
    return [text[max(m.start() - 30, 0) : m.end() + 30] for m in DUTCH.finditer(text)]


def english_pages(client: Client, event, sessions, settings) -> Iterator[tuple[str, object]]:
    """Yield (name, response) for every public page a visitor can reach, in that order."""
    signup_url = reverse("registrations:signup", args=[event.slug])
    yield "event list", client.get(reverse("registrations:event_list"))
    yield "event page", client.get(event_url(event))
    yield "sign-up page", client.get(signup_url)
    yield (
        "refused sign-up",
        client.post(
            signup_url,
            {
                "members-TOTAL_FORMS": "3",
                "members-INITIAL_FORMS": "0",
                "members-MIN_NUM_FORMS": "1",
                "members-MAX_NUM_FORMS": "3",
                "contact_email": "not an address",
            },
        ),
    )
    registration = register_group(
        event=event,
        organisation_name=ORGANISATION,
        contact_name=CONTACT,
        contact_email="karen@example.org",
        attendees=[AttendeeData(name=MEMBER, email="anna@example.org", session_id=sessions[0].pk)],
        privacy_version="test",
        language="en",
    )
    yield "registration page", client.get(registration.get_absolute_url())
    yield (
        "registration page after a change",
        client.post(
            reverse(
                "registrations:change_session",
                kwargs={
                    "token": registration.token,
                    "attendee_id": registration.attendees.get().pk,
                },
            ),
            {"session": sessions[1].pk},
            follow=True,
        ),
    )
    yield "privacy page", client.get(reverse("registrations:privacy"))
    yield "404 page", client.get("/no-such-lab/")
    csrf_client = Client(enforce_csrf_checks=True)
    csrf_client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    yield "403 page for an expired form", csrf_client.post(signup_url, {})
    settings.RATE_LIMITS = {
        "signup": {"views": ["registrations:signup"], "per": "address", "rate": "0/3600"}
    }
    yield "429 page", client.post(signup_url, {})
    Event.objects.filter(pk=event.pk).update(registration_deadline=timezone.now())
    yield "closed sign-up page", client.get(signup_url)


def test_english_public_pages_have_no_dutch_leftovers(english_event, english_client, settings):
    # Arrange
    event, sessions = english_event

    # Act
    pages = {
        name: (response.status_code, response.content.decode())
        for name, response in english_pages(english_client, event, sessions, settings)
    }

    # Assert
    assert {name: status for name, (status, _page) in pages.items()} == {
        "event list": 200,
        "event page": 200,
        "sign-up page": 200,
        "refused sign-up": 200,
        "registration page": 200,
        "registration page after a change": 200,
        "privacy page": 200,
        "404 page": 404,
        "403 page for an expired form": 403,
        "429 page": 429,
        "closed sign-up page": 200,
    }
    assert [name for name, (_s, page) in pages.items() if '<html lang="en">' not in page] == []
    leftovers = {
        name: found
        for name, (_s, page) in pages.items()
        if (found := dutch_leftovers(visible_text(page)))
    }
    assert leftovers == {}


def test_english_refused_sign_up_shows_english_errors(english_event, english_client):
    # Arrange
    event, _sessions = english_event

    # Act
    response = english_client.post(
        reverse("registrations:signup", args=[event.slug]),
        {"members-TOTAL_FORMS": "3", "members-INITIAL_FORMS": "0", "contact_email": "x"},
    )

    # Assert
    text = visible_text(response.content.decode())
    assert "Please check the form" in text
    assert "This field is required." in text
    assert "Enter a valid email address." in text


def test_english_error_page_for_server_errors(rf):
    # Arrange
    request = rf.get("/")

    # Act: the 500 handler renders without a request context, in the active language.
    with translation.override("en"):
        response = server_error(request)

    # Assert
    page = response.content.decode()
    assert '<html lang="en">' in page
    assert "Something went wrong" in page
    assert dutch_leftovers(visible_text(page)) == []


def test_english_confirmation_email_has_no_dutch_leftovers(english_event, send_queued_mail):
    # Arrange
    event, sessions = english_event

    # Act: the worker runs with Dutch active, as a worker does; the mail is written in English.
    register_group(
        event=event,
        organisation_name=ORGANISATION,
        contact_name=CONTACT,
        contact_email="karen@example.org",
        attendees=[AttendeeData(name=MEMBER, email="anna@example.org", session_id=sessions[0].pk)],
        privacy_version="test",
        language="en",
    )
    with translation.override("nl"):
        send_queued_mail()

    # Assert: the staff notice stays Dutch on purpose; the person's e-mail is English.
    (message,) = [m for m in mail.outbox if m.to == ["karen@example.org"]]
    html_body = message.alternatives[0][0]
    assert message.subject.startswith("Sign-up confirmed: Participatielab on ")
    assert dutch_leftovers(visible_text(message.subject + " " + message.body)) == []
    assert dutch_leftovers(visible_text(html_body)) == []


# Dutch by default, English by choice --------------------------------------------------------


def test_default_language_is_dutch_even_for_an_english_browser(english_event):
    # Arrange
    client = Client(headers={"accept-language": "en-GB,en;q=0.9"})

    # Act
    response = client.get(reverse("registrations:event_list"))

    # Assert
    page = response.content.decode()
    assert '<html lang="nl">' in page
    assert "Aankomende bijeenkomsten" in page
    assert response.headers["Content-Language"] == "nl"


def test_language_switch_makes_following_pages_english(english_event):
    # Arrange
    client = Client()

    # Act: the link in the page header.
    switched = client.get("/taal/en/", {"next": "/"})
    response = client.get(reverse("registrations:event_list"))

    # Assert
    assert (switched.status_code, switched.headers["Location"]) == (302, "/")
    assert client.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en"
    page = response.content.decode()
    assert '<html lang="en">' in page
    assert "Upcoming events" in page
    assert dutch_leftovers(visible_text(page)) == []


def test_language_switch_back_to_dutch(english_client, english_event):
    # Act
    english_client.get("/taal/nl/", {"next": "/"})
    response = english_client.get(reverse("registrations:event_list"))

    # Assert
    assert '<html lang="nl">' in response.content.decode()


def test_language_switch_is_offered_on_public_pages(english_event, english_client):
    # Arrange
    event, _sessions = english_event
    switch = re.compile(r'<a class="btn btn-link" href="/taal/(\w+)/\?next=[^"]*"[^>]*>([^<]+)</a>')

    # Act
    dutch = Client().get(event_url(event)).content.decode()
    english = english_client.get(event_url(event)).content.decode()

    # Assert
    assert switch.findall(dutch) == [("en", "English")]
    assert switch.findall(english) == [("nl", "Nederlands")]


def test_language_switch_refuses_to_send_visitors_elsewhere(db):
    # Arrange / Act: a crafted link that would lead to another site, and an unknown language.
    elsewhere = Client().get("/taal/en/", {"next": "https://example.org/phish"})
    unknown = Client().get("/taal/xx/", {"next": "/"})

    # Assert
    assert (elsewhere.status_code, elsewhere.headers["Location"]) == (302, "/")
    assert unknown.status_code == 404


def test_pages_vary_on_the_language_cookie(english_event):
    # Arrange
    event, _sessions = english_event

    # Act
    response = Client().get(event_url(event))

    # Assert: a shared cache must not hand the Dutch page to someone who chose English.
    assert "Cookie" in response.headers["Vary"]

"""Hostile input against the public sign-up form and the self-service page (hypothesis).

Whatever arrives, the answer is never a 500; a refused form writes nothing; an accepted one
stores exactly what was typed and shows it escaped. Each example runs inside a savepoint that
is rolled back afterwards, so examples never see each other's rows. The number of examples
per endpoint comes from the hypothesis profile (tests/conftest.py: "default", or "ci" with
HYPOTHESIS_PROFILE=ci).
"""

import itertools
import json
import types
import unicodedata
from urllib.parse import urlencode

import hypothesis
import pytest
from django.db import transaction
from django.urls import reverse
from django.utils.html import escape
from hypothesis import HealthCheck, given
from hypothesis import strategies as st

from registrations.models import Attendee, Invoice, Organisation, Registration, Status, person_key
from tests.factories import ThemeSessionFactory
from tests.signup_posts import signup_data

pytestmark = pytest.mark.django_db


def fuzz(*, share: float = 1.0) -> hypothesis.settings:
    """Return the settings of a fuzz test that takes `share` of the profile's examples.

    The profile's `max_examples` is the budget per endpoint: the sign-up's two properties
    take half each, the self-service page's one property takes it all.
    """
    return hypothesis.settings(
        max_examples=max(1, round(hypothesis.settings.default.max_examples * share)),
        deadline=None,
        suppress_health_check=[
            HealthCheck.function_scoped_fixture,
            HealthCheck.too_slow,
            HealthCheck.large_base_example,
            HealthCheck.data_too_large,
        ],
    )


HOSTILE_STRINGS = [
    "",
    " ",
    "\x00",
    "Jan\x00Jansen",
    "<script>alert(1)</script>",
    "'; DROP TABLE registrations_registration; --",
    '" OR "1"="1',
    "{{ request.META }}{% debug %}",
    "${7*7}%s%n",
    "\u202egnp.exe",
    "\ufeffBOM",
    "😀 𝔘𐍈 \U0010ffff",
    "\r\n\t\x0b\x0c\x1b[31m",
    "../../../../etc/passwd",
    "-1",
    "0",
    "1.5",
    "1e400",
    "NaN",
    "99999999999999999999999999",
    "on",
    "lid@example.org",
    "x" * 100_000,
    "é" * 100_000,
]

hostile_text = st.one_of(
    st.sampled_from(HOSTILE_STRINGS),
    st.text(max_size=40),
    st.text(st.characters(max_codepoint=0x1F), max_size=10),
    st.text(st.characters(min_codepoint=0x10000), max_size=10),
)
# A field sent once, several times, or (empty list) not at all.
hostile_value = st.one_of(hostile_text, st.lists(hostile_text, max_size=3))

TOTAL_FORMS_VALUES = ["abc", "-1", "9999", "", "0", "2.5", " 2", "1e3", "٣", None]

EXTRA_FIELDS = [
    "members-3-name",
    "members-3-email",
    "members-0-id",
    "members-0-DELETE",
    "status",
    "event",
    "invoice",
    "manage_secret",
    "is_staff",
    "by_staff",
]

# Names people may type: any printable text, also HTML, SQL and astral characters.
printable_text = st.text(
    st.characters(
        exclude_categories=["Cc", "Cf", "Cs", "Co", "Cn", "Zl", "Zp", "Zs"],
        include_characters=" ",
    ),
    min_size=1,
    max_size=200,
).filter(lambda text: text.strip() != "")
typed_name = st.tuples(
    st.sampled_from(["", " ", "  ", "\t"]),
    st.one_of(
        printable_text,
        st.sampled_from(
            [
                "<script>alert(1)</script>",
                "'; DROP TABLE x; --",
                "Tom & Jerry <b>",
                'O\'Brien "de Tweede"',
                "{{ 7|add:1 }}",
                "😀 𝔘𐍈 Bestuur",
            ]
        ),
    ),
    st.sampled_from(["", " ", "   "]),
).map("".join)


# Unicode's explicit direction controls, which a stored name loses.
DIRECTION_OVERRIDES = set(
    "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200e\u200f\u061c"
)


def one_line(typed: str) -> str:
    """Return a name as it is stored: one line, single spaces, without control characters or
    direction overrides (written out here, not read from the code under test)."""
    kept = [
        char
        for char in typed
        if char.isspace() or not (unicodedata.category(char) == "Cc" or char in DIRECTION_OVERRIDES)
    ]
    return " ".join("".join(kept).split())


def row_counts() -> tuple[int, int, int, int]:
    return (
        Registration.objects.count(),
        Attendee.objects.count(),
        Organisation.objects.count(),
        Invoice.objects.count(),
    )


def rows() -> list[tuple]:
    """Return the registrations' and attendees' state, to compare before and after."""
    return list(
        Registration.objects.order_by("pk").values_list(
            "pk", "status", "contact_name", "invoice__amount_due"
        )
    ) + list(
        Attendee.objects.order_by("pk").values_list("pk", "status", "session_id", "name", "email")
    )


class Rollback(Exception):
    """Raised at the end of an example to undo everything it wrote."""


def in_rolled_back_savepoint(check) -> None:
    """Run `check()` inside a savepoint that is always rolled back."""
    try:
        with transaction.atomic():
            check()
            raise Rollback
    except Rollback:
        pass


def last_value(value):
    """Return what a form reads from a field sent as `value` (the last one, if repeated)."""
    if isinstance(value, list):
        return value[-1] if value else None
    return value


SELF_SERVICE_FIELDS = [
    "session",
    "confirm",
    "new-name",
    "new-email",
    "new-session",
    "new-dietary_wishes",
]

ENCODINGS = ["multipart", "urlencoded", "json"]


def post(client, url, body, *, encoding):
    """Post `body` (lists are repeated fields) as a browser would, or as JSON (wrong type)."""
    if encoding == "urlencoded":
        return client.post(
            url, urlencode(body, doseq=True), content_type="application/x-www-form-urlencoded"
        )
    if encoding == "json":
        return client.post(url, json.dumps(body), content_type="application/json")
    return client.post(url, body)


@pytest.fixture
def no_rate_limits(settings):
    """Let hundreds of examples post from one address without reaching the rate limit."""
    settings.RATE_LIMITS = {}


@pytest.fixture
def unique_numbers():
    """Hand out numbers, so e-mail addresses of different examples never collide."""
    return itertools.count()


# The public sign-up form ----------------------------------------------------------------------


@fuzz(share=0.5)
@given(data=st.data())
def test_signup_hostile_input_never_500_and_refusal_writes_nothing(
    client, event, no_rate_limits, unique_numbers, data
):
    url = reverse("registrations:signup", args=[event.slug])
    sessions = list(event.sessions.all())
    n = next(unique_numbers)
    size = data.draw(st.integers(1, 3), label="members")
    body = signup_data([(f"Lid {i}", f"lid{n}-{i}@example.org", sessions[i]) for i in range(size)])
    changes = data.draw(
        st.dictionaries(
            st.sampled_from(sorted(body) + EXTRA_FIELDS),
            st.one_of(st.none(), hostile_value),
            max_size=4,
        ),
        label="changes",
    )
    for key, value in changes.items():
        if value is None:
            body.pop(key, None)
        else:
            body[key] = value
    total_forms = data.draw(st.sampled_from(TOTAL_FORMS_VALUES), label="TOTAL_FORMS")
    if total_forms is not None:
        body["members-TOTAL_FORMS"] = total_forms
    encoding = data.draw(st.sampled_from(ENCODINGS), label="encoding")

    def check():
        counts_before = row_counts()
        response = post(client, url, body, encoding=encoding)
        hypothesis.event(f"status {response.status_code}")
        assert response.status_code < 500
        if response.status_code != 302:
            assert row_counts() == counts_before
            return
        registration = Registration.objects.latest("pk")
        assert row_counts()[0] == counts_before[0] + 1
        assert registration.contact_name == one_line(last_value(body["contact_name"]))
        assert registration.contact_email == last_value(body["contact_email"]).strip()

    in_rolled_back_savepoint(check)


@fuzz(share=0.5)
@given(
    organisation=typed_name,
    contact=typed_name,
    # One person appears once in a sign-up: names differ after case, spacing and accents.
    members=st.lists(
        st.tuples(typed_name, typed_name),
        min_size=1,
        max_size=3,
        unique_by=lambda member: person_key(member[0]),
    ),
)
def test_signup_accepted_stores_what_was_typed_and_shows_it_escaped(
    client, event, no_rate_limits, organisation, contact, members
):
    url = reverse("registrations:signup", args=[event.slug])
    sessions = list(event.sessions.all())
    body = signup_data(
        [(name, f"lid{i}@example.org", sessions[i]) for i, (name, _diet) in enumerate(members)],
        organisation_name=organisation,
        contact_name=contact,
    )
    for i, (_name, diet) in enumerate(members):
        body[f"members-{i}-dietary_wishes"] = diet

    def check():
        response = client.post(url, body)
        assert response.status_code == 302, response.content.decode()[:300]
        registration = Registration.objects.get()
        assert registration.organisation.name == one_line(organisation)
        assert registration.contact_name == one_line(contact)
        assert list(
            registration.attendees.order_by("pk").values_list("name", "dietary_wishes")
        ) == [(one_line(name), one_line(diet)) for name, diet in members]

        page = client.get(response.headers["Location"])
        html = page.content.decode()
        assert page.status_code == 200
        for shown in [registration.organisation.name, one_line(contact)] + [
            one_line(name) for name, _diet in members
        ]:
            assert escape(shown) in html
        assert "<script>alert(1)</script>" not in html

    in_rolled_back_savepoint(check)


@pytest.mark.parametrize("name", ["ß" * 150, "ﬃ" * 100], ids=["sharp-s", "ffi-ligature"])
def test_signup_organisation_name_longer_after_casefold_never_500(
    client, event, no_rate_limits, name
):
    # Arrange
    client.raise_request_exception = False
    session = event.sessions.first()
    body = signup_data([("Lid", "lid@example.org", session)], organisation_name=name)

    # Act
    response = client.post(reverse("registrations:signup", args=[event.slug]), body)

    # Assert: accepted with a key that fits its column, or refused with a message.
    assert response.status_code in (200, 302)
    for organisation in Organisation.objects.all():
        assert len(organisation.name_key) <= Organisation._meta.get_field("name_key").max_length


# The self-service page behind the secret link ----------------------------------------------


@pytest.fixture
def two_signups(sign_up, event):
    """A sign-up with two board members, one of another organisation it must not touch, and
    the ids a form could name: their board members, this lab's sessions and another lab's.
    """
    sessions = list(event.sessions.all())
    mine = sign_up(
        event,
        [
            ("Anna Lid", "anna@example.org", sessions[0]),
            ("Bert Lid", "bert@example.org", sessions[1]),
        ],
    )
    theirs = sign_up(
        event,
        [("Cor Ander", "cor@example.org", sessions[0])],
        organisation_name="Huurdersraad Anders",
        contact_email="ander@example.org",
    )
    return types.SimpleNamespace(
        mine=mine,
        theirs=Registration.objects.get(pk=theirs.pk),
        own_ids=[str(pk) for pk in mine.attendees.values_list("pk", flat=True)],
        foreign_ids=[str(pk) for pk in theirs.attendees.values_list("pk", flat=True)],
        session_ids=[str(s.pk) for s in sessions],
        other_session=str(ThemeSessionFactory().pk),
    )


# The addresses of the changes on the manage page; those about one board member carry its id.
SELF_SERVICE_ACTIONS = ["change_session", "cancel_attendee", "cancel_all", "add_colleague"]


def their_rows(registration: Registration) -> list[tuple]:
    return [
        (registration.status, registration.contact_name),
        *registration.attendees.order_by("pk").values_list("status", "session_id", "name"),
    ]


@fuzz()
@given(data=st.data())
def test_self_service_hostile_input_never_500_and_refusal_writes_nothing(
    client, event, two_signups, unique_numbers, data
):
    mine, theirs = two_signups.mine, two_signups.theirs
    own_ids, foreign_ids = two_signups.own_ids, two_signups.foreign_ids
    session_ids, other_session = two_signups.session_ids, two_signups.other_session
    n = next(unique_numbers)

    ids = st.sampled_from(own_ids + foreign_ids + session_ids + [other_session])
    field_value = st.one_of(ids, hostile_value, st.lists(ids, min_size=2, max_size=3))
    # Start from what the page's own forms send, to the address of one change, naming this
    # sign-up's board members or the other one's (the likeliest attack), then break it.
    action = data.draw(st.sampled_from(SELF_SERVICE_ACTIONS), label="action")
    kwargs = {"token": mine.token}
    if action in ("change_session", "cancel_attendee"):
        kwargs["attendee_id"] = data.draw(
            st.sampled_from([*own_ids, *foreign_ids, *session_ids, other_session, "0", "9" * 30]),
            label="attendee in the address",
        )
    url = reverse(f"registrations:{action}", kwargs=kwargs)
    session = st.sampled_from([*session_ids, other_session])
    body = data.draw(
        {
            "change_session": st.fixed_dictionaries({"session": session}),
            "cancel_attendee": st.just({}),
            "cancel_all": st.just({"confirm": "on"}),
            "add_colleague": st.fixed_dictionaries(
                {
                    "new-name": typed_name,
                    "new-email": st.just(f"nieuw{n}@example.org"),
                    "new-session": session,
                    "new-dietary_wishes": st.just(""),
                }
            ),
        }[action],
        label="form",
    )
    changes = data.draw(
        st.dictionaries(
            st.sampled_from([*SELF_SERVICE_FIELDS, *EXTRA_FIELDS]),
            st.one_of(st.none(), field_value, hostile_value),
            max_size=4,
        ),
        label="changes",
    )
    for key, value in changes.items():
        if value is None:
            body.pop(key, None)
        else:
            body[key] = value
    encoding = data.draw(st.sampled_from(ENCODINGS), label="encoding")

    def check():
        state_before = rows()
        theirs_before = their_rows(theirs)
        response = post(client, url, body, encoding=encoding)
        hypothesis.event(f"{action}: status {response.status_code}")
        assert response.status_code < 500
        assert their_rows(theirs) == theirs_before  # never another organisation's sign-up
        if response.status_code != 302:
            assert rows() == state_before
            return
        assert response.headers["Location"] == mine.get_absolute_url()
        if "attendee_id" in kwargs:  # only this sign-up's own board members can be changed
            assert kwargs["attendee_id"] in own_ids
        if action == "add_colleague":
            added = Attendee.objects.latest("pk")
            assert added.registration_id == mine.pk
            # Names are stored with their spacing tidied, as the key that finds doubles reads them.
            assert added.name == one_line(last_value(body["new-name"]))
            assert added.status == Status.CONFIRMED

    in_rolled_back_savepoint(check)

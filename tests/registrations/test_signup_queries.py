"""How many queries a sign-up POST costs, with every guard on: the bot guards (the hidden
field, the signed moment the form was shown, used once) and the rate limit per address.

Counted outside a test transaction, as production runs them: both counts include BEGIN and
COMMIT, PostgreSQL's also the lock timeout. In production the guards' counts and used tokens
live in Redis, outside the database; the last test keeps them in the table a site without
Redis uses. The count is the same for one board member and for three: one insert per table.
"""

import time

import pytest
from django.core import signing
from django.core.cache import caches

from participatielab.limits import LIMITS_CACHE
from registrations.forms import STARTED_SALT
from registrations.models import Attendee, Invoice, OutboxMail
from tests.factories import OrganisationFactory
from tests.signup_posts import members_of, signup_data, signup_url

pytestmark = pytest.mark.django_db(transaction=True)

GROUPS = pytest.mark.parametrize("members", [1, 3], ids=["one", "group-of-3"])
ORGANISATION = "Huurdersvereniging De Linde"

# A new organisation: the event (read by the page), its sessions with places (read by the
# form), the lock (raising the version, which shows they are still what the form saw), the
# organisation looked up and made, the price tiers, the invoice, the registration, the board
# members, the outbox rows and their task: 11; plus BEGIN and COMMIT, and on PostgreSQL the
# lock timeout.
NEW_ORGANISATION = {"sqlite": 13, "postgresql": 14}
# With a shared cache (Redis) the event with its price tiers and its sessions come from there.
FROM_THE_SHARED_CACHE = 3
# More for an organisation known from earlier labs: nobody of it may be signed up already,
# and its invoice for this lab is looked up before it is made.
KNOWN_ORGANISATION = 1
# Its second sign-up for this lab: the invoice exists, so it is recounted and saved (it was
# priced at once before).
SECOND_SIGNUP = 2
# The guards in the database: the used form token and the rate-limit count.
GUARDS_IN_DATABASE = {"sqlite": 13, "postgresql": 14}


def guarded_post(event, members: int, **fields) -> dict:
    """Return a sign-up form shown ten seconds ago, with `members` board members."""
    started = signing.dumps(time.time() - 10, salt=STARTED_SALT)
    return signup_data(
        members_of(event, members, **fields), started=started, organisation_name=ORGANISATION
    )


@pytest.fixture
def guards_on(settings):
    """Every guard at its production setting."""
    settings.SIGNUP_MIN_SECONDS = 3
    settings.RATE_LIMITS = settings.RATE_LIMITS | {
        "signup": settings.RATE_LIMITS["signup"] | {"rate": "20/3600"}
    }


@pytest.fixture
def limits_outside_the_database(settings):
    """The guards' counts in memory, as they are in Redis in production."""
    settings.CACHES = settings.CACHES | {
        LIMITS_CACHE: {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
    }


@GROUPS
@pytest.mark.parametrize("shared", [False, True], ids=["cache-per-process", "shared-cache"])
@pytest.mark.parametrize(
    ("earlier", "queries"),
    [("none", 0), ("other-lab", KNOWN_ORGANISATION), ("this-lab", SECOND_SIGNUP)],
)
def test_signup_post_queries(
    client,
    event,
    guards_on,
    limits_outside_the_database,
    django_assert_num_queries,
    db_vendor,
    settings,
    members,
    shared,
    earlier,
    queries,
):
    # Arrange: the organisation's earlier sign-up, if any, at another lab or at this one; the
    # page seen twice, so a shared cache holds what it shows.
    settings.SHARED_CACHE = shared
    if earlier == "other-lab":
        OrganisationFactory(name=ORGANISATION)
    if earlier == "this-lab":
        response = client.post(signup_url(event), guarded_post(event, 1, prefix="eerder"))
        assert response.status_code == 302
    data = guarded_post(event, members)
    client.get(signup_url(event))
    client.get(signup_url(event))
    expected = NEW_ORGANISATION[db_vendor] + queries - (FROM_THE_SHARED_CACHE if shared else 0)

    # Act
    with django_assert_num_queries(expected):
        response = client.post(signup_url(event), data)

    # Assert: signed up whole, priced for everyone, with the mails queued.
    assert response.status_code == 302
    earlier_members = 1 if earlier == "this-lab" else 0
    assert Attendee.objects.filter(event=event).count() == members + earlier_members
    invoice = Invoice.objects.get(event=event)
    assert invoice.attendee_count == members + earlier_members
    assert invoice.amount_due == {1: 50, 2: 85, 3: 100, 4: 150}[members + earlier_members]
    assert OutboxMail.objects.count() == (members + 2) + (3 if earlier == "this-lab" else 0)


@GROUPS
def test_signup_post_queries_with_the_guards_in_the_database(
    client, event, guards_on, django_assert_num_queries, db_vendor, members
):
    # Arrange
    caches[LIMITS_CACHE].clear()
    data = guarded_post(event, members)

    # Act
    with django_assert_num_queries(NEW_ORGANISATION[db_vendor] + GUARDS_IN_DATABASE[db_vendor]):
        response = client.post(signup_url(event), data)

    # Assert
    assert response.status_code == 302
    assert Attendee.objects.filter(event=event).count() == members

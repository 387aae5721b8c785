"""One organisation, one bill: merging two spellings of one organisation (amounts before and
after, the history, a later sign-up under the old spelling), refusing a merge that would sign
someone up twice, and the list of likely doubles on the event overview."""

from decimal import Decimal
from types import SimpleNamespace

import pytest
from django.contrib.admin.models import LogEntry
from django.test import Client
from django.urls import reverse
from hypothesis import given
from hypothesis import strategies as st
from pytest_django.asserts import assertContains, assertNotContains

from registrations.invoices import mark_invoices_paid
from registrations.models import Attendee, Invoice, Organisation, Registration
from registrations.organisations import (
    comparison_words,
    likely_duplicates,
    look_alike,
    merge_organisations,
)
from tests.db_checks import db_state
from tests.factories import EventFactory, OrganisationFactory, ThemeSessionFactory
from tests.signup_posts import members_of, signup_data, signup_url

pytestmark = pytest.mark.django_db


@pytest.fixture
def houten(event, sign_up):
    """Bewonersraad Houten brought two and paid € 85; "Bewonersraad Houten e.o." one more,
    billed € 50 on top: the bill that should have been € 100."""
    kept = sign_up(
        event,
        members_of(event, 2, prefix="houten"),
        organisation_name="Bewonersraad Houten",
        contact_email="secretariaat@example.org",
    )
    mark_invoices_paid(invoices=[kept.invoice])
    doubled = sign_up(
        event,
        [("Jan de Vries", "", event.sessions.last())],
        organisation_name="Bewonersraad Houten e.o.",
        contact_email="secretariaat@example.org",
    )
    return kept, doubled


def merge_url(organisation: Organisation) -> str:
    return reverse("admin:registrations_organisation_merge", args=[organisation.pk])


def amounts(event) -> list[tuple[str, int, Decimal, Decimal]]:
    return list(
        Invoice.objects.filter(event=event)
        .order_by("organisation__name")
        .values_list("organisation__name", "attendee_count", "amount_due", "amount_paid")
    )


def test_merge_moves_the_sign_ups_and_makes_one_bill(adviser_client, event, houten):
    # Arrange
    kept, doubled = houten
    before = amounts(event)

    # Act
    page = adviser_client.get(merge_url(kept.organisation) + f"?met={doubled.organisation_id}")
    response = adviser_client.post(
        merge_url(kept.organisation), {"organisation": doubled.organisation_id}, follow=True
    )

    # Assert: € 85 paid and € 50 billed before; € 100 for three after, € 15 still to pay.
    assert page.status_code == 200
    assertContains(page, f'<option value="{doubled.organisation_id}" selected>')
    assert before == [
        ("Bewonersraad Houten", 2, Decimal("85.00"), Decimal("85.00")),
        ("Bewonersraad Houten e.o.", 1, Decimal("50.00"), Decimal("0.00")),
    ]
    assert amounts(event) == [("Bewonersraad Houten", 3, Decimal("100.00"), Decimal("85.00"))]
    assertContains(
        response,
        "Bewonersraad Houten e.o. is samengevoegd met Bewonersraad Houten. "
        f"{event}: € 85,00 en € 50,00, nu samen € 100,00.",
    )
    assert set(Registration.objects.values_list("organisation__name", flat=True)) == {
        "Bewonersraad Houten"
    }
    assert set(Attendee.objects.values_list("organisation__name", flat=True)) == {
        "Bewonersraad Houten"
    }
    merged = Organisation.objects.get(name="Bewonersraad Houten e.o.")
    assert (merged.merged_into_id, merged.hidden_from_suggestions) == (kept.organisation_id, True)
    history = LogEntry.objects.filter(object_id=str(kept.organisation_id)).get()
    assert "Bewonersraad Houten e.o. is samengevoegd met Bewonersraad Houten." in str(history)
    assert LogEntry.objects.filter(object_id=str(merged.pk)).count() == 1


def test_merge_across_events_moves_an_invoice_the_kept_one_lacks(event, sign_up):
    # Arrange: the misspelt organisation also came to another lab alone.
    other = EventFactory(title="Participatielab najaar")
    ThemeSessionFactory(event=other)
    keep = sign_up(event, members_of(event, 1), organisation_name="Bewonersraad Houten")
    sign_up(event, members_of(event, 1, prefix="b"), organisation_name="Bewonersraad Houten eo")
    sign_up(other, members_of(other, 2, prefix="c"), organisation_name="Bewonersraad Houten eo")
    merge = Organisation.objects.get(name="Bewonersraad Houten eo")

    # Act
    result = merge_organisations(keep=keep.organisation, merge=merge)

    # Assert
    assert [(r.event, r.kept_before, r.merged_before, r.after) for r in result] == [
        (event, Decimal("50.00"), Decimal("50.00"), Decimal("85.00")),
        (other, Decimal("0.00"), Decimal("85.00"), Decimal("85.00")),
    ]
    assert amounts(other) == [("Bewonersraad Houten", 2, Decimal("85.00"), Decimal("0.00"))]


def test_merge_refused_when_someone_would_be_signed_up_twice(adviser_client, event, sign_up):
    # Arrange: Jan de Vries was signed up under both spellings.
    session = event.sessions.first()
    keep = sign_up(event, [("Jan de Vries", "", session)], organisation_name="Bewonersraad Houten")
    sign_up(event, [("jan de vries", "", session)], organisation_name="Bewonersraad Houten e.o.")
    merge = Organisation.objects.get(name="Bewonersraad Houten e.o.")
    state_before = db_state()

    # Act
    response = adviser_client.post(merge_url(keep.organisation), {"organisation": merge.pk})

    # Assert
    assert response.status_code == 200
    assertContains(
        response,
        f"Samenvoegen zou deze personen twee keer aanmelden: jan de vries ({event}).",
    )
    assert db_state() == state_before
    assert not LogEntry.objects.exists()


def test_a_later_sign_up_under_the_merged_spelling_goes_to_the_kept_organisation(
    adviser_client, event, houten
):
    # Arrange
    client = Client()
    kept, doubled = houten
    adviser_client.post(merge_url(kept.organisation), {"organisation": doubled.organisation_id})

    # Act
    client.post(
        signup_url(event),
        signup_data(
            [("Els Later", "", event.sessions.first())],
            organisation_name="bewonersraad houten e.o.",
            contact_email="els@example.org",
        ),
    )

    # Assert
    assert Registration.objects.latest("pk").organisation_id == kept.organisation_id
    assert amounts(event) == [("Bewonersraad Houten", 4, Decimal("150.00"), Decimal("85.00"))]


def test_sign_up_form_suggests_known_names_but_not_hidden_or_merged_ones(
    adviser_client, event, houten
):
    # Arrange: a visitor of the public page, next to staff in the admin.
    client = Client()
    kept, doubled = houten
    OrganisationFactory(name="Huurdersraad Verborgen", hidden_from_suggestions=True)
    before = client.get(signup_url(event))

    # Act
    adviser_client.post(merge_url(kept.organisation), {"organisation": doubled.organisation_id})
    after = client.get(signup_url(event))

    # Assert
    assertContains(before, 'list="organisatienamen"', count=1)
    assertContains(before, '<option value="Bewonersraad Houten e.o."></option>', count=1)
    assertNotContains(before, "Huurdersraad Verborgen")
    assertContains(after, '<option value="Bewonersraad Houten"></option>', count=1)
    assertNotContains(after, "Bewonersraad Houten e.o.")


# Likely doubles ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("first", "second", "alike"),
    [
        ("Bewonersraad Houten", "Bewonersraad Houten e.o.", True),
        ("Bewonersraad Houten", "Bewonersraad Houten en omstreken", True),
        ("Huurdersvereniging De Linde", "Huurdersvereniging Linde", True),
        ("Huurdersvereniging De Linde", "huurdersvereniging de-linde", True),
        ("Huurdersvereniging DeLinde", "Huurdersvereniging De Linde", True),
        ("Huurdersvereniging De Linde", "Huurdersvereniging De Lind", True),
        ("Bewonersraad Bunnik", "Bewonersraad Bunnick", True),
        ("Huurdersbelang Woonstede U.A.", "Huurdersbelang Woonstede", True),
        ("Huurdersraad Zuid", "Huurdersraad Noord", False),
        ("Huurdersvereniging Oost", "Huurdersvereniging West", False),
        ("Huurdersraad Ede", "Huurdersraad Epe", False),
        ("Bewonersraad Oosterhout", "Bewonersraad Oosterbeek", False),
        ("Bewonersraad Leiden", "Bewonersraad Leiderdorp", False),
        ("Huurdersraad 1", "Huurdersraad 2", False),
        ("Bewonerscommissie Complex 1021", "Bewonerscommissie Complex 1012", False),
        ("Bewonerscommissie Complex 10215", "Bewonerscommissie Complex 1021", False),
    ],
    ids=lambda value: value if isinstance(value, str) else str(value),
)
def test_look_alike_names(first, second, alike):
    assert look_alike(comparison_words(first), comparison_words(second)) is alike


def test_likely_duplicates_lists_each_pair_once_older_first():
    # Arrange
    names = ["Bewonersraad Houten", "HV De Linde", "Bewonersraad Houten e.o.", "HV Linde"]
    organisations = [OrganisationFactory(name=name) for name in names]

    # Act
    pairs = likely_duplicates(reversed(organisations))

    # Assert
    assert [(a.name, b.name) for a, b in pairs] == [
        ("Bewonersraad Houten", "Bewonersraad Houten e.o."),
        ("HV De Linde", "HV Linde"),
    ]


NAME_WORDS = [
    "Bewonersraad", "Huurdersvereniging", "HV", "De", "Linde", "Lind", "Lindo", "Houten",
    "Houtem", "e.o.", "U.A.", "Complex", "1021", "1012", "Zuid", "Noord", "Bunnik", "Bunnick",
]  # fmt: skip


@given(
    names=st.lists(
        st.lists(st.sampled_from(NAME_WORDS), min_size=1, max_size=4).map(" ".join),
        max_size=30,
    )
)
def test_likely_duplicates_finds_what_comparing_every_pair_finds(names):
    # Arrange: organisations as the overview reads them, in any order.
    organisations = [SimpleNamespace(pk=pk, name=name) for pk, name in enumerate(names)]
    every_pair = [
        (older, newer)
        for index, older in enumerate(organisations)
        for newer in organisations[index + 1 :]
        if look_alike(comparison_words(older.name), comparison_words(newer.name))
    ]

    # Act
    pairs = likely_duplicates(reversed(organisations))

    # Assert
    assert pairs == every_pair


def test_overview_lists_likely_doubles_with_a_link_to_merge(adviser_client, event, houten):
    # Arrange
    kept, doubled = houten
    url = reverse("admin:theme_sessions_event_overview", args=[event.pk])

    # Act
    response = adviser_client.get(url)

    # Assert
    link = merge_url(kept.organisation) + f"?met={doubled.organisation_id}"
    assertContains(response, f'<a class="button" href="{link}">Samenvoegen</a>', html=True)
    assert list(response.context["duplicates"]) == [(kept.organisation, doubled.organisation)]


def test_a_merged_spelling_is_not_offered_when_choosing_an_organisation(admin_client, houten):
    # Arrange
    kept, doubled = houten
    merge_organisations(keep=kept.organisation, merge=doubled.organisation)

    # Act: the list staff choose from on the merge and "change organisation" pages.
    response = admin_client.get(
        reverse("admin:autocomplete"),
        {
            "term": "Houten",
            "app_label": "registrations",
            "model_name": "registration",
            "field_name": "organisation",
        },
    )

    # Assert
    assert [result["text"] for result in response.json()["results"]] == ["Bewonersraad Houten"]

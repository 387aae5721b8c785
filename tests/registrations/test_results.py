"""What worked per lab: invitations sent, sign-ups that came from one (by address or by
organisation), and attendance from the check-in."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone
from pytest_django.asserts import assertContains, assertNotContains

from registrations.models import Invitation, Organisation
from registrations.results import lab_results, recent_lab_results
from tests.factories import EventFactory

pytestmark = pytest.mark.django_db


def test_invitations_signups_from_them_and_attendance(event, sign_up):
    # Arrange: three invited (one by address, one as an organisation under another address),
    # one sign-up without an invitation; one of four confirmed members checked in.
    session = event.sessions.first()
    oost = Organisation.objects.create(name="Huurdersraad Oost")
    Invitation.objects.create(event=event, email="west@example.org")
    Invitation.objects.create(event=event, email="oud-oost@example.org", organisation=oost)
    Invitation.objects.create(event=event, email="niemand@example.org")
    sign_up(
        event, [("Wim", "", session)], organisation_name="West", contact_email="West@example.org"
    )
    sign_up(
        event,
        [("Olga", "", session), ("Otto", "", session)],
        organisation_name="Huurdersraad Oost",
        contact_email="nieuw@example.org",
    )
    sign_up(
        event, [("Zelf", "", session)], organisation_name="Zuid", contact_email="zuid@example.org"
    )
    event.attendees.filter(name="Wim").update(checked_in_at=timezone.now())

    # Act
    (result,) = lab_results([event])

    # Assert
    assert (
        result.invited,
        result.signups_from_invitation,
        result.organisations_from_invitation,
    ) == (3, 2, 2)
    assert (result.confirmed, result.checked_in) == (4, 1)


@pytest.mark.parametrize("labs", [1, 6])
def test_the_dashboard_figures_take_three_queries_however_many_labs(
    django_assert_num_queries, labs
):
    for n in range(labs):
        lab = EventFactory(date=timezone.localdate() - datetime.timedelta(days=30 * n))
        Invitation.objects.create(event=lab, email=f"a{n}@example.org")

    with django_assert_num_queries(4):  # the labs, invitations, sign-ups, attendance
        results = recent_lab_results(5)

    assert len(results) == min(labs, 5)


def test_the_event_overview_shows_them(admin_client, event):
    Invitation.objects.create(event=event, email="a@example.org")

    response = admin_client.get(reverse("admin:theme_sessions_event_overview", args=[event.pk]))

    assertContains(response, "Uitnodigingen en opkomst")
    assert response.context["lab_results"][0].invited == 1


def test_the_dashboard_shows_them_for_its_labs_to_advisers_only(
    admin_client, client, django_user_model, event
):
    # Arrange: one invitation for the coming lab; a staff member without the right to see them.
    Invitation.objects.create(event=event, email="a@example.org")
    clerk = django_user_model.objects.create_user("balie", password="x", is_staff=True)

    # Act
    seen = admin_client.get(reverse("admin:index"))
    client.force_login(clerk)
    unseen = client.get(reverse("admin:index"))

    # Assert
    assertContains(seen, "Wat werkte")
    assert [(result.event, result.invited) for result in seen.context["lab_results"]] == [
        (event, 1)
    ]
    assert unseen.context["lab_results"] is None
    assertNotContains(unseen, "Wat werkte")

"""Who may open which page: every admin URL is for staff only, each back-office page checks its
permission, the adviser group has exactly its rights, and public pages never show another
organisation's data, whatever token or unpublished event is asked for."""

import pytest
from django.contrib.auth.models import Permission
from django.contrib.contenttypes.models import ContentType
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from pytest_django.asserts import assertContains, assertNotContains

from registrations.evaluation import evaluation_for
from registrations.issuing import issue_invoices
from registrations.models import EvaluationResponse, Registration
from registrations.unsubscribe import unsubscribe_url
from sessions.models import Announcement
from tests.db_checks import db_state
from tests.factories import EventFactory, ThemeSessionFactory
from tests.signup_posts import event_url, signup_url

pytestmark = pytest.mark.django_db


def walk_patterns(patterns, prefix="", namespace="", params=()):
    """Yield (route text, full name, parameter names) for every URL pattern of the project."""
    for pattern in patterns:
        names = tuple(
            getattr(pattern.pattern, "converters", {}).keys()
            or pattern.pattern.regex.groupindex.keys()
        )
        route = prefix + str(pattern.pattern)
        if isinstance(pattern, URLResolver):
            inner = namespace
            if pattern.namespace:
                inner = f"{namespace}:{pattern.namespace}" if namespace else pattern.namespace
            yield from walk_patterns(pattern.url_patterns, route, inner, params + names)
        elif isinstance(pattern, URLPattern):
            name = None
            if pattern.name:
                name = f"{namespace}:{pattern.name}" if namespace else pattern.name
            yield route, name, params + names


@pytest.fixture
def two_organisations(sign_up, event):
    """Two organisations signed up for one lab, each with data the other must never see."""
    first_session, second_session = list(event.sessions.all())[:2]
    first = sign_up(
        event,
        [("Anna Eerste", "anna@example.org", first_session)],
        organisation_name="Huurdersraad Eerste Kring",
        contact_name="Karin Eerste",
        contact_email="karin.eerste@example.org",
    )
    second = sign_up(
        event,
        [("Bram Tweede", "bram.tweede@example.org", second_session)],
        organisation_name="Bewonersbond Tweede Lijn",
        contact_name="Kees Tweede",
        contact_email="kees.tweede@example.org",
        contact_phone="0612345678",
        remarks="Tweede-opmerking",
    )
    issue_invoices(event=event)  # so the pages of an invoice document exist
    return first, second


EXAMPLE_IMAGE = "events/voorbeeld-480w.webp"


def example_urls(first: Registration, user_id: int = 1) -> list[tuple[str, str]]:
    """Return (route, URL) for every pattern, with parameters of existing rows."""
    event = first.event
    attendee = first.attendees.first()
    values = {
        "slug": event.slug,
        "token": first.token,
        "attendee_id": attendee.pk,
        "event_id": event.pk,
        "session_id": attendee.session_id,
        "object_id": str(first.pk),
        "invoice_id": first.invoice_id,
        "document_id": first.invoice.documents.get().pk,
        "content_type_id": ContentType.objects.get_for_model(Registration).pk,
        "app_label": "registrations",
        "id": user_id,
        "code": "en",
        "name": EXAMPLE_IMAGE,
        "pk": Announcement.objects.get_or_create(theme="Bestuur", when="najaar 2027")[0].pk,
    }
    urls = []
    for route, name, params in walk_patterns(get_resolver().url_patterns):
        if name is None:  # the admin's catch-all
            assert route.startswith("admin/"), route
            urls.append((route, "/admin/bestaat-niet/"))
            continue
        kwargs = {p: values[p] for p in params}
        if name.startswith("registrations:member"):  # a board member's own link
            kwargs["token"] = attendee.token
        if name.startswith("registrations:evaluation"):  # a board member's evaluation link
            kwargs["token"] = evaluation_link(attendee).token
        if name == "registrations:unsubscribe":  # the link in an invitation
            kwargs["token"] = unsubscribe_url("karin@example.org").rstrip("/").rsplit("/", 1)[1]
        urls.append((route, reverse(name, kwargs=kwargs)))
    return urls


def evaluation_link(attendee) -> EvaluationResponse:
    """Return the member's evaluation link, made the first time it is asked for."""
    return EvaluationResponse.objects.get_or_create(
        attendee=attendee,
        defaults={"evaluation": evaluation_for(attendee.event), "session": attendee.session},
    )[0]


# Every admin page is for staff only; each back-office page checks its permission -------------


PUBLIC_ADMIN_PAGES = {"/admin/login/"}


def assert_sent_to_login(response, url):
    assert response.status_code == 302, url
    location = response.headers["Location"]
    if url == reverse("admin:logout"):
        assert location == reverse("admin:index"), url
    else:
        assert location.startswith("/admin/login/?next="), (url, location)


def test_every_admin_url_refuses_anonymous_and_non_staff(
    client, two_organisations, django_user_model
):
    # Arrange
    first, _second = two_organisations
    member = django_user_model.objects.create_user("lid", password="een-lang-wachtwoord-9")
    admin_urls = [
        url for route, url in example_urls(first, member.pk) if route.startswith("admin/")
    ]
    member_client = Client()
    member_client.force_login(member)

    # Act / Assert
    assert len(admin_urls) > 40
    for url in admin_urls:
        if url in PUBLIC_ADMIN_PAGES:
            continue
        assert_sent_to_login(client.get(url), url)
        assert_sent_to_login(member_client.get(url), url)
        assert_sent_to_login(client.post(url, {}), url)


def test_every_staff_page_and_the_manage_pages_are_not_stored(admin_client, two_organisations):
    # Arrange: every page a superuser can open, and the public pages behind a manage link:
    # the contact person's, a member's own, and those that ask before someone is cancelled.
    first, _second = two_organisations
    urls = [
        url
        for route, url in example_urls(first)
        if route.startswith(("admin/", "aanmelding/", "evaluatie/"))
    ]
    assert first.get_absolute_url() in urls
    assert first.attendees.first().get_absolute_url() in urls

    # Act
    opened = {url: admin_client.get(url) for url in urls}

    # Assert: they show personal data, so no browser or proxy may keep a copy. Django's own
    # password-change pages and its translation script show nothing about sign-ups.
    shown = {url: response for url, response in opened.items() if response.status_code == 200}
    kept = [url for url, r in shown.items() if "no-store" not in r.get("Cache-Control", "")]
    assert len(shown) > 30
    assert sorted(kept) == [
        "/admin/jsi18n/",
        "/admin/password_change/",
        "/admin/password_change/done/",
    ]


@pytest.mark.parametrize(
    "name",
    [
        "admin:theme_sessions_event_overview",
        "admin:theme_sessions_event_signup",
        "admin:theme_sessions_event_export",
        "admin:theme_sessions_event_session_export",
        "admin:theme_sessions_event_presence_list",
        "admin:theme_sessions_event_evaluation",
        "admin:theme_sessions_event_evaluation_export",
        "admin:theme_sessions_event_invite",
        "admin:theme_sessions_event_mailing",
        "admin:theme_sessions_event_desk_list",
        "admin:theme_sessions_event_check_in",
        "admin:theme_sessions_event_badges",
        "admin:registrations_registration_personal_data",
        "admin:registrations_registration_changelist",
        "admin:registrations_attendee_changelist",
        "admin:registrations_invoice_changelist",
        "admin:theme_sessions_event_invoices",
        "admin:theme_sessions_event_invoice_export",
        "admin:registrations_invoice_payment",
        "admin:registrations_invoice_document_pdf",
    ],
)
def test_staff_without_permission_refused_on_back_office_pages(
    client, two_organisations, django_user_model, name
):
    # Arrange
    first, _second = two_organisations
    staff = django_user_model.objects.create_user(
        "stagiair", password="een-lang-wachtwoord-9", is_staff=True
    )
    client.force_login(staff)
    kwargs = {
        "event_id": first.event_id,
        "session_id": first.attendees.first().session_id,
        "invoice_id": first.invoice_id,
        "document_id": first.invoice.documents.get().pk,
    }
    wanted = {
        p
        for _route, n, params in walk_patterns(get_resolver().url_patterns)
        if n == name
        for p in params
    }
    url = reverse(name, kwargs={p: kwargs[p] for p in wanted})

    # Act
    response = client.get(url)

    # Assert
    assert response.status_code == 403, url
    assertNotContains(response, "Bewonersbond Tweede Lijn", status_code=403)
    assertNotContains(response, "kees.tweede@example.org", status_code=403)


@pytest.mark.parametrize(
    "name",
    [
        "admin:registrations_attendee_move",
        "admin:registrations_attendee_cancel",
        "admin:registrations_registration_organisation",
        "admin:registrations_registration_cancel",
    ],
)
def test_staff_with_only_view_permission_refused_on_change_pages(
    client, two_organisations, django_user_model, name
):
    # Arrange: a staff member who may look at sign-ups and board members, not change them.
    first, _second = two_organisations
    viewer = django_user_model.objects.create_user("kijker", is_staff=True)
    viewer.user_permissions.add(
        *Permission.objects.filter(codename__in=["view_registration", "view_attendee"])
    )
    client.force_login(viewer)
    attendee = first.attendees.get()
    obj = attendee if "attendee" in name else first
    state_before = db_state()

    # Act
    page = client.get(reverse(name, args=[obj.pk]))
    sent = client.post(reverse(name, args=[obj.pk]), {"session": attendee.session_id})

    # Assert
    assert (page.status_code, sent.status_code) == (403, 403)
    assert db_state() == state_before


def test_adviser_group_has_exactly_the_registration_permissions(adviser_group):
    # Act
    codenames = set(
        adviser_group.permissions.filter(content_type__app_label="registrations").values_list(
            "codename", flat=True
        )
    )

    # Assert
    assert codenames == {
        "view_organisation",
        "change_organisation",
        "view_registration",
        "add_registration",
        "change_registration",
        "view_attendee",
        "change_attendee",
        "view_invoice",
        "change_invoice",
        "manage_invoices",
        "view_invoicedocument",
        "view_payment",
        "view_outboxmail",
        "change_outboxmail",
        "export_personal_data",
        "view_evaluation",
        "add_evaluation",
        "change_evaluation",
        "view_evaluationquestion",
        "add_evaluationquestion",
        "change_evaluationquestion",
        "delete_evaluationquestion",
        "view_evaluationresponse",
        "view_invitation",
        "add_invitation",
        "view_mailing",
        "add_mailing",
        "view_subscriber",
        "check_in_attendee",
    }


def test_adviser_may_export_but_never_delete_sign_ups(adviser):
    # Act
    rights = {
        permission: adviser.has_perm(permission)
        for permission in [
            "registrations.export_personal_data",
            "registrations.delete_registration",
            "registrations.delete_attendee",
            "registrations.delete_invoice",
            "registrations.delete_organisation",
        ]
    }

    # Assert
    assert rights == {
        "registrations.export_personal_data": True,
        "registrations.delete_registration": False,
        "registrations.delete_attendee": False,
        "registrations.delete_invoice": False,
        "registrations.delete_organisation": False,
    }


# Public pages show nobody else's data -------------------------------------------------------


def test_public_pages_never_show_another_organisations_data(client, two_organisations):
    # Arrange
    first, second = two_organisations
    default_storage.save(EXAMPLE_IMAGE, ContentFile(b"RIFF"))
    public_urls = [url for route, url in example_urls(first) if not route.startswith("admin/")]
    secrets_of_second = [
        "Bewonersbond Tweede Lijn",
        "Kees Tweede",
        "kees.tweede@example.org",
        "0612345678",
        "Tweede-opmerking",
        "Bram Tweede",
        "bram.tweede@example.org",
        second.token,
    ]

    # The sign-up form suggests the names of known organisations (not their people): staff
    # can hide one from the suggestions.
    suggested = {signup_url(first.event)}

    # Act
    responses = {url: client.get(url) for url in public_urls}

    # Assert
    assert reverse("registrations:detail", args=[first.token]) in responses
    assert responses[reverse("registrations:detail", args=[first.token])].status_code == 200
    assertContains(responses[first.get_absolute_url()], "Huurdersraad Eerste Kring")
    for url, response in responses.items():
        assert response.status_code < 400 or response.status_code == 405, url
        body = (b"".join(response) if response.streaming else response.content).decode()
        for secret in secrets_of_second[1:] if url in suggested else secrets_of_second:
            assert secret not in body, (url, secret)


def test_registration_page_with_altered_token_not_found(client, two_organisations):
    # Arrange
    first, second = two_organisations
    mixed = first.manage_lookup + second.manage_secret

    # Act
    responses = [
        client.get(reverse("registrations:detail", args=[token]))
        for token in [mixed, first.manage_lookup, first.token[:-1], first.token + "x"]
    ]

    # Assert
    assert [r.status_code for r in responses] == [404, 404, 404, 404]


@pytest.mark.parametrize(
    "name",
    ["registrations:cancel_attendee", "registrations:change_session"],
    ids=["cancel", "move"],
)
def test_self_service_cannot_touch_another_signups_attendee(client, two_organisations, name):
    # Arrange: the first organisation's link, naming the second's board member.
    first, second = two_organisations
    foreign = second.attendees.get()
    other_session = first.event.sessions.exclude(pk=foreign.session_id).first()
    url = reverse(name, kwargs={"token": first.token, "attendee_id": foreign.pk})
    data = {"session": other_session.pk}
    state_before = db_state()

    # Act
    response = client.post(url, data)

    # Assert
    assert response.status_code == 404
    assert db_state() == state_before


def test_unpublished_event_hidden_from_public_shown_to_staff(client, django_user_model):
    # Arrange
    event = EventFactory(is_published=False)
    ThemeSessionFactory(event=event)
    staff = django_user_model.objects.create_user(
        "beheer", password="een-lang-wachtwoord-9", is_staff=True
    )
    staff_client = Client()
    staff_client.force_login(staff)

    # Act
    public = [client.get(event_url(event)), client.get(signup_url(event))]
    staff_view = staff_client.get(event_url(event))

    # Assert
    assert [r.status_code for r in public] == [404, 404]
    assert staff_view.status_code == 200

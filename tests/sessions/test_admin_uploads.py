"""Images uploaded in the admin: the event's header image and the site's logo, refused with a
clear message when they cannot be used, and stored as renditions when they can."""

import pytest
from django.core.files.storage import default_storage
from django.urls import reverse
from pytest_django.asserts import assertContains

from sessions.images import MAX_UPLOAD_BYTES
from sessions.models import Event, SiteSettings
from tests.admin_posts import admin_form_post
from tests.db_checks import db_state
from tests.images import photo, png_claiming, upload
from tests.signup_posts import event_url

pytestmark = pytest.mark.django_db


def change_url(event: Event) -> str:
    return reverse("admin:theme_sessions_event_change", args=[event.pk])


def test_image_uploaded_with_the_event_is_stored_as_renditions_and_shown(adviser_client, event):
    # Act
    response = admin_form_post(
        adviser_client,
        change_url(event),
        image=upload(photo(1400, 700)),
        image_alt="Het kasteel vanaf de oprijlaan",
    )

    # Assert
    assert response.status_code == 302
    event.refresh_from_db()
    stem = event.image.name.removesuffix("-1280w.webp")
    assert (event.image_width, event.image_height) == (1280, 512)
    assert all(default_storage.exists(f"{stem}-{w}w.webp") for w in (480, 800, 1280))
    page = adviser_client.get(event_url(event))
    assertContains(
        page,
        f'<img class="event-image" src="/media/{stem}-1280w.webp" '
        f'srcset="/media/{stem}-480w.webp 480w, /media/{stem}-800w.webp 800w, '
        f'/media/{stem}-1280w.webp 1280w"',
    )
    assertContains(
        page, 'width="1280" height="512" alt="Het kasteel vanaf de oprijlaan" decoding="async">'
    )


@pytest.mark.parametrize(
    ("content", "name", "message"),
    [
        (b"\0" * (MAX_UPLOAD_BYTES + 1), "groot.jpg", "Dit bestand is te groot"),
        (b"Beste mensen, hierbij de foto.", "foto.jpg", "Dit bestand is geen afbeelding"),
        (png_claiming(30_000, 30_000), "bom.png", "Deze afbeelding heeft te veel beeldpunten"),
    ],
    ids=["too-large", "not-an-image", "decompression-bomb"],
)
def test_unusable_image_refused_with_a_message_and_nothing_saved(
    adviser_client, event, content, name, message
):
    # Arrange
    state_before = db_state()

    # Act
    response = admin_form_post(
        adviser_client,
        change_url(event),
        image=upload(content, name),
        image_alt="Een foto",
        title="Een nieuwe titel",
    )

    # Assert: the form comes back with the message beside the field; nothing is stored.
    assert response.status_code == 200
    errors = response.context["adminform"].form.errors
    assert list(errors) == ["image"]
    assert errors["image"][0].startswith(message)
    assertContains(response, message)
    assert db_state() == state_before
    assert Event.objects.get(pk=event.pk).title == event.title
    assert not default_storage.exists("events")


def test_image_without_description_refused(adviser_client, event):
    # Act
    response = admin_form_post(adviser_client, change_url(event), image=upload(photo(800, 400)))

    # Assert
    assert response.status_code == 200
    assert response.context["adminform"].form.errors["image_alt"] == [
        "Beschrijf in een zin wat op de afbeelding staat."
    ]


def test_image_cleared_in_the_admin_leaves_the_page(adviser_client, event):
    # Arrange
    admin_form_post(
        adviser_client, change_url(event), image=upload(photo(800, 400)), image_alt="Een foto"
    )

    # Act
    response = admin_form_post(adviser_client, change_url(event), **{"image-clear": "on"})

    # Assert
    assert response.status_code == 302
    event.refresh_from_db()
    assert (event.image.name, event.image_width, event.image_height) == ("", None, None)
    assert 'class="event-image"' not in adviser_client.get(event_url(event)).content.decode()


def test_site_logo_uploaded_in_the_admin_shows_in_every_header(adviser_client, event):
    # Arrange
    settings_url = reverse("admin:theme_sessions_sitesettings_changelist")

    # Act: the list leads to the one form of settings.
    form_url = adviser_client.get(settings_url).headers["Location"]
    response = admin_form_post(
        adviser_client, form_url, logo=upload(photo(900, 300), "logo.jpg"), logo_alt="Atrivé"
    )

    # Assert
    assert response.status_code == 302
    logo = SiteSettings.load().logo
    assert (logo.width, logo.height) == (288, 96)
    for url in [reverse("registrations:event_list"), event_url(event)]:
        assertContains(
            adviser_client.get(url),
            f'<img class="site-logo" src="/media/{logo.name}" width="288" height="96" '
            'alt="Atrivé"> Participatielab</a>',
        )


def test_site_settings_cannot_be_added_twice_or_deleted(admin_client):
    # Act
    add = admin_client.get(reverse("admin:theme_sessions_sitesettings_add"))
    delete = admin_client.get(reverse("admin:theme_sessions_sitesettings_delete", args=[1]))

    # Assert
    assert (add.status_code, delete.status_code) == (403, 403)

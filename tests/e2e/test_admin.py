"""Staff log into the back office and download the attendee list for Dutch Excel."""

from django.contrib.auth import get_user_model
from django.urls import reverse

USERNAME = "adviseur"
PASSWORD = "kasteel-rhijnauwen-2017"


def test_staff_download_the_excel_export_of_an_event(page, demo_event, sign_up):
    session = demo_event.sessions.first()
    sign_up(demo_event, [("Karin Voorbeeld", "karin@example.org", session)])
    get_user_model().objects.create_superuser(
        username=USERNAME, email="adviseur@example.org", password=PASSWORD
    )
    change_page = reverse("admin:theme_sessions_event_change", args=[demo_event.pk])

    page.goto(f"{reverse('admin:login')}?next={change_page}")
    page.fill("#id_username", USERNAME)
    page.fill("#id_password", PASSWORD)
    page.locator("#login-form [type=submit]").click()
    page.wait_for_url(f"**{change_page}")
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Export (Excel NL)").click()
    content = download_info.value.path().read_bytes()

    assert content.startswith(b"\xef\xbb\xbf")
    assert b";" in content.splitlines()[0]
    assert "Karin Voorbeeld" in content.decode("utf-8-sig")
    assert download_info.value.suggested_filename.endswith(".csv")

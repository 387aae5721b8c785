import pytest
from django.urls import reverse

from registrations.models import Attendee

pytestmark = pytest.mark.django_db


def test_signup_three_members_confirms(client, event):
    sessions = list(event.sessions.all())
    data = {
        "organisation_name": "Huurdersvereniging De Linde",
        "contact_name": "Karin Voorbeeld",
        "contact_email": "karin@example.org",
        "contact_phone": "",
        "remarks": "",
        "consent": "on",
        "members-TOTAL_FORMS": "3",
        "members-INITIAL_FORMS": "0",
        "members-MIN_NUM_FORMS": "1",
        "members-MAX_NUM_FORMS": "3",
    }
    for i in range(3):
        data |= {
            f"members-{i}-name": f"Lid {i}",
            f"members-{i}-email": f"lid{i}@example.org",
            f"members-{i}-session": str(sessions[i].pk),
            f"members-{i}-dietary_wishes": "",
        }
    response = client.post(reverse("registrations:signup", args=[event.slug]), data, follow=True)
    assert response.status_code == 200, response.content.decode()[:3000]
    assert Attendee.objects.count() == 3
    assert "€ 100,00" in response.content.decode()

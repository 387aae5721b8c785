"""Create the demo event: the first Participatielab, open for sign-up; a past lab with its
evaluation and report, and an announced autumn lab. Safe to run again."""

import datetime

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.utils import timezone

from registrations.management.demo_image import ALT_TEXT, draw_demo_image
from registrations.management.demo_next import add_demo_report, announce_autumn_lab
from registrations.management.demo_past import add_demo_evaluation, past_demo_event
from sessions.models import Contact, Event
from sessions.services import (
    ContactData,
    SessionData,
    create_event,
    reschedule_event,
    set_event_image,
)

DEMO_SLUG = "participatielab-prestatieafspraken"
DEMO_USERNAME = "demo"
DEMO_PASSWORD = "demo-participatielab"

SESSIONS = [
    SessionData(
        title="Duurzaamheid en prestatieafspraken",
        description=(
            "Hoe maakt u afspraken over isolatie, zonnepanelen en woonlasten? Wat kan de "
            "huurdersorganisatie vragen, en hoe houdt u de corporatie eraan?"
        ),
        capacity=25,
    ),
    SessionData(
        title="De financiën van de corporatie",
        description=(
            "Wat zegt de begroting van uw corporatie over wat er kan? Wij lezen samen de "
            "belangrijkste cijfers en vertalen ze naar vragen voor het overleg."
        ),
        capacity=25,
    ),
    SessionData(
        title="Werksessie: neem uw bod of afspraken mee",
        description=(
            "Neem het bod van uw corporatie of de afspraken van vorig jaar mee. In kleine "
            "groepen bespreken wij wat goed gaat en wat beter kan."
        ),
        capacity=20,
    ),
    SessionData(
        title="Prestatieafspraken en de jaarcyclus van de corporatie",
        description=(
            "Wanneer valt welk besluit? Met de jaarplanning van de corporatie in de hand weet u "
            "op welk moment uw inbreng het meeste effect heeft."
        ),
        capacity=25,
    ),
]

PROGRAMME = [
    (datetime.time(17, 0), "Inloop"),
    (datetime.time(17, 15), "Opening"),
    (datetime.time(17, 45), "Presentatie: de prestatieafspraken van 2016"),
    (datetime.time(18, 0), "Pauze met soep en een broodje"),
    (datetime.time(18, 15), "Themasessies"),
    (datetime.time(19, 30), "Terugkoppeling per groep"),
    (datetime.time(20, 0), "Afsluiting; wie wil, drinkt nog iets (op eigen kosten)"),
]


# Invented advisers; 030 000 … numbers are not in use (no Dutch number starts 000 after
# the area code).
CONTACTS = [
    ContactData(
        name="Anna de Vries",
        role="adviseur",
        phone="030 000 00 01",
        email="anna.devries@example.org",
    ),
    ContactData(
        name="Bram Koster",
        role="adviseur",
        phone="030 000 00 02",
        email="bram.koster@example.org",
    ),
]

# Texts that later versions of the demo added: an existing demo event gets them when they
# are still empty, so a developer's own edits stay.
DETAILS = {
    "route": "Het kasteel ligt tussen Utrecht en Bunnik, vlak bij de A12 en de A27.",
    "parking": (
        "Bij het landgoed is een parkeerterrein. Vandaar is het een paar minuten lopen naar het "
        "kasteel."
    ),
    "public_transport": (
        "Vanaf station Utrecht Centraal en station Bunnik rijden bussen in de richting van het "
        "landgoed. Vanaf de bushalte is het ongeveer een kwartier lopen. Kijk voor de tijden "
        "in uw reisplanner."
    ),
    "practical_notes": (
        "Kom gerust wat eerder. Het landgoed rond het kasteel is mooi om even te wandelen "
        "voordat wij beginnen.\n\n"
        "Na afloop kunt u nog iets drinken in het Theatercafé, op eigen kosten. Het is een "
        "goede plek om na te praten met andere huurdersorganisaties."
    ),
}


def demo_dates(today: datetime.date) -> tuple[datetime.date, datetime.datetime]:
    """Return a Monday six to seven weeks ahead, and a deadline one week before it."""
    start = today + datetime.timedelta(weeks=6)
    monday = start + datetime.timedelta(days=(7 - start.weekday()) % 7)
    deadline = timezone.make_aware(
        datetime.datetime.combine(monday - datetime.timedelta(days=7), datetime.time(23, 59))
    )
    return monday, deadline


def demo_login_refusal() -> str:
    """Return why the demo login (a published password) may not be made here, or ""."""
    if not settings.DEBUG:
        return "DEBUG is off, so this may be a production site."
    if connection.vendor != "sqlite" and not settings.ALLOW_DEMO_LOGIN:
        return (
            f"the database is {connection.vendor}, not the local SQLite file; "
            "set ALLOW_DEMO_LOGIN=1 if it is a development database."
        )
    return ""


class Command(BaseCommand):
    help = "Create the demo Participatielab (open for sign-up) and, with DEBUG on, a demo login."

    def handle(self, *args, **options) -> None:
        if settings.NOT_CONFIGURED:  # a production shell without its secret: touch nothing
            raise CommandError(" ".join(settings.NOT_CONFIGURED))
        date, deadline = demo_dates(timezone.localdate())
        event = Event.objects.filter(slug=DEMO_SLUG).first()
        if event is None:
            event = create_event(
                sessions=SESSIONS,
                programme=PROGRAMME,
                title="Participatielab",
                slug=DEMO_SLUG,
                theme=(
                    "Een gelijkwaardige rol voor huurdersorganisaties in de prestatieafspraken "
                    "tussen gemeente, corporatie en huurders"
                ),
                description=(
                    "Praat u als bestuur van een huurdersorganisatie mee over de "
                    "prestatieafspraken met uw gemeente en corporatie? Dan is dit Participatielab "
                    "voor u: een avond vol inspiratie, intervisie en training.\n\n"
                    "Wij kijken samen terug op de afspraken van 2016: wat ging goed, en waar "
                    "zaten de huurders nog niet als gelijkwaardige partner aan tafel? Daarna "
                    "werkt u in een themasessie aan een sterkere positie in het overleg.\n\n"
                    "U kunt zich aanmelden met één, twee of drie bestuursleden. Iedere deelnemer "
                    "kiest één themasessie."
                ),
                date=date,
                start_time=datetime.time(17, 0),
                end_time=datetime.time(20, 0),
                venue_name="Kasteel Rhijnauwen",
                venue_address="Rhijnauwenselaan 14b",
                venue_city="Bunnik",
                included="Soep en een broodje zijn inbegrepen. Drankjes zijn voor eigen rekening.",
                payment_info="Na de bijeenkomst ontvangt uw organisatie een factuur.",
                contacts=CONTACTS,
                notification_email="participatielab@example.org",
                registration_deadline=deadline,
                is_published=True,
                **DETAILS,
            )
            self.stdout.write(f"Created the demo event: /{event.slug}/ on {event.date}.")
        elif event.registration_deadline < timezone.now():
            reschedule_event(event=event, date=date, registration_deadline=deadline)
            self.stdout.write(f"Moved the demo event to {event.date}, so sign-up is open again.")
        else:
            self.stdout.write(f"The demo event is already there: /{event.slug}/ on {event.date}.")
        self._complete_details(event)
        past = past_demo_event()
        if add_demo_report(past):
            self.stdout.write(f"Gave the past lab /{past.slug}/ its report.")
        announce_autumn_lab()

        past = past_demo_event()
        answers = add_demo_evaluation(past)
        self.stdout.write(
            f"The past demo lab: /admin/theme_sessions/event/{past.pk}/evaluatie/ "
            f"({answers} evaluation answers added)."
        )

        refusal = demo_login_refusal()
        if refusal:
            self.stdout.write(f"No demo login created: {refusal}")
        else:
            self._ensure_demo_login()

    def _complete_details(self, event: Event) -> None:
        """Fill what an older demo event lacks: route texts, advisers, the header image."""
        with transaction.atomic():
            missing = [name for name, text in DETAILS.items() if not getattr(event, name)]
            for name in missing:
                setattr(event, name, DETAILS[name])
            if missing:
                event.save(update_fields=[*missing, "updated_at"])
            for order, contact in enumerate(CONTACTS, start=1):
                Contact.objects.update_or_create(
                    event=event,
                    email=contact.email,
                    defaults={"name": contact.name, "role": contact.role, "phone": contact.phone},
                    create_defaults={**vars(contact), "order": order},
                )
            if not event.image:
                set_event_image(
                    event=event,
                    upload=ContentFile(draw_demo_image(), name="demo.png"),
                    alt=ALT_TEXT,
                )

    def _ensure_demo_login(self) -> None:
        user_model = get_user_model()
        if not user_model.objects.filter(username=DEMO_USERNAME).exists():
            user_model.objects.create_superuser(
                username=DEMO_USERNAME, email="demo@example.org", password=DEMO_PASSWORD
            )
        self.stdout.write(
            f"Demo staff login at /admin/: user '{DEMO_USERNAME}', password '{DEMO_PASSWORD}'."
        )

"""The demo's lab cycle around the open lab: the past lab's report (a PDF and a few lines) and
the announced autumn lab. Safe to run again: each is added only when missing."""

import datetime

from django.core.files.base import ContentFile
from django.utils import timezone
from weasyprint import HTML

from sessions.models import Announcement, Event
from sessions.reports import check_report

AUTUMN_THEME = "Professionalisering van het bestuur"

REPORT_TEXT = (
    "Zeven bestuursleden van vier huurdersorganisaties spraken met elkaar over huurders en "
    "corporatie aan tafel. De belangrijkste les: begin vroeg, en vraag de corporatie om cijfers "
    "per wijk.\n\nIn de werksessie over de achterban bleek hoe verschillend organisaties hun "
    "huurders bereiken. Het volledige verslag staat in de PDF."
)

REPORT_HTML = """<!doctype html><html lang="nl"><head><meta charset="utf-8">
<title>Verslag Participatielab</title></head><body style="font-family: sans-serif">
<h1>Verslag: Participatielab, vorige editie</h1>
<p>Zeven bestuursleden van vier huurdersorganisaties spraken over huurders en corporatie aan
tafel.</p>
<h2>Duurzaamheid en woonlasten</h2>
<p>Vraag de corporatie om cijfers per wijk: wat kost verduurzaming, en wat levert het op?</p>
<h2>Werksessie: de achterban bereiken</h2>
<p>Een nieuwsbrief, een spreekuur, een enquête: kies wat bij uw huurders past, en houd het
vol.</p>
</body></html>"""


def add_demo_report(event: Event) -> bool:
    """Give the past lab its report when it has none; tell whether it was added."""
    if event.has_report:
        return False
    pdf = HTML(string=REPORT_HTML).write_pdf()
    event.report_file = check_report(ContentFile(pdf, name="verslag.pdf"))
    event.report_text = REPORT_TEXT
    event.save()
    return True


def autumn_label(today: datetime.date) -> str:
    """Return the coming autumn in words: this year's until September, else next year's."""
    year = today.year if today.month < 9 else today.year + 1
    return f"najaar {year}"


def announce_autumn_lab(today: datetime.date | None = None) -> Announcement:
    """Return the announced autumn lab, creating it when missing."""
    announcement, _created = Announcement.objects.get_or_create(
        theme=AUTUMN_THEME,
        defaults={
            "when": autumn_label(today or timezone.localdate()),
            "text": (
                "Hoe werkt een bestuur goed samen, en hoe vindt u nieuwe bestuursleden? "
                "Laat uw adres achter, dan hoort u het zodra u zich kunt aanmelden."
            ),
        },
    )
    return announcement

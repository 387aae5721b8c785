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
    "Vijf bestuursleden van drie huurdersorganisaties werkten aan hun bod op de "
    "prestatieafspraken. De belangrijkste les: begin vroeg, en vraag de corporatie om cijfers "
    "per wijk.\n\nIn de sessie over de gemeente bleek hoe verschillend gemeenten het overleg "
    "voeren. Het volledige verslag staat in de PDF."
)

REPORT_HTML = """<!doctype html><html lang="nl"><head><meta charset="utf-8">
<title>Verslag Participatielab</title></head><body style="font-family: sans-serif">
<h1>Verslag: Participatielab, vorige editie</h1>
<p>Vijf bestuursleden van drie huurdersorganisaties werkten aan hun bod op de
prestatieafspraken.</p>
<h2>Het bod van de huurdersorganisatie</h2>
<p>Begin vroeg, vraag de corporatie om cijfers per wijk, en maak het bod concreet.</p>
<h2>Samenwerken met de gemeente</h2>
<p>Gemeenten voeren het overleg verschillend: maak aan het begin van het jaar afspraken over
wie wat doet.</p>
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

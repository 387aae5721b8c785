"""An event as an iCalendar entry: one for the event page, one in every confirmation mail."""

from django.utils import timezone
from icalendar import Calendar
from icalendar import Event as CalendarEntry

from sessions.models import Event


def calendar_file(event: Event, *, uid: str, description: str = "", url: str = "") -> bytes:
    """Return an .ics file with the event's time (Europe/Amsterdam), place and title.

    `uid` tells calendars which entry this is: the same uid again updates it instead of
    adding a second one.
    """
    entry = CalendarEntry()
    entry.add("uid", uid)
    entry.add("dtstamp", timezone.now())
    entry.add("dtstart", timezone.localtime(event.starts_at))
    entry.add("dtend", timezone.localtime(event.ends_at))
    entry.add("summary", event.title)
    entry.add("location", f"{event.venue_name}, {event.venue_address}, {event.venue_city}")
    if description:
        entry.add("description", description)
    if url:
        entry.add("url", url)
    calendar = Calendar()
    calendar.add("prodid", "-//Atrivé//Participatielab//NL")
    calendar.add("version", "2.0")
    calendar.add("method", "PUBLISH")
    calendar.add_component(entry)
    calendar.add_missing_timezones()
    return calendar.to_ical()

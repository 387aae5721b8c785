"""An event as an iCalendar entry: one for the event page, one in every confirmation mail."""

import datetime
from functools import cache

from django.utils import timezone
from icalendar import Calendar, Timezone
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
    # The time zone's rules, as calendars need them, before the entry that uses them.
    for tzid in sorted(calendar.get_missing_tzids()):
        calendar.subcomponents.insert(0, time_zone(tzid, event.date.year))
    return calendar.to_ical()


@cache
def time_zone(tzid: str, year: int) -> Timezone:
    """Return the VTIMEZONE of `tzid` for the year before to the year after `year`: enough
    for an entry in `year`, and worked out once (it takes longer than the rest of a mail)."""
    return Timezone.from_tzid(
        tzid, first_date=datetime.date(year - 1, 1, 1), last_date=datetime.date(year + 1, 12, 31)
    )

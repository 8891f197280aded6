"""iCalendar files for screenings: one screening to add to a calendar, or a programme's feed."""

from __future__ import annotations

from collections.abc import Iterable

from django.conf import settings
from django.utils import timezone
from icalendar import Calendar
from icalendar import Event as CalendarEvent

from .models import Screening


def build_calendar(screenings: Iterable[Screening], request, name: str) -> bytes:
    calendar = Calendar()
    calendar.add("prodid", "-//Cinema programme//EN")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", name)
    calendar.add("x-wr-timezone", settings.TIME_ZONE)
    host = request.get_host().split(":")[0]
    for screening in screenings:
        calendar.add_component(calendar_event(screening, request, host))
    # Times carry their zone (TZID), so a VTIMEZONE block tells clients what it means.
    calendar.add_missing_timezones()
    return calendar.to_ical()


def calendar_event(screening: Screening, request, host: str) -> CalendarEvent:
    event = CalendarEvent()
    event.add("uid", f"screening-{screening.pk}@{host}")
    event.add("dtstamp", timezone.now())
    event.add("dtstart", timezone.localtime(screening.starts_at))
    event.add("dtend", timezone.localtime(screening.ends_at))
    event.add("summary", screening.title)
    event.add("location", screening.auditorium.name)
    event.add("url", request.build_absolute_uri(screening.get_absolute_url()))
    details = [screening.get_subtitles_display(), screening.get_ticket_status_display()]
    if screening.note:
        details.insert(0, screening.note)
    event.add("description", " · ".join(str(part) for part in details))
    if screening.ticket_status == "cancelled":
        event.add("status", "CANCELLED")
    return event

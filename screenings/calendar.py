"""iCalendar files for screenings: one screening to add to a calendar, or a programme's feed."""

from __future__ import annotations

import functools
from collections.abc import Iterable

from django.conf import settings
from django.utils import timezone
from icalendar import Calendar, Timezone
from icalendar import Event as CalendarEvent

from eye_site import cache as page_cache
from programmes.seo import SITE_NAME, VENUE

from .languages import language_name
from .models import Screening, Subtitles, TicketStatus

ADDRESS = VENUE["address"]
VENUE_LINE = ", ".join(
    (
        SITE_NAME,
        ADDRESS["streetAddress"],
        f"{ADDRESS['postalCode']} {ADDRESS['addressLocality']}",
    )
)


def build_calendar(screenings: Iterable[Screening], request, name: str) -> bytes:
    calendar = Calendar()
    calendar.add("prodid", f"-//{SITE_NAME}//Cinema programme//EN")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", name)
    calendar.add("x-wr-timezone", settings.TIME_ZONE)
    # The host names the UIDs, so a screening keeps its UID across downloads and feed refreshes.
    host = request.get_host().split(":")[0]
    stamp = timezone.now()
    listed = []
    for screening in screenings:
        calendar.add_component(calendar_event(screening, request, host, stamp))
        listed.append(screening.pk)
    page_cache.listing(listed)
    # Times carry their zone (TZID=Europe/Amsterdam); the VTIMEZONE block tells clients its rules.
    # It goes before the events, right after the calendar's own properties.
    zones = b"".join(vtimezone(tzid) for tzid in sorted(calendar.get_missing_tzids()))
    body = calendar.to_ical()
    if not zones:  # no events, so no times
        return body
    first_component = body.index(b"\r\nBEGIN:", len(b"BEGIN:VCALENDAR")) + 2
    return body[:first_component] + zones + body[first_component:]


@functools.cache
def vtimezone(tzid: str) -> bytes:
    """A zone's VTIMEZONE block, derived and written out once per process: its ~120 transitions
    took ~20 ms to work out and ~3 ms to write in every calendar file, and they do not change
    while we run."""
    try:
        return Timezone.from_tzid(tzid).to_ical()
    except ValueError:  # A zone icalendar does not know goes without its block, as before.
        return b""


def describe(screening: Screening) -> str:
    """What a visitor wants to see in their calendar: language, room, note and ticket state."""
    parts = []
    if screening.note:
        parts.append(screening.note)
    if screening.spoken_language:
        parts.append(language_name(screening.spoken_language))
    if screening.subtitles != Subtitles.NONE:
        parts.append(str(screening.get_subtitles_display()))
    parts.append(str(screening.get_format_display()))
    parts.append(str(screening.get_ticket_status_display()))
    line = " · ".join(parts)
    if screening.is_bookable:
        line += f"\n{screening.ticket_url}"
    return line


def calendar_event(screening: Screening, request, host: str, stamp) -> CalendarEvent:
    event = CalendarEvent()
    event.add("uid", f"screening-{screening.pk}@{host}")
    event.add("dtstamp", stamp)
    event.add("dtstart", timezone.localtime(screening.starts_at))
    event.add("dtend", timezone.localtime(screening.ends_at))
    event.add("summary", screening.title)
    event.add("location", f"{screening.auditorium.name}, {VENUE_LINE}")
    event.add("url", request.build_absolute_uri(screening.get_absolute_url()))
    event.add("description", describe(screening))
    cancelled = screening.ticket_status == TicketStatus.CANCELLED
    event.add("status", "CANCELLED" if cancelled else "CONFIRMED")
    return event

"""What a list of shows prints for each one, worked out once a page.

A week's agenda lists about 110 shows, a programme's week as many. Asking each screening for its
times, labels and links while the template runs cost about half a millisecond a row: Django's
`date` and `time` filters and `date_format()` look up the format anew on every call,
`get_FOO_display()` rebuilds its choices every time, and each translated field, each translated
word and each address asks which language is active. A `Show` holds the finished words; what
shows share (a film's title, address and thumbnail, a day's name, a choice's label, a language's
name, the words of a row) is worked out once per page.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass
from typing import NamedTuple

from django.conf import settings
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from programmes.addresses import address_pattern
from programmes.markup import lang_attr, picture
from programmes.models import EventKind

from .languages import language_name
from .models import Screening, ScreeningFormat, Subtitles, TicketStatus


class RowWords(NamedTuple):
    """The words every row of a list says alike, translated once a page."""

    until: str
    tickets: str
    add_to_calendar: str
    accessibility: str
    audio_description: str
    subtitles_for_deaf: str
    relaxed: str


@dataclass(slots=True)
class Show:
    screening: Screening
    day: datetime.date
    day_name: str  # "zaterdag 28 november"
    start_iso: str
    start_time: str  # "20:15"
    end_iso: str
    end_time: str
    title: str
    url: str
    title_lang: str  # ' lang="nl"' where the title stands in for one not yet translated
    kind: str  # an event's kind ("Opening"), empty for a film
    poster: str  # the row's thumbnail, a <picture>; empty when the film or event has no image
    auditorium: str
    language: str  # the spoken language's name, empty when none is given
    subtitles: str
    format: str
    status: str
    bookable: bool
    cancelled: bool
    calendar_url: str
    note: str
    note_lang: str  # ' lang="nl"' where the Dutch note stands in for an English one
    words: RowWords

    @property
    def label(self) -> str:
        """Which show a link is for, as a screen reader says it after the link's text."""
        return f"{self.title}, {self.day_name} {self.start_time}"


class _Work(NamedTuple):
    """What every show of one film or event prints alike."""

    title: str
    url: str
    title_lang: str
    kind: str
    poster: str


def row_words() -> RowWords:
    return RowWords(
        until=_("until"),
        tickets=_("Tickets"),
        add_to_calendar=_("Add to calendar"),
        accessibility=_("Accessibility"),
        audio_description=_("Audio description"),
        subtitles_for_deaf=_("Subtitles for the deaf and hard of hearing"),
        relaxed=_("Relaxed screening"),
    )


def shows(screenings: Iterable[Screening]) -> list[Show]:
    """Shows for screenings loaded with `for_listing()` (film, event and auditorium joined)."""
    works: dict[tuple[str, int], _Work] = {}
    day_names: dict[datetime.date, str] = {}
    language_names: dict[str, str] = {}
    subtitles = {value: str(label) for value, label in Subtitles.choices}
    # In a list of facts ("Cinema 1 · Russian, no subtitles"), not a heading.
    subtitles[Subtitles.NONE] = _("no subtitles")
    screen_formats = {value: str(label) for value, label in ScreeningFormat.choices}
    statuses = {value: str(label) for value, label in TicketStatus.choices}
    kinds = {value: str(label) for value, label in EventKind.choices}
    words = row_words()
    zone = timezone.get_current_timezone()
    calendar = address_pattern("screenings:screening_ics", "pk")
    note_fields = [f"note_{code}" for code, _name in settings.LANGUAGES]
    result = []
    for screening in screenings:
        key = ("film", screening.film_id) if screening.film_id else ("event", screening.event_id)
        work = works.get(key)
        if work is None:
            subject = screening.subject
            if screening.film_id:
                kind, poster = "", subject.poster
            else:
                kind, poster = kinds.get(subject.kind, subject.kind), subject.image
            work = works[key] = _Work(
                title=subject.title,
                url=subject.get_absolute_url(),
                title_lang=lang_attr(subject, "title"),
                kind=kind,
                poster=picture(poster, "", "row_poster"),
            )
        start = screening.starts_at.astimezone(zone)
        end = screening.ends_at.astimezone(zone)
        day = start.date()
        if day not in day_names:
            day_names[day] = formats.date_format(day, "l j F")
        spoken = screening.spoken_language
        if spoken and spoken not in language_names:
            language_names[spoken] = language_name(spoken)
        status = screening.ticket_status
        # Most shows have no note: its translated field (which asks the language) is read only
        # when one of its languages has one.
        has_note = any(getattr(screening, name) for name in note_fields)
        result.append(
            Show(
                screening=screening,
                day=day,
                day_name=day_names[day],
                start_iso=start.isoformat(),
                start_time=start.strftime("%H:%M"),
                end_iso=end.isoformat(),
                end_time=end.strftime("%H:%M"),
                title=work.title,
                url=work.url,
                title_lang=work.title_lang,
                kind=work.kind,
                poster=work.poster,
                auditorium=screening.auditorium.name,
                language=language_names[spoken] if spoken else "",
                subtitles=subtitles.get(screening.subtitles, screening.subtitles),
                format=screen_formats.get(screening.format, screening.format),
                status=statuses.get(status, status),
                bookable=screening.is_bookable,
                cancelled=status == TicketStatus.CANCELLED,
                calendar_url=calendar.format(pk=screening.pk),
                note=screening.note if has_note else "",
                note_lang=lang_attr(screening, "note") if has_note else "",
                words=words,
            )
        )
    return result

"""What a list of shows prints for each one, worked out once a page.

A week's agenda lists about 110 shows, a programme's week as many. Asking each screening for its
times, labels and links while the template runs cost about half a millisecond a row: Django's
`date` and `time` filters and `date_format()` look up the format anew on every call,
`get_FOO_display()` rebuilds its choices every time, and each translated field, each translated
word and each address asks which language is active. A `Show` holds the finished words; what
shows share (a film's title, address and thumbnail, a day's name, a choice's label, a language's
name, the words of a row) is worked out once per page.

The rows are read as plain values, not as model instances: a screening with its film or event
and its room made three instances a row, with modeltranslation's constructor and descriptors;
reading a week's 112 rows cost 5.8 ms of CPU that way and 2.7 ms as values.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import NamedTuple

from django.conf import settings
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.dates import MONTHS, WEEKDAYS
from django.utils.translation import gettext as _

from eye_site import cache as page_cache
from programmes.addresses import address_pattern, addresser
from programmes.markup import languages_in_turn, picture, translated
from programmes.models import Event, EventKind, Film
from programmes.pictures import stored_file

from .languages import language_name
from .models import SCREENING_DETAILS, ScreeningFormat, Subtitles, TicketStatus, bookable


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
    pk: int
    film_id: int | None
    event_id: int | None
    auditorium_id: int
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
    spoken_language: str  # its code ("ru"), empty when none is given
    language: str  # the spoken language's name, empty when none is given
    subtitles_code: str
    subtitles: str
    format_code: str
    format: str
    ticket_status: str
    ticket_url: str
    status: str
    bookable: bool
    cancelled: bool
    audio_description: bool
    subtitles_for_deaf: bool
    relaxed: bool
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


# A row's columns; the translated ones of the film, event and room in every language
# (`translated()` picks), as the note's are among the details.
ROW_COLUMNS = (
    "pk",
    "film_id",
    "event_id",
    "auditorium_id",
    "starts_at",
    "ends_at",
    *SCREENING_DETAILS,
    "film__poster",
    "event__image",
    "event__kind",
)
ROW_TRANSLATED = ("auditorium__name", "film__title", "film__slug", "event__title", "event__slug")


def shows(screenings: QuerySet) -> list[Show]:
    """Shows for a query set of screenings, in the order they start."""
    languages = languages_in_turn()
    columns = [
        *ROW_COLUMNS,
        *(f"{name}_{code}" for name in ROW_TRANSLATED for code, _name in settings.LANGUAGES),
    ]
    # Each translated column is named in its language: modeltranslation's pass over every row,
    # which fills in fallbacks for columns named without one, has nothing to do.
    rows = screenings.rewrite(False).order_by("starts_at", "pk").values(*columns)
    works: dict[tuple[str, int], _Work] = {}
    rooms: dict[int, str] = {}
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
    film_address = addresser("programmes:film_detail", "slug")
    event_address = addresser("programmes:event_detail", "slug")
    film_slug, event_slug = f"film__slug_{languages[0]}", f"event__slug_{languages[0]}"
    result = []
    for row in rows:
        film_id, event_id = row["film_id"], row["event_id"]
        key = ("film", film_id) if film_id else ("event", event_id)
        work = works.get(key)
        if work is None:
            if film_id:
                title, title_lang = translated(row, "film__title", languages)
                url = film_address(row[film_slug])
                kind, poster = "", stored_file(Film, "poster", row["film__poster"])
            else:
                title, title_lang = translated(row, "event__title", languages)
                url = event_address(row[event_slug])
                kind = kinds.get(row["event__kind"], row["event__kind"])
                poster = stored_file(Event, "image", row["event__image"])
            work = works[key] = _Work(
                title=title,
                url=url,
                title_lang=title_lang,
                kind=kind,
                poster=picture(poster, "", "row_poster"),
            )
        room = row["auditorium_id"]
        if room not in rooms:
            rooms[room] = translated(row, "auditorium__name", languages)[0]
        start = row["starts_at"].astimezone(zone)
        end = row["ends_at"].astimezone(zone)
        day = start.date()
        if day not in day_names:
            # What date_format(day, "l j F") prints ("zaterdag 5 december"), without its 30 µs of
            # looking up the format and walking it: a film's page lists 20 days and more.
            day_names[day] = f"{WEEKDAYS[day.weekday()]} {day.day} {MONTHS[day.month]}"
        spoken = row["spoken_language"]
        if spoken and spoken not in language_names:
            language_names[spoken] = language_name(spoken)
        status, ticket_url = row["ticket_status"], row["ticket_url"]
        note, note_lang = translated(row, "note", languages)
        result.append(
            Show(
                pk=row["pk"],
                film_id=film_id,
                event_id=event_id,
                auditorium_id=room,
                day=day,
                day_name=day_names[day],
                start_iso=start.isoformat(),
                start_time=f"{start.hour:02}:{start.minute:02}",
                end_iso=end.isoformat(),
                end_time=f"{end.hour:02}:{end.minute:02}",
                title=work.title,
                url=work.url,
                title_lang=work.title_lang,
                kind=work.kind,
                poster=work.poster,
                auditorium=rooms[room],
                spoken_language=spoken,
                language=language_names[spoken] if spoken else "",
                subtitles_code=row["subtitles"],
                subtitles=subtitles.get(row["subtitles"], row["subtitles"]),
                format_code=row["format"],
                format=screen_formats.get(row["format"], row["format"]),
                ticket_status=status,
                ticket_url=ticket_url,
                status=statuses.get(status, status),
                bookable=bookable(status, ticket_url),
                cancelled=status == TicketStatus.CANCELLED,
                audio_description=row["audio_description"],
                subtitles_for_deaf=row["subtitles_for_deaf"],
                relaxed=row["relaxed"],
                calendar_url=calendar.format(pk=row["pk"]),
                note=note,
                note_lang=note_lang,
                words=words,
            )
        )
    page_cache.listing(show.pk for show in result)
    return result

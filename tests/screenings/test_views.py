"""The agenda and its filters, the screening rows and the calendar files, in both languages."""

from __future__ import annotations

import datetime
import re
import zoneinfo

import pytest
from django.utils import formats, timezone, translation
from icalendar import Calendar

from programmes.models import PublicationStatus
from screenings.forms import weekend
from screenings.models import ScreeningFormat, Subtitles, TicketStatus
from tests.factories import (
    AuditoriumFactory,
    EventFactory,
    FilmFactory,
    ProgrammeFactory,
    ScreeningFactory,
)

pytestmark = pytest.mark.django_db
AMSTERDAM = zoneinfo.ZoneInfo("Europe/Amsterdam")


@pytest.fixture(autouse=True)
def no_page_cache(settings):
    settings.PAGE_CACHE_SECONDS = 0


def at(day: datetime.date, hour: int, minute: int = 0) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time(hour, minute), tzinfo=AMSTERDAM)


@pytest.fixture
def today() -> datetime.date:
    return timezone.localdate()


@pytest.fixture
def programme():
    return ProgrammeFactory(
        slug_nl="russische-dooi", slug_en="russian-thaw", title_en="Russian Thaw"
    )


@pytest.fixture
def cranes(programme):
    film = FilmFactory(title_en="The Cranes Are Flying", slug_en="the-cranes-are-flying")
    film.programmes.add(programme)
    return film


@pytest.fixture
def tomorrow_show(cranes, today):
    """Tomorrow evening, Russian with English subtitles, in Cinema 1."""
    return ScreeningFactory(
        film=cranes,
        auditorium=AuditoriumFactory(name_nl="Cinema 1", name_en="Cinema 1"),
        starts_at=at(today + datetime.timedelta(days=1), 20, 30),
        spoken_language="ru",
        subtitles=Subtitles.ENGLISH,
        format=ScreeningFormat.FILM_35MM,
    )


@pytest.fixture
def dutch_show(today):
    """In three days, a Dutch-subtitled film outside the programme."""
    return ScreeningFactory(
        film=FilmFactory(title_en="Wings", slug_en="wings"),
        starts_at=at(today + datetime.timedelta(days=3), 18),
        spoken_language="ru",
        subtitles=Subtitles.DUTCH,
    )


@pytest.fixture
def event_show(programme, today):
    event = EventFactory(title_en="Opening night", slug_en="opening-night", programme=programme)
    return ScreeningFactory(
        film=None, event=event, starts_at=at(today + datetime.timedelta(days=2), 20)
    )


def agenda(client, query: str = "", language: str = "en") -> str:
    path = "/en/whats-on/" if language == "en" else "/nl/agenda/"
    response = client.get(f"{path}?{query}" if query else path)
    assert response.status_code == 200
    return response.content.decode()


def notes(page: str) -> list[str]:
    block = re.search(r'<div class="notice" role="status">(.*?)</div>', page, re.S)
    return re.findall(r"<p>(.*?)</p>", block.group(1)) if block else []


# --- the agenda by default -----------------------------------------------------------------


def test_agenda_shows_a_week_grouped_by_day_with_start_and_end(client, tomorrow_show, dutch_show):
    page = agenda(client)
    assert "The Cranes Are Flying" in page and "Wings" in page
    assert page.index("The Cranes Are Flying") < page.index("Wings")
    assert '<time datetime="' + timezone.localtime(tomorrow_show.starts_at).isoformat() in page
    assert ">20:30</time>" in page
    assert ">22:07</time>" in page  # 97 minutes later
    assert page.count('class="day__title"') == 2


def test_agenda_labels_read_like_the_seed(client, tomorrow_show):
    page = agenda(client)
    assert '<option value="" selected>for anytime</option>' in page
    assert '<option value="" selected>in all languages</option>' in page
    assert '<option value="en">in English</option>' in page
    assert '<option value="ru">in Russian</option>' in page


def test_agenda_form_works_without_javascript(client, tomorrow_show):
    page = agenda(client)
    form = re.search(
        r'<form class="filters" method="get" action="/en/whats-on/".*?</form>', page, re.S
    )
    assert form is not None
    for name in ("when", "date", "language", "type", "programme"):
        field = re.search(rf'<(select|input)[^>]* name="{name}"[^>]*id="([^"]+)"', form.group(0))
        assert field, name
        assert f'<label for="{field.group(2)}">' in form.group(0), name
    assert '<button type="submit"' in form.group(0)


def test_agenda_pages_by_week_and_skips_empty_weeks(client, today, cranes):
    far = ScreeningFactory(film=cranes, starts_at=at(today + datetime.timedelta(days=20), 15))
    page = agenda(client)
    assert "The Cranes Are Flying" not in page
    next_day = timezone.localtime(far.starts_at).date()
    assert f'rel="next" href="/en/whats-on/?start={next_day.isoformat()}"' in page
    later = agenda(client, f"start={next_day.isoformat()}")
    assert "The Cranes Are Flying" in later
    assert 'rel="prev"' in later
    assert 'rel="next"' not in later


def test_agenda_leaves_out_screenings_that_are_over_and_drafts(client, cranes, today):
    ScreeningFactory(film=cranes, starts_at=timezone.now() - datetime.timedelta(hours=5))
    draft = FilmFactory(title_en="Draft film", status=PublicationStatus.DRAFT)
    ScreeningFactory(film=draft, starts_at=at(today + datetime.timedelta(days=1), 12))
    page = agenda(client)
    assert "The Cranes Are Flying" not in page
    assert "Draft film" not in page


# --- filters -------------------------------------------------------------------------------


def test_when_tomorrow_shows_only_tomorrow(client, tomorrow_show, dutch_show):
    page = agenda(client, "when=tomorrow")
    assert "The Cranes Are Flying" in page
    assert "Wings" not in page
    assert '<option value="tomorrow" selected>tomorrow</option>' in page


def test_a_chosen_date_shows_that_day(client, dutch_show, tomorrow_show, today):
    day = today + datetime.timedelta(days=3)
    page = agenda(client, f"date={day.isoformat()}")
    assert "Wings" in page and "The Cranes Are Flying" not in page
    assert f'value="{day.isoformat()}"' in page
    # The day is the heading of the list, once; each show's title is a level below it.
    headings = [" ".join(h.split()) for h in re.findall(r"<h\d[^>]*>([^<]*)<", page)]
    assert [h for h in headings if formats.date_format(day, "l j F") in h] == [
        formats.date_format(day, "l j F Y")
    ]
    assert 'class="day__title"' not in page
    assert re.search(r'<h3 class="screening__title">\s*<a href="[^"]+">Wings</a>', page)


def test_today_alone_says_today(client, today):
    page = agenda(client, f"date={today.isoformat()}")
    assert re.search(
        r'<h2 class="window">\s*Today,\s*' + formats.date_format(today, "l j F Y"), page
    )


def test_language_filter_matches_subtitles_or_spoken_language(client, tomorrow_show, dutch_show):
    english = agenda(client, "language=en")
    assert "The Cranes Are Flying" in english and "Wings" not in english
    russian = agenda(client, "language=ru")
    assert "The Cranes Are Flying" in russian and "Wings" in russian


def test_type_filter_separates_films_and_events(client, tomorrow_show, event_show):
    films = agenda(client, "type=films")
    assert "The Cranes Are Flying" in films and "Opening night" not in films
    events = agenda(client, "type=events")
    assert "Opening night" in events and "The Cranes Are Flying" not in events


def test_programme_filter_shows_its_films_and_events(client, tomorrow_show, dutch_show, event_show):
    page = agenda(client, "programme=russian-thaw")
    assert "The Cranes Are Flying" in page and "Opening night" in page
    assert "Wings" not in page


def test_a_dutch_programme_slug_works_on_the_english_agenda(client, tomorrow_show, dutch_show):
    page = agenda(client, "programme=russische-dooi")
    assert notes(page) == []
    assert "Wings" not in page
    assert '<option value="russian-thaw" selected>' in page
    assert (
        '<link rel="alternate" hreflang="nl" href="http://testserver/nl/agenda/?programme=russische-dooi">'
        in page
    )


def test_the_filter_survives_the_language_switch(client, tomorrow_show):
    page = agenda(client, "when=tomorrow&language=en&programme=russian-thaw")
    assert (
        'href="/nl/agenda/?when=tomorrow&amp;language=en&amp;programme=russische-dooi" hreflang="nl"'
        in page
    )


def test_this_weekend_is_friday_to_sunday_and_on_sunday_just_sunday():
    friday = datetime.date(2026, 11, 27)
    monday = friday + datetime.timedelta(days=3)
    assert weekend(monday).first_day == friday + datetime.timedelta(days=7)
    assert weekend(monday).last_day == friday + datetime.timedelta(days=9)
    assert (weekend(friday).first_day, weekend(friday).last_day) == (
        friday,
        friday + datetime.timedelta(days=2),
    )
    sunday = friday + datetime.timedelta(days=2)
    assert (weekend(sunday).first_day, weekend(sunday).last_day) == (sunday, sunday)


# --- bad input -----------------------------------------------------------------------------


def test_unknown_when_value_is_ignored_with_a_note(client, tomorrow_show):
    page = agenda(client, "when=someday")
    assert notes(page) == ["We ignored the when filter: that is not one of its choices."]
    assert "The Cranes Are Flying" in page


@pytest.mark.parametrize(
    ("query", "note"),
    [
        ("date=99999-01-01", "We ignored the date filter: that is not a date we can read"),
        ("date=9999-12-31", "We ignored the date filter: we plan no further than two years ahead."),
        ("date=2001-01-01", "We ignored the date filter: that day has passed."),
        ("date=tomorrow", "We ignored the date filter: that is not a date we can read"),
        ("start=9999-12-31", "We ignored the start date filter: we plan no further"),
        ("start=%00", "We ignored the start date filter"),
        ("language=xx", "We ignored the language filter: that is not one of its choices."),
        ("type=documentaries", "We ignored the type filter"),
        ("programme=no-such-thing", "We ignored the programme filter: we know no current"),
    ],
)
def test_bad_filter_values_are_ignored_with_a_note_never_an_error(
    client, tomorrow_show, query, note
):
    page = agenda(client, query)
    assert any(text.startswith(note) for text in notes(page)), notes(page)
    assert "The Cranes Are Flying" in page  # the rest of the agenda still shows


def test_bad_values_in_dutch_are_noted_too(client, tomorrow_show):
    page = agenda(client, "when=ooit&date=99999-01-01", language="nl")
    assert len(notes(page)) == 2
    assert '<html lang="nl">' in page


def test_repeated_parameters_count_with_their_last_value(client, tomorrow_show, dutch_show):
    page = agenda(client, "language=nl&language=en")
    assert "The Cranes Are Flying" in page and "Wings" not in page


def test_an_old_start_date_starts_today(client, tomorrow_show):
    page = agenda(client, "start=2001-01-01")
    assert notes(page) == []
    assert "The Cranes Are Flying" in page


def test_good_filters_still_apply_beside_a_bad_one(client, tomorrow_show, dutch_show):
    page = agenda(client, "language=en&when=whenever")
    assert len(notes(page)) == 1
    assert "The Cranes Are Flying" in page and "Wings" not in page


def test_canonical_address_keeps_only_valid_filters(client, tomorrow_show):
    page = agenda(client, "language=en&when=whenever&utm_source=x")
    assert '<link rel="canonical" href="http://testserver/en/whats-on/?language=en">' in page


def test_empty_day_has_a_friendly_message_and_ways_on(client, tomorrow_show, today):
    day = today + datetime.timedelta(days=5)
    page = agenda(client, f"date={day.isoformat()}&language=en")
    assert "Nothing that matches your choice is on that day." in page
    assert 'href="/en/whats-on/">Show everything that is on</a>' in page
    assert 'href="/en/">Back to the home page</a>' in page


def test_empty_day_links_to_the_next_matching_day(client, dutch_show, today):
    page = agenda(client, "when=today&language=nl")
    day = timezone.localtime(dutch_show.starts_at).date()
    assert f'href="/en/whats-on/?date={day.isoformat()}&amp;language=nl">The next one is on' in page


# --- screening rows ------------------------------------------------------------------------


def row_of(page: str, title: str) -> str:
    """The markup of the first screening row that shows `title`, up to the next row."""
    rows = [
        re.split(r"</main>|<section class=\"day\"", row)[0]
        for row in page.split('<li class="screening')[1:]
    ]
    matching = [row for row in rows if title in row]
    assert matching, title
    return matching[0]


def test_screening_row_shows_room_language_subtitles_format(client, tomorrow_show):
    row = row_of(agenda(client), "The Cranes Are Flying")
    assert "Cinema 1" in row
    assert "Russian" in row and "English subtitles" in row
    assert "35mm" in row


def test_accessibility_labels_are_shown_in_words(client, tomorrow_show):
    tomorrow_show.audio_description = True
    tomorrow_show.subtitles_for_deaf = True
    tomorrow_show.relaxed = True
    tomorrow_show.save()
    row = row_of(agenda(client), "The Cranes Are Flying")
    for label in (
        "Audio description",
        "Subtitles for the deaf and hard of hearing",
        "Relaxed screening",
    ):
        assert label in row


def test_a_shows_note_is_in_the_page_language_or_marked_dutch(client, tomorrow_show, dutch_show):
    tomorrow_show.note_nl, tomorrow_show.note_en = "met inleiding", "with an introduction"
    tomorrow_show.save()
    dutch_show.note_nl, dutch_show.note_en = "met nagesprek", ""
    dutch_show.save()
    page = agenda(client)
    assert '<p class="screening__note">with an introduction</p>' in row_of(page, "Cranes")
    assert '<p class="screening__note" lang="nl">met nagesprek</p>' in row_of(page, "Wings")
    dutch = agenda(client, language="nl")
    assert '<p class="screening__note">met inleiding</p>' in row_of(dutch, tomorrow_show.title)


def test_a_title_or_room_not_yet_translated_shows_in_dutch_marked_dutch(client, today):
    film = FilmFactory(title_nl="Vleugels", title_en="", slug_nl="vleugels", slug_en="wings")
    event = EventFactory(title_nl="Openingsavond", title_en="", slug_en="opening-night")
    room = AuditoriumFactory(name_nl="Zaal 4", name_en="")
    ScreeningFactory(
        film=film, auditorium=room, starts_at=at(today + datetime.timedelta(days=1), 18)
    )
    ScreeningFactory(film=None, event=event, starts_at=at(today + datetime.timedelta(days=2), 20))
    page = agenda(client)
    assert '<a href="/en/films/wings/" lang="nl">Vleugels</a>' in row_of(page, "Vleugels")
    assert "<span>Zaal 4</span>" in row_of(page, "Vleugels")
    assert '<a href="/en/events/opening-night/" lang="nl">Openingsavond</a>' in row_of(
        page, "Openingsavond"
    )
    dutch = agenda(client, language="nl")
    assert '<a href="/nl/films/vleugels/">Vleugels</a>' in row_of(dutch, "Vleugels")


def test_bookable_screening_has_a_ticket_link(client, tomorrow_show):
    row = row_of(agenda(client), "The Cranes Are Flying")
    assert f'<a class="button" href="{tomorrow_show.ticket_url}">Tickets' in row


def test_row_links_name_their_show_for_screen_readers_in_the_page_language(client, tomorrow_show):
    """Heard without the row around it, "Tickets" must still say which show it is for."""
    day = tomorrow_show.starts_at.date()
    with translation.override("en"):
        english_day = formats.date_format(day, "l j F")
    with translation.override("nl"):
        dutch_day = formats.date_format(day, "l j F")
    row = row_of(agenda(client), "The Cranes Are Flying")
    label = f'<span class="visually-hidden">: The Cranes Are Flying, {english_day} 20:30</span>'
    assert row.count(label) == 2  # tickets and calendar
    dutch_row = row_of(agenda(client, language="nl"), tomorrow_show.film.title_nl)
    assert f"{dutch_day} 20:30</span>" in dutch_row
    assert dutch_day != english_day


def test_a_show_without_subtitles_says_so_in_its_facts(client, tomorrow_show):
    tomorrow_show.subtitles = Subtitles.NONE
    tomorrow_show.save()
    row = row_of(agenda(client), "The Cranes Are Flying")
    assert re.search(r"Russian,\s*no subtitles", row)
    assert "English subtitles" not in row


def test_sold_out_screening_has_no_ticket_link(client, tomorrow_show):
    tomorrow_show.ticket_status = TicketStatus.SOLD_OUT
    tomorrow_show.save()
    row = row_of(agenda(client), "The Cranes Are Flying")
    assert tomorrow_show.ticket_url not in row
    assert "Sold out" in row
    assert "Add to calendar" in row


def test_cancelled_screening_says_so_and_offers_no_ticket_or_calendar(client, tomorrow_show):
    tomorrow_show.ticket_status = TicketStatus.CANCELLED
    tomorrow_show.save()
    row = row_of(agenda(client), "The Cranes Are Flying")
    assert "Cancelled" in row
    assert tomorrow_show.ticket_url not in row
    assert "Add to calendar" not in row


def test_few_tickets_left_is_said_in_words_beside_the_button(client, tomorrow_show):
    tomorrow_show.ticket_status = TicketStatus.FEW_LEFT
    tomorrow_show.save()
    row = row_of(agenda(client), "The Cranes Are Flying")
    assert "Few tickets left" in row
    assert tomorrow_show.ticket_url in row


def test_free_screening_says_free_entry_without_ticket_button(client, tomorrow_show):
    tomorrow_show.ticket_status = TicketStatus.FREE
    tomorrow_show.save()
    row = row_of(agenda(client), "The Cranes Are Flying")
    assert "Free entry" in row
    assert 'class="button"' not in row


def test_dutch_agenda_speaks_dutch(client, tomorrow_show):
    page = agenda(client, language="nl")
    assert '<html lang="nl">' in page
    assert 'href="/en/whats-on/" hreflang="en"' in page


# --- calendar files ------------------------------------------------------------------------


def test_screening_ics_parses_with_time_zone_uid_and_location(client, tomorrow_show):
    response = client.get(f"/en/screenings/{tomorrow_show.pk}.ics")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    assert "attachment" in response["Content-Disposition"]
    calendar = Calendar.from_ical(response.content)
    (timezone_block,) = calendar.walk("VTIMEZONE")
    assert str(timezone_block["TZID"]) == "Europe/Amsterdam"
    (event,) = calendar.walk("VEVENT")
    start = event.decoded("DTSTART")
    assert start == tomorrow_show.starts_at
    assert str(start.tzinfo) == "Europe/Amsterdam"
    assert event["DTSTART"].params["TZID"] == "Europe/Amsterdam"
    assert event.decoded("DTEND") - start == datetime.timedelta(minutes=97)
    assert str(event["UID"]) == f"screening-{tomorrow_show.pk}@testserver"
    assert "DTSTAMP" in event
    assert str(event["URL"]) == "http://testserver/en/films/the-cranes-are-flying/"
    assert str(event["SUMMARY"]) == "The Cranes Are Flying"
    location = str(event["LOCATION"])
    assert location.startswith("Cinema 1, Eye Filmmuseum")
    assert "IJpromenade 1" in location and "1031 KT Amsterdam" in location
    assert "English subtitles" in str(event["DESCRIPTION"])


def test_screening_ics_of_a_draft_is_not_found(client, tomorrow_show):
    tomorrow_show.film.status = PublicationStatus.DRAFT
    tomorrow_show.film.save()
    assert client.get(f"/en/screenings/{tomorrow_show.pk}.ics").status_code == 404


def test_cancelled_screening_is_cancelled_in_the_calendar(client, tomorrow_show):
    tomorrow_show.ticket_status = TicketStatus.CANCELLED
    tomorrow_show.save()
    calendar = Calendar.from_ical(client.get(f"/nl/voorstellingen/{tomorrow_show.pk}.ics").content)
    (event,) = calendar.walk("VEVENT")
    assert str(event["STATUS"]) == "CANCELLED"


def test_programme_feed_holds_its_upcoming_screenings(
    client, tomorrow_show, dutch_show, event_show
):
    response = client.get("/nl/programma/russische-dooi/agenda.ics")
    assert response.status_code == 200
    calendar = Calendar.from_ical(response.content)
    summaries = sorted(str(event["SUMMARY"]) for event in calendar.walk("VEVENT"))
    assert len(summaries) == 2
    assert "Wings" not in " ".join(summaries)
    assert str(calendar["X-WR-CALNAME"])
    assert len(calendar.walk("VTIMEZONE")) == 1

"""What machines read about a page: meta tags, Open Graph and schema.org JSON-LD.

Every address and date here is absolute (scheme, host; ISO 8601 with the UTC offset), because
search engines and social sites read these outside the page that carries them.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from django.utils.html import strip_tags
from django.utils.safestring import SafeString, mark_safe
from django.utils.text import Truncator

from screenings.listing import Show
from screenings.models import ScreeningFormat, Subtitles, TicketStatus

from .models import CreditRole, Event, Film, Person, Programme

SITE_NAME = "Eye Filmmuseum"
# The building every screening takes place in; the auditorium is named inside it.
VENUE = {
    "@type": "MovieTheater",
    "name": SITE_NAME,
    "screenCount": 4,
    "address": {
        "@type": "PostalAddress",
        "streetAddress": "IJpromenade 1",
        "postalCode": "1031 KT",
        "addressLocality": "Amsterdam",
        "addressCountry": "NL",
    },
}
OG_LOCALES = {"nl": "nl_NL", "en": "en_GB"}
DESCRIPTION_CHARS = 160
SCHEMA = "https://schema.org/"

Absolute = Callable[[str], str]


@dataclass
class PageMeta:
    """The title, description and picture a page shows to search engines and social sites."""

    title: str
    description: str = ""
    image: object = None  # an image field file; a 1200×630 JPEG rendition is made from it
    image_alt: str = ""
    og_type: str = "website"
    structured_data: list[dict] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.description = summary(self.description)


def summary(text: str) -> str:
    """One paragraph of plain text, short enough for a search result."""
    plain = " ".join(strip_tags(str(text or "")).split())
    return Truncator(plain).chars(DESCRIPTION_CHARS)


def to_json_ld(data: list[dict] | dict) -> SafeString:
    """JSON for a <script type="application/ld+json">, unable to close the script element."""
    if isinstance(data, list):
        data = {"@context": "https://schema.org", "@graph": data}
    else:
        data = {"@context": "https://schema.org", **data}
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    # The same escapes as Django's json_script: no "</script>" or "<!--" can appear.
    text = text.replace("<", "\\u003C").replace(">", "\\u003E").replace("&", "\\u0026")
    return mark_safe(text)  # escaped above


def venue(auditorium: str = "") -> dict:
    """The building; with an auditorium's name, the room inside it."""
    place = dict(VENUE)
    if auditorium:
        place["containsPlace"] = {"@type": "Place", "name": auditorium}
    return place


def organizer(absolute: Absolute) -> dict:
    return {"@type": "Organization", "name": SITE_NAME, "url": absolute("/")}


def person_ref(person: Person, absolute: Absolute) -> dict:
    return {"@type": "Person", "name": person.name, "url": absolute(person.get_absolute_url())}


def movie_ref(title: str, url: str, absolute: Absolute) -> dict:
    """A schema.org Movie named by its title and page, as a show or an event names it."""
    return {"@type": "Movie", "@id": absolute(url) + "#movie", "name": title, "url": absolute(url)}


def movie(film: Film, absolute: Absolute, full: bool = True) -> dict:
    """A schema.org Movie; `full` adds credits, which need the film's prefetched credits."""
    data = movie_ref(film.title, film.get_absolute_url(), absolute)
    if not full:
        return data
    data.update(
        {
            "dateCreated": str(film.year),
            "duration": f"PT{film.runtime}M",
            "countryOfOrigin": [
                {"@type": "Country", "name": str(country.name)} for country in film.countries
            ],
        }
    )
    if film.original_title:
        data["alternateName"] = film.original_title
    if film.language_codes:
        data["inLanguage"] = film.language_codes
    if film.synopsis:
        data["description"] = summary(film.synopsis)
    if film.poster:
        data["image"] = absolute(film.poster.url)
    if film.age_rating:
        data["contentRating"] = f"Kijkwijzer {film.age_rating}"
    credits = list(film.credits.all())
    for role, key in ((CreditRole.DIRECTOR, "director"), (CreditRole.CAST, "actor")):
        people = [person_ref(c.person, absolute) for c in credits if c.role == role]
        if people:
            data[key] = people
    return data


AVAILABILITY = {
    TicketStatus.ON_SALE: "InStock",
    TicketStatus.FEW_LEFT: "LimitedAvailability",
    TicketStatus.SOLD_OUT: "SoldOut",
    TicketStatus.FREE: "InStock",
}


def offer(show: Show, absolute: Absolute) -> dict | None:
    availability = AVAILABILITY.get(show.ticket_status)
    if availability is None:  # cancelled: nothing to offer
        return None
    data = {
        "@type": "Offer",
        "availability": SCHEMA + availability,
        "url": show.ticket_url or absolute(show.url),
    }
    if show.ticket_status == TicketStatus.FREE:
        data.update(price="0", priceCurrency="EUR")
    return data


def screening_events(shows: Iterable[Show], absolute: Absolute) -> list[dict]:
    """ScreeningEvents for the shows of one film or event, on that film's or event's own page.

    Not on listings (agenda, programme, home): Google reads an event from the page that is about
    it ("each event must have a unique URL, a leaf page, and markup on that URL", its Event
    structured data guidelines), and its list-page carousels take courses, films, recipes and
    restaurants, not events. On the week's agenda they were 112 KB of 329 KB of HTML.
    What belongs to a film, an event or a room is worked out once, not once per show."""
    memo: dict = {}
    return [_screening_event(show, absolute, memo) for show in shows]


def _screening_event(show: Show, absolute: Absolute, memo: dict) -> dict:
    """A ScreeningEvent for a film's show; an Event featuring the film(s) for a special event."""
    subject_key = ("film", show.film_id) if show.film_id else ("event", show.event_id)
    if subject_key not in memo:
        memo[subject_key] = {
            "url": absolute(show.url),
            "work": movie_ref(show.title, show.url, absolute) if show.film_id else None,
        }
    subject = memo[subject_key]
    place_key = ("room", show.auditorium_id)
    if place_key not in memo:
        memo[place_key] = venue(show.auditorium)
    if "organizer" not in memo:
        memo["organizer"] = organizer(absolute)
    data = {
        "@type": "ScreeningEvent" if show.film_id else "Event",
        "name": show.title,
        "url": subject["url"],
        "startDate": show.start_iso,
        "endDate": show.end_iso,
        "eventStatus": SCHEMA + ("EventCancelled" if show.cancelled else "EventScheduled"),
        "eventAttendanceMode": SCHEMA + "OfflineEventAttendanceMode",
        "location": memo[place_key],
        "organizer": memo["organizer"],
    }
    if show.film_id:
        data["workPresented"] = subject["work"]
        if show.format_code != ScreeningFormat.DIGITAL:
            data["videoFormat"] = show.format
        if show.subtitles_code != Subtitles.NONE:
            data["subtitleLanguage"] = show.subtitles_code
    if show.spoken_language:
        data["inLanguage"] = show.spoken_language
    if show.note:
        data["description"] = show.note
    ticket = offer(show, absolute)
    if ticket:
        data["offers"] = ticket
    return data


def event(event: Event, shows: Iterable[Show], absolute: Absolute) -> list[dict]:
    """The event once per show (a schema.org Event has one start), or once without a date."""
    films = list(event.films.all())
    base = {
        "@type": "Event",
        "name": event.title,
        "url": absolute(event.get_absolute_url()),
        "eventAttendanceMode": SCHEMA + "OfflineEventAttendanceMode",
        "location": venue(),
        "organizer": organizer(absolute),
    }
    if event.intro:
        base["description"] = summary(event.intro)
    image = event.image or next((f.poster for f in films if f.poster), None)
    if image:
        base["image"] = absolute(image.url)
    if films:
        base["workFeatured"] = [movie(film, absolute, full=False) for film in films]
    performers = [person_ref(c.person, absolute) for c in event.contributors.all()]
    if performers:
        base["performer"] = performers
    if event.programme_id and event.programme.is_public:
        base["superEvent"] = programme_series(event.programme, absolute, full=False)
    dated = [
        {**show, **base, "location": show["location"]} for show in screening_events(shows, absolute)
    ]
    if not dated:
        base["duration"] = f"PT{event.duration}M"
        return [base]
    return dated


def programme_series(programme: Programme, absolute: Absolute, full: bool = True) -> dict:
    data = {
        "@type": "EventSeries",
        "name": programme.title,
        "url": absolute(programme.get_absolute_url()),
    }
    if not full:
        return data
    data.update(
        startDate=programme.starts_on.isoformat(),
        endDate=programme.ends_on.isoformat(),
        location=venue(),
        eventAttendanceMode=SCHEMA + "OfflineEventAttendanceMode",
        organizer=organizer(absolute),
    )
    if programme.intro:
        data["description"] = summary(programme.intro)
    if programme.campaign_image:
        data["image"] = absolute(programme.campaign_image.url)
    return data


def person(person: Person, absolute: Absolute) -> dict:
    data = person_ref(person, absolute)
    if person.bio:
        data["description"] = summary(person.bio)
    return data


def theater(absolute: Absolute) -> dict:
    return {**venue(), "url": absolute("/")}


def website(absolute: Absolute) -> dict:
    return {
        "@type": "WebSite",
        "name": SITE_NAME,
        "url": absolute("/"),
        "publisher": theater(absolute),
    }

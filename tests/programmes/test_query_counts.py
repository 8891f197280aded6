"""Each visitor page costs the same number of queries however much is in the database.

Every page is counted twice: on a small data set, then after the data has grown ten times (more
films in the programme, more screenings each day, more credits, stills and performers). Picture
renditions are drawn (as a worker does after a save), and their state read by a first render,
before counting.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

import pytest
from django.core.cache import caches
from django.core.files.storage import default_storage
from django.utils import timezone

from eye_site import cache as page_cache
from programmes.models import CreditRole, Event, Film, Person, Programme
from screenings.models import Auditorium, Screening, Subtitles, TicketStatus
from tests.factories import (
    AuditoriumFactory,
    CreditFactory,
    EventContributorFactory,
    EventFactory,
    FilmFactory,
    PersonFactory,
    ProgrammeFactory,
    ScreeningFactory,
    StillFactory,
    draw_pictures,
    image_file,
)

pytestmark = pytest.mark.django_db

SMALL = 2


def shared(name: str, size: tuple[int, int]) -> str:
    """One stored file for every film or still that shows it, as in the bench's data: the
    pictures are drawn once, and the page's queries are what is counted."""
    if not default_storage.exists(name):
        default_storage.save(name, image_file(name, size))
    return name


def poster() -> dict:
    return {
        "poster": shared("posters/poster.jpg", (64, 96)),
        "poster_alt_nl": "Affiche",
        "poster_alt_en": "Poster",
    }


LARGE = SMALL * 10


@dataclass
class Data:
    programme: Programme
    film: Film
    event: Event
    director: Person
    auditoriums: list[Auditorium]
    films: list[Film] = field(default_factory=list)
    screening: Screening | None = None


def add_films(data: Data, count: int) -> None:
    """Films in the programme, directed by the same person, each shown twice in the coming days."""
    now = timezone.now()
    for number in range(count):
        film = FilmFactory(**poster())
        film.programmes.add(data.programme)
        CreditFactory(film=film, person=data.director, role=CreditRole.DIRECTOR)
        CreditFactory(film=film, role=CreditRole.CAST, character="Veronika")
        StillFactory(film=film, image=shared("stills/still.jpg", (160, 90)))
        data.event.films.add(film)
        EventContributorFactory(event=data.event)
        offset = len(data.films)
        rooms = len(data.auditoriums)
        for day in range(2):
            # Taking turns in the rooms, one show after another in each (no two overlap).
            ScreeningFactory(
                film=film,
                auditorium=data.auditoriums[offset % rooms],
                starts_at=now + datetime.timedelta(days=day, minutes=30 + 100 * (offset // rooms)),
                subtitles=(Subtitles.ENGLISH, Subtitles.DUTCH)[offset % 2],
                ticket_status=(TicketStatus.ON_SALE, TicketStatus.SOLD_OUT)[offset % 2],
                audio_description=bool(offset % 3 == 0),
            )
        # The film whose page is counted gets more of everything too.
        StillFactory(film=data.film, image=shared("stills/still.jpg", (160, 90)))
        CreditFactory(film=data.film, role=CreditRole.CAST, character=f"Part {number}")
        # Minutes apart, so each in a room of its own.
        ScreeningFactory(
            film=data.film,
            starts_at=now + datetime.timedelta(days=1, hours=1, minutes=offset),
        )
        ScreeningFactory(
            film=None,
            event=data.event,
            starts_at=now + datetime.timedelta(days=2, hours=1, minutes=offset),
        )
        data.films.append(film)


@pytest.fixture
def data() -> Data:
    programme = ProgrammeFactory(
        campaign_image=image_file("campaign.jpg", (160, 90)),
        campaign_image_alt_nl="Campagnebeeld",
        campaign_image_alt_en="Campaign image",
    )
    director = PersonFactory()
    film = FilmFactory(**poster())
    film.programmes.add(programme)
    CreditFactory(film=film, person=director, role=CreditRole.DIRECTOR)
    event = EventFactory(programme=programme, featured=True)
    event.films.add(film)
    auditoriums = AuditoriumFactory.create_batch(3)
    data = Data(programme, film, event, director, auditoriums)
    data.screening = ScreeningFactory(film=film)  # in a room of its own
    add_films(data, SMALL)
    return data


PAGES = {
    "home": lambda d: "/en/",
    "agenda": lambda d: "/en/whats-on/",
    "agenda filtered": lambda d: (
        f"/en/whats-on/?when=week&language=en&type=films&programme={d.programme.slug_en}"
    ),
    "agenda with a bad value": lambda d: "/nl/agenda/?when=someday&date=99999-01-01",
    "programme": lambda d: f"/en/programmes/{d.programme.slug_en}/",
    "programmes index": lambda d: "/nl/programma/",
    "films index": lambda d: "/en/films/",
    "films index filtered": lambda d: (
        f"/nl/films/?decade=1950&country=SU&language=ru&programme={d.programme.slug_nl}&soon=1"
    ),
    "films index past its last page": lambda d: "/en/films/?page=40&country=XX",
    # Every film of the data has this original title: the matches grow with the data.
    "search": lambda d: "/en/search/?q=zhuravli",
    "search, a person's name": lambda d: f"/nl/zoeken/?q={d.director.name}",
    "search with nothing to search": lambda d: "/en/search/?q=%25",
    "search suggestions": lambda d: "/en/search/suggestions/?q=zhuravl",
    "film": lambda d: f"/nl/films/{d.film.slug_nl}/",
    "event": lambda d: f"/en/events/{d.event.slug_en}/",
    "person": lambda d: f"/en/people/{d.director.slug}/",
    "screening .ics": lambda d: f"/en/screenings/{d.screening.pk}.ics",
    "programme .ics": lambda d: f"/en/programmes/{d.programme.slug_en}/calendar.ics",
}

# Queries per page. If a change moves one of these, it should be on purpose: say why.
EXPECTED = {
    # programmes, featured events (+ their films, stills, next screenings), screenings, footer
    "home": 7,
    # language and programme choices, the window's screenings, the next match, footer
    "agenda": 5,
    "agenda filtered": 5,
    "agenda with a bad value": 5,
    # programme, its films (+ credits), events, the week's screenings, footer
    "programme": 6,
    # programmes with their counts of films and events, footer
    "programmes index": 2,
    # the filter's choices, a page of films (+ director, next show, how many in all), footer
    "films index": 3,
    "films index filtered": 3,
    # … and how many films there are, since the page has none to say it
    "films index past its last page": 4,
    # films (+ director, next show), events, programmes and people in one statement, footer
    "search": 2,
    "search, a person's name": 2,
    # … or only the footer
    "search with nothing to search": 1,
    # the same statement, no page around it
    "search suggestions": 1,
    # film (+ credits, stills, programmes), screenings, footer
    "film": 6,
    # event (+ contributors, films, their credits and stills), screenings, footer
    "event": 7,
    # person, credits, contributions, screenings, footer
    "person": 5,
    "screening .ics": 1,
    # programme, screenings
    "programme .ics": 2,
}


@pytest.fixture(autouse=True)
def rendering_only(settings):
    # Count the work of rendering, not a cached copy of the page.
    settings.PAGE_CACHE_SECONDS = 0
    # sorl remembers renditions in the cache; room for all of them, as Redis has in production
    # (local memory keeps 300 entries by default, and the large set has more renditions).
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": "query-counts",
            "OPTIONS": {"MAX_ENTRIES": 100_000},
        }
    }
    # Local memory of one name is one store for every test: nothing kept by the one before.
    caches["default"].clear()


def count(client, django_assert_num_queries, url: str, expected: int) -> None:
    draw_pictures()
    assert client.get(url).status_code == 200  # warms what the pictures' states are
    # Counted as the first render after an edit, the dearest: nothing kept per content version.
    page_cache.bump_version()
    with django_assert_num_queries(expected):
        response = client.get(url)
    assert response.status_code == 200


@pytest.mark.parametrize("page", PAGES)
def test_queries_per_page_do_not_grow_with_the_data(client, data, django_assert_num_queries, page):
    url = PAGES[page](data)
    count(client, django_assert_num_queries, url, EXPECTED[page])
    add_films(data, LARGE - SMALL)
    assert Screening.objects.count() >= 10 * SMALL * 2
    count(client, django_assert_num_queries, url, EXPECTED[page])

"""Search: films, events, programmes and people by their names in either language, the
original's, transliterations visitors type, Cyrillic and typos; ranked; never an error page."""

from __future__ import annotations

import datetime
import html
import re

import pytest
from django.db import connection
from django.utils import timezone

from programmes.models import CreditRole, Film
from screenings.models import TicketStatus
from tests.demo import load_demo
from tests.factories import (
    CreditFactory,
    EventFactory,
    FilmFactory,
    PersonFactory,
    ProgrammeFactory,
    ScreeningFactory,
)

pytestmark = pytest.mark.django_db

ON_POSTGRESQL = connection.vendor == "postgresql"
GROUPS = {"films": "film", "events": "event", "programmes": "programme", "people": "person"}


@pytest.fixture(autouse=True)
def no_page_cache(settings):
    settings.PAGE_CACHE_SECONDS = 0


def found(page: str) -> dict[str, list[str]]:
    """Each group's titles, in the order the page lists them."""
    groups = {}
    for group in GROUPS:
        section = re.search(
            rf'<section [^>]*aria-labelledby="search-{group}">(.*?)</section>', page, re.S
        )
        titles = (
            re.findall(r'<h3 class="search-hit__title"><a [^>]*>([^<]+)</a>', section[1])
            if section
            else []
        )
        groups[group] = [html.unescape(title) for title in titles]
    return groups


def search(client, language: str, query: str) -> dict[str, list[str]]:
    path = "/en/search/" if language == "en" else "/nl/zoeken/"
    response = client.get(path, {"q": query})
    assert response.status_code == 200
    return found(response.content.decode())


# (page language, what the visitor types, group, a title it must find, SQLite finds it too)
TABLE = [
    # A film by its title in the other language, by its original in any transliteration.
    ("en", "kraanvogels", "films", "The Cranes Are Flying", True),
    ("en", "zhuravli", "films", "The Cranes Are Flying", True),
    ("en", "Letjat zjoeravli", "films", "The Cranes Are Flying", True),
    ("en", "Летят журавли", "films", "The Cranes Are Flying", True),
    ("en", "the cranes are flying", "films", "The Cranes Are Flying", True),
    ("en", "flying cranes", "films", "The Cranes Are Flying", True),
    ("nl", "cranes", "films", "Als de kraanvogels overvliegen", True),
    ("nl", "Als de kraanvogels", "films", "Als de kraanvogels overvliegen", True),
    ("en", "jeugd van ivan", "films", "Ivan’s Childhood", True),
    ("en", "ivans childhood", "films", "Ivan’s Childhood", True),
    ("en", "Ivanovo detstvo", "films", "Ivan’s Childhood", True),
    ("en", "Andrej Roebljov", "films", "Andrei Rublev", True),
    ("nl", "Andrei Rublyov", "films", "Andrej Roebljov", True),
    ("en", "Крылья", "films", "Wings", True),
    ("en", "soldier ballad", "films", "Ballad of a Soldier", True),
    ("nl", "Ya Kuba", "films", "Soy Cuba", True),
    ("en", "Mne dvadzat let", "films", "I Am Twenty", True),
    # People in English, Dutch and German spellings, in Cyrillic, without accents.
    ("en", "Tarkovski", "people", "Andrei Tarkovsky", True),
    ("en", "Tarkowskij", "people", "Andrei Tarkovsky", True),
    ("nl", "Тарковский", "people", "Andrei Tarkovsky", True),
    ("en", "Choetsiev", "people", "Marlen Khutsiev", True),
    ("en", "Chuzijew", "people", "Marlen Khutsiev", True),
    ("en", "Калатозов", "people", "Mikhail Kalatozov", True),
    ("nl", "Kalatozow", "people", "Mikhail Kalatozov", True),
    ("en", "Sjepitko", "people", "Larisa Shepitko", True),
    ("nl", "Jevtoesjenko", "people", "Yevgeni Yevtushenko", True),
    ("en", "Konchalovskiy", "people", "Andrei Konchalovsky", True),
    ("en", "Sergéi Paradjanov", "people", "Sergei Parajanov", False),
    ("nl", "Fateev", "people", "Oleg Fateev", True),
    # Programmes and events by their titles in either language.
    ("en", "Russische Dooi", "programmes", "Russian Thaw", True),
    ("nl", "russian thaw", "programmes", "Russische Dooi", True),
    ("en", "opening", "events", "Opening Russian Thaw: The Cranes are Flying", True),
    # One or two wrong letters: PostgreSQL's trigrams; SQLite's fallback has none.
    ("en", "Tarkofsky", "people", "Andrei Tarkovsky", False),
    ("en", "Kalatasov", "people", "Mikhail Kalatozov", False),
    ("nl", "Mikhial Kalatozov", "people", "Mikhail Kalatozov", False),
    ("en", "Rusian Thaw", "programmes", "Russian Thaw", False),
    ("en", "kraanvogles", "films", "The Cranes Are Flying", False),
]


@pytest.fixture
def demo():
    load_demo()


def test_the_search_table(client, demo):
    """Every row of TABLE in one test (the demo loads once); a failure names every row missed.
    Rows marked for PostgreSQL only are left out on SQLite, whose fallback has no trigrams."""
    missed = []
    for language, query, group, title, on_sqlite in TABLE:
        if not on_sqlite and not ON_POSTGRESQL:
            continue
        results = search(client, language, query)
        if title not in results[group]:
            missed.append(f"{language} {query!r}: no {title!r} in {group}, found {results}")
    assert not missed, "\n".join(missed)


@pytest.mark.skipif(not ON_POSTGRESQL, reason="fuzzy matching needs PostgreSQL's pg_trgm")
def test_a_misspelling_is_found_after_the_exact_matches(client, demo):
    results = search(client, "en", "Tarkovsky")
    assert results["people"][0] == "Andrei Tarkovsky"


def test_exact_title_before_prefix_before_other_words(client):
    FilmFactory(title_en="Solaris Rising", title_nl="Solaris Rijst", original_title="")
    FilmFactory(title_en="Solaris", title_nl="Solaris", original_title="")
    FilmFactory(title_en="Return to Solaris", title_nl="Terug naar Solaris", original_title="")
    assert search(client, "en", "solaris")["films"] == [
        "Solaris",
        "Solaris Rising",
        "Return to Solaris",
    ]


def test_coming_screenings_before_the_archive(client):
    archived = FilmFactory(title_en="Mirror", title_nl="De spiegel", original_title="Zerkalo")
    coming = FilmFactory(title_en="Mirror", title_nl="Spiegel", original_title="Zerkalo")
    ScreeningFactory(film=coming, starts_at=timezone.now() + datetime.timedelta(days=2))
    ScreeningFactory(film=archived, starts_at=timezone.now() - datetime.timedelta(days=200))
    page = client.get("/en/search/", {"q": "zerkalo"}).content.decode()
    assert found(page)["films"] == ["Mirror", "Mirror"]
    assert page.index(coming.get_absolute_url()) < page.index(archived.get_absolute_url())
    assert page.count("No screenings planned") == 1


def test_people_with_a_film_still_to_be_shown_come_first(client):
    archive = PersonFactory(name="Andrei Tarkovsky")
    coming = PersonFactory(name="Andrei Tarkovsky")
    film = FilmFactory()
    CreditFactory(film=film, person=coming, role=CreditRole.DIRECTOR)
    ScreeningFactory(film=film, starts_at=timezone.now() + datetime.timedelta(days=2))
    page = client.get("/en/search/", {"q": "tarkovski"}).content.decode()
    assert page.index(coming.get_absolute_url()) < page.index(archive.get_absolute_url())


def test_a_film_shows_its_next_screening_and_director(client):
    film = FilmFactory(title_en="Stalker", title_nl="Stalker", original_title="Сталкер")
    CreditFactory(film=film, role=CreditRole.DIRECTOR, person=PersonFactory(name="A. Tarkovsky"))
    start = timezone.now() + datetime.timedelta(days=3)
    ScreeningFactory(film=film, starts_at=start)
    page = client.get("/en/search/", {"q": "Сталкер"}).content.decode()
    assert "A. Tarkovsky, " in page
    assert f'datetime="{timezone.localtime(start).isoformat()}"' in page


def test_a_renamed_film_is_found_by_its_new_title_only(client):
    film = FilmFactory(title_en="Working Title", title_nl="Werktitel", original_title="")
    film.title_en = "Nostalghia"
    film.save()
    assert search(client, "en", "nostalghia")["films"] == ["Nostalghia"]
    assert search(client, "en", "working title")["films"] == []
    person = PersonFactory(name="Person X")
    person.name = "Otar Iosseliani"
    person.save(update_fields=["name"])
    assert search(client, "nl", "Ioseliani")["people"] == ["Otar Iosseliani"]


def test_a_dutch_title_standing_in_on_the_english_page_says_it_is_dutch(client):
    FilmFactory(title_nl="Het zwijgen", title_en="", original_title="")
    page = client.get("/en/search/", {"q": "zwijgen"}).content.decode()
    assert re.search(r'<a href="/en/films/[^"]+" lang="nl">Het zwijgen</a>', page)
    dutch = client.get("/nl/zoeken/", {"q": "zwijgen"}).content.decode()
    assert re.search(r'<a href="/nl/films/[^"]+">Het zwijgen</a>', dutch)


def test_drafts_are_not_found(client):
    FilmFactory(title_en="Hidden Draft", status="draft")
    assert search(client, "en", "hidden draft")["films"] == []


def test_what_is_scheduled_for_later_is_not_found_yet(client):
    later = timezone.now() + datetime.timedelta(days=1)
    FilmFactory(title_en="Solaris", publish_from=later)
    EventFactory(title_en="Solaris night", publish_from=later)
    ProgrammeFactory(title_en="Solaris season", publish_from=later)
    assert search(client, "en", "solaris") == {group: [] for group in GROUPS}
    FilmFactory(title_en="Stalker", publish_from=timezone.now() - datetime.timedelta(minutes=1))
    assert search(client, "en", "stalker")["films"] == ["Stalker"]


def test_the_next_screening_is_the_next_one_not_cancelled(client):
    film = FilmFactory(title_en="Stalker", title_nl="Stalker", original_title="Сталкер")
    now = timezone.now()
    ScreeningFactory(film=film, starts_at=now - datetime.timedelta(days=3))
    ScreeningFactory(
        film=film,
        starts_at=now + datetime.timedelta(days=1),
        ticket_status=TicketStatus.CANCELLED,
    )
    next_start = ScreeningFactory(film=film, starts_at=now + datetime.timedelta(days=2)).starts_at
    event = EventFactory(title_en="Stalker night")
    ScreeningFactory(film=None, event=event, starts_at=now + datetime.timedelta(days=4))
    page = client.get("/en/search/", {"q": "stalker"}).content.decode()
    assert found(page)["films"] == ["Stalker"]
    assert found(page)["events"] == ["Stalker night"]
    starts = re.findall(r'<time datetime="([^"]+)"', page)
    assert starts == [
        timezone.localtime(next_start).isoformat(),
        timezone.localtime(now + datetime.timedelta(days=4)).isoformat(),
    ]


def test_many_matches_are_cut_with_a_note(client):
    FilmFactory.create_batch(26, original_title="Zerkalo")
    page = client.get("/en/search/", {"q": "zerkalo"}).content.decode()
    assert len(found(page)["films"]) == 24
    assert "More films match" in page


HOSTILE = {
    "empty": ("", "Type a title or a name", "Typ een titel of een naam"),
    "blank": ("   \t ", "Type a title or a name", "Typ een titel of een naam"),
    "one letter": ("k", "Type at least 2 letters.", "Typ minstens 2 letters."),
    "one Cyrillic letter": ("ж", "Type at least 2 letters.", "Typ minstens 2 letters."),
    "NUL bytes": ("\x00\x00", "Type a title or a name", "Typ een titel of een naam"),
    "percent": ("%", "Search with letters or digits", "Zoek met letters of cijfers"),
    "underscore": ("__", "Search with letters or digits", "Zoek met letters of cijfers"),
    "backslash": ("\\", "Search with letters or digits", "Zoek met letters of cijfers"),
    "quotes": ("'\"", "Search with letters or digits", "Zoek met letters of cijfers"),
    "emoji": ("🎬🍿", "Search with letters or digits", "Zoek met letters of cijfers"),
}


@pytest.mark.parametrize("case", HOSTILE)
@pytest.mark.parametrize("language", ["en", "nl"])
def test_bad_input_gets_a_clear_page_in_the_visitors_language(client, case, language):
    query, english, dutch = HOSTILE[case]
    path = "/en/search/" if language == "en" else "/nl/zoeken/"
    response = client.get(path, {"q": query})
    assert response.status_code == 200
    assert (english if language == "en" else dutch) in response.content.decode()
    suggestions = client.get(
        f"{path}{'suggestions' if language == 'en' else 'suggesties'}/", {"q": query}
    )
    assert suggestions.status_code == 200
    assert suggestions.json()["suggestions"] == []


def test_nul_bytes_wildcards_and_quotes_among_letters_are_only_spaces(client):
    FilmFactory(title_en="Ivan's Childhood", title_nl="De jeugd van Ivan", original_title="")
    for query in ("ivan\x00", "\x00ivan", "ivan%", "ivan_", "ivan\\", '"ivan\'s"', "ivan's 🎬"):
        assert search(client, "en", query)["films"] == ["Ivan's Childhood"], query
    # A wildcard is no wildcard: "%" does not match every film.
    FilmFactory(title_en="Zerkalo", original_title="")
    assert search(client, "en", "i%n")["films"] == []


def test_markup_is_shown_escaped(client):
    response = client.get("/en/search/", {"q": "<script>alert(1)</script><b>x"})
    page = response.content.decode()
    assert response.status_code == 200
    assert "<script>alert(1)" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;&lt;b&gt;x" in page
    assert "<b>x" not in page


def test_right_to_left_text_is_searched_and_shown(client):
    FilmFactory(title_en="The Film", title_nl="De film", original_title="فيلم")
    response = client.get("/nl/zoeken/", {"q": "فيلم"})
    assert response.status_code == 200
    assert found(response.content.decode())["films"] == ["De film"]
    assert 'value="فيلم"' in response.content.decode()


@pytest.mark.parametrize("language", ["en", "nl"])
def test_a_very_long_query_is_cut_with_a_note(client, language):
    FilmFactory(title_en="Solaris", title_nl="Solaris", original_title="")
    path = "/en/search/" if language == "en" else "/nl/zoeken/"
    response = client.get(path, {"q": "solaris " + "x" * 300})
    page = response.content.decode()
    assert response.status_code == 200
    note = {
        "en": "we searched for its first 200 characters",
        "nl": "we zochten op de eerste 200 tekens",
    }
    assert note[language] in page
    value = re.search(r'id="search-q" type="search" name="q" value="([^"]*)"', page)[1]
    assert len(value) == 200


def test_search_is_not_for_search_engines(client):
    page = client.get("/en/search/", {"q": "solaris"}).content.decode()
    assert '<meta name="robots" content="noindex">' in page
    sitemap = client.get("/sitemap.xml").content.decode()
    assert "/search/" not in sitemap and "/zoeken/" not in sitemap


def test_every_page_has_the_search_box_leading_to_the_search_page_in_its_language(client):
    english = client.get("/en/films/").content.decode()
    dutch = client.get("/nl/films/").content.decode()
    assert re.search(
        r'<form class="site-search" role="search" method="get" action="/en/search/"', english
    )
    assert re.search(
        r'<form class="site-search" role="search" method="get" action="/nl/zoeken/"', dutch
    )
    assert 'data-suggestions="/en/search/suggestions/"' in english


def test_the_language_switch_keeps_the_query(client):
    page = client.get("/en/search/", {"q": "Tarkovski"}).content.decode()
    assert 'href="/nl/zoeken/?q=Tarkovski" hreflang="nl"' in page


def test_suggestions_are_at_most_ten_best_first(client):
    FilmFactory(title_en="Zerkalo", title_nl="De spiegel", original_title="Zerkalo")
    FilmFactory.create_batch(12, original_title="Zerkalo Two")
    response = client.get("/en/search/suggestions/", {"q": "zerkalo"})
    suggestions = response.json()["suggestions"]
    assert response["Content-Type"] == "application/json"
    assert len(suggestions) == 10
    first = Film.objects.get(title_en="Zerkalo")
    assert suggestions[0] == {
        "title": "Zerkalo",
        "kind": "Film",
        "url": first.get_absolute_url(),
        "lang": "",
    }


def test_suggestions_are_in_the_pages_language(client):
    FilmFactory(title_en="Mirror", title_nl="De spiegel", original_title="Zerkalo")
    PersonFactory(name="Zerkalo Person")
    dutch = client.get("/nl/zoeken/suggesties/", {"q": "zerkalo"}).json()["suggestions"]
    assert [(s["title"], s["kind"]) for s in dutch] == [
        ("De spiegel", "Film"),
        ("Zerkalo Person", "Persoon"),
    ]
    assert dutch[0]["url"].startswith("/nl/films/")

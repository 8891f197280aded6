"""The films index: every published film A–Z in the page's language, filtered, paged, each card
with its poster, titles, director, year and next screening."""

from __future__ import annotations

import datetime
import re

import pytest
from django.utils import timezone

from programmes.models import CreditRole, PublicationStatus
from screenings.forms import FILMS_PAGE_SIZE as PAGE_SIZE
from screenings.models import TicketStatus
from tests.factories import (
    CreditFactory,
    FilmFactory,
    PersonFactory,
    ProgrammeFactory,
    ScreeningFactory,
    image_file,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def no_page_cache(settings):
    settings.PAGE_CACHE_SECONDS = 0


def card_titles(page: str) -> list[str]:
    return re.findall(r'<h3 class="card__title"[^>]*>([^<]+)</h3>', page)


def film(title_en: str, title_nl: str = "", **fields):
    slug = re.sub(r"[^a-z0-9]+", "-", title_en.lower()).strip("-")
    return FilmFactory(
        title_en=title_en,
        title_nl=title_nl or f"{title_en} (nl)",
        slug_en=slug,
        slug_nl=f"{slug}-nl",
        **fields,
    )


def in_days(days: float) -> datetime.datetime:
    return timezone.now() + datetime.timedelta(days=days)


def test_films_are_sorted_by_title_in_the_pages_language_without_leading_articles(client):
    film("The Cranes Are Flying", "Als de kraanvogels overvliegen")
    film("A Man Escaped", "Een veroordeelde ontsnapt")
    film("Ballad of a Soldier", "De ballade van een soldaat")
    film("Andrei Rublev", "Andrej Roebljov")
    # No English title: the Dutch one stands in on English pages and sorts as Dutch.
    FilmFactory(title_nl="Het zwijgen", title_en="", slug_nl="zwijgen", slug_en="the-silence")

    english = card_titles(client.get("/en/films/").content.decode())
    assert english == [
        "Andrei Rublev",
        "Ballad of a Soldier",
        "The Cranes Are Flying",
        "A Man Escaped",
        "Het zwijgen",
    ]
    dutch = card_titles(client.get("/nl/films/").content.decode())
    assert dutch == [
        "Als de kraanvogels overvliegen",
        "Andrej Roebljov",
        "De ballade van een soldaat",
        "Een veroordeelde ontsnapt",
        "Het zwijgen",
    ]


def test_a_renamed_film_moves_to_its_new_place(client):
    moved = film("Zero for Conduct")
    film("Mirror")
    moved.title_en = "The Amateur"
    moved.save(update_fields=["title_en"])
    assert card_titles(client.get("/en/films/").content.decode()) == ["The Amateur", "Mirror"]


def test_drafts_are_not_listed(client):
    film("Public Film")
    film("Secret Draft", status=PublicationStatus.DRAFT)
    assert card_titles(client.get("/en/films/").content.decode()) == ["Public Film"]


def test_a_card_shows_poster_titles_director_year_and_the_next_screening(client):
    cranes = film(
        "The Cranes Are Flying",
        original_title="Letyat zhuravli",
        year=1957,
        poster=image_file("poster.jpg", (200, 300)),
        poster_alt_nl="affiche",
        poster_alt_en="poster of the cranes",
    )
    CreditFactory(film=cranes, person=PersonFactory(name="Mikhail Kalatozov"))
    CreditFactory(
        film=cranes, person=PersonFactory(name="Sergei Urusevsky"), role="cinematographer"
    )
    ScreeningFactory(film=cranes, starts_at=in_days(-3))  # over
    ScreeningFactory(film=cranes, starts_at=in_days(1), ticket_status=TicketStatus.CANCELLED)
    next_show = ScreeningFactory(film=cranes, starts_at=in_days(2))
    ScreeningFactory(film=cranes, starts_at=in_days(5))
    # The original title is shown only where it differs from the title shown.
    film("Soy Cuba", original_title="Soy Cuba", title_nl="Soy Cuba")

    page = client.get("/en/films/").content.decode()
    card = page[page.index("The Cranes Are Flying") - 1500 : page.index("Soy Cuba")]
    assert 'alt="poster of the cranes"' in card
    assert '<p class="card__original">Letyat zhuravli</p>' in card
    assert "Mikhail Kalatozov, 1957" in card
    assert "Urusevsky" not in card
    start = timezone.localtime(next_show.starts_at)
    assert f'<time datetime="{start.isoformat()}">' in card
    assert page.count('class="card__original"') == 1
    assert "No screenings planned" in page  # Soy Cuba has none


def test_filters_narrow_the_list_and_stay_in_the_form(client):
    thaw = ProgrammeFactory(slug_nl="russische-dooi", slug_en="russian-thaw")
    cranes = film("The Cranes Are Flying", year=1957, countries=["SU"], spoken_languages="ru")
    cuba = film("I Am Cuba", year=1964, countries=["CU", "SU"], spoken_languages="es, ru")
    film("Wings", year=1966, countries=["SU"], spoken_languages="ru")
    film("Breathless", year=1960, countries=["FR"], spoken_languages="fr")
    cranes.programmes.add(thaw)
    cuba.programmes.add(thaw)
    ScreeningFactory(film=cuba, starts_at=in_days(3))
    ScreeningFactory(film=cranes, starts_at=in_days(12))

    def titles(query: str) -> list[str]:
        return card_titles(client.get(f"/en/films/?{query}").content.decode())

    assert titles("decade=1960") == ["Breathless", "I Am Cuba", "Wings"]
    assert titles("country=CU") == ["I Am Cuba"]
    assert titles("country=SU") == ["The Cranes Are Flying", "I Am Cuba", "Wings"]
    assert titles("language=es") == ["I Am Cuba"]
    assert titles("language=ru&decade=1960") == ["I Am Cuba", "Wings"]
    # Either language's slug names the programme.
    assert titles("programme=russische-dooi") == titles("programme=russian-thaw")
    assert titles("programme=russian-thaw") == ["The Cranes Are Flying", "I Am Cuba"]
    assert titles("soon=1") == ["I Am Cuba"]
    page = client.get("/en/films/?decade=1960&country=SU&soon=1").content.decode()
    assert '<option value="1960" selected>' in page
    assert '<option value="SU" selected>' in page
    assert 'name="soon" id="id_soon" checked' in page
    # Only what some film has is offered.
    assert '<option value="1950">1950–1959</option>' in page
    assert 'value="1970"' not in page
    assert ">Cuba</option>" in page and ">Spanish</option>" in page


def test_bad_filter_values_are_ignored_with_a_note_and_the_rest_applies(client):
    film("Wings", year=1966, countries=["SU"])
    film("Breathless", year=1960, countries=["FR"])
    response = client.get("/en/films/?decade=1960&country=XX&programme=nothing&page=-4")
    assert response.status_code == 200
    page = response.content.decode()
    assert card_titles(page) == ["Breathless", "Wings"]
    assert "We ignored the country filter: that is not one of its choices." in page
    assert "We ignored the programme filter: that is not one of its choices." in page
    assert "We ignored the page filter: that is not a page number." in page
    # The page's own links carry only what it used.
    assert 'hreflang="nl" href="http://testserver/nl/films/?decade=1960"' in page
    dutch = client.get("/nl/films/?decade=19%2560&language=%3Cscript%3E").content.decode()
    assert "We hebben het filter ‘decennium’ genegeerd: dat is geen van de keuzes." in dutch
    assert "We hebben het filter ‘taal’ genegeerd" in dutch
    assert "<script>" not in dutch


def test_the_list_is_paged(client):
    for number in range(PAGE_SIZE + 3):
        film(f"Film {number:02d}")
    first = client.get("/en/films/").content.decode()
    assert len(card_titles(first)) == PAGE_SIZE
    assert f"{PAGE_SIZE + 3} films" in first
    assert "Page 1 of 2" in first
    assert '<a rel="next" href="/en/films/?page=2">' in first
    assert 'rel="prev"' not in first
    second = client.get("/en/films/?page=2").content.decode()
    assert card_titles(second) == ["Film 24", "Film 25", "Film 26"]
    assert '<a rel="prev" href="/en/films/">' in second
    # The page is part of the address each language's twin has.
    assert 'hreflang="nl" href="http://testserver/nl/films/?page=2"' in second


def test_a_page_past_the_last_says_so_and_leads_back(client):
    film("Wings")
    response = client.get("/en/films/?page=7")
    assert response.status_code == 200
    page = response.content.decode()
    assert "There are not that many pages." in page
    assert '<a href="/en/films/">Go to the last page</a>' in page


def test_nothing_matching_says_so_with_a_way_on(client):
    film("Wings", year=1966)
    page = client.get("/en/films/?decade=1960&soon=1").content.decode()
    assert "No film matches your choice." in page
    assert '<a href="/en/films/">Show all films</a>' in page


def test_the_index_is_in_the_sitemap_with_its_twin(client):
    sitemap = client.get("/sitemap.xml").content.decode()
    assert "<loc>http://testserver/en/films/</loc>" in sitemap
    assert 'hreflang="nl" href="http://testserver/nl/films/"' in sitemap


def test_every_page_leads_to_the_films_index(client):
    page = client.get("/nl/").content.decode()
    header = page[page.index("<header") : page.index("</header>")]
    assert '<a href="/nl/films/">Films</a>' in header


def test_a_director_credit_reads_the_first_director_only(client):
    duo = film("Two Directors")
    CreditFactory(film=duo, person=PersonFactory(name="First Director"), role=CreditRole.DIRECTOR)
    CreditFactory(film=duo, person=PersonFactory(name="Second Director"), role=CreditRole.DIRECTOR)
    page = client.get("/en/films/").content.decode()
    assert "First Director, 1957" in page

"""The programmes index and the ways in that every page offers: header and footer navigation."""

from __future__ import annotations

import datetime
import re

import pytest
from django.utils import timezone

from programmes.models import PublicationStatus
from tests.factories import EventFactory, FilmFactory, ProgrammeFactory, image_file

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def no_page_cache(settings):
    settings.PAGE_CACHE_SECONDS = 0


def programme(title: str, starts: int, days: int = 30, **fields):
    """A programme `starts` days from today (negative: in the past) lasting `days` days."""
    first = timezone.localdate() + datetime.timedelta(days=starts)
    slug = title.lower().replace(" ", "-")
    return ProgrammeFactory(
        title_nl=f"{title} NL",
        title_en=title,
        slug_nl=f"{slug}-nl",
        slug_en=slug,
        starts_on=first,
        ends_on=first + datetime.timedelta(days=days),
        **fields,
    )


def titles(page: str, start: str, end: str | None = None) -> list[str]:
    part = page[page.index(start) : page.index(end) if end else None]
    return re.findall(r'class="(?:card__title[^"]*|programme-link)"[^>]*>([^<]+)<', part)


def test_current_and_coming_programmes_come_first_then_the_archive_by_year(client):
    today = timezone.localdate()
    programme("Russian Thaw", starts=-10)
    programme("Polish Posters", starts=20)
    programme("Czech New Wave", starts=-400, days=30)
    programme("Silent Comedy", starts=-60, days=20)
    programme("Hidden Draft", starts=-5, status=PublicationStatus.DRAFT)
    page = client.get("/en/programmes/").content.decode()

    assert titles(page, 'id="current-title"', 'id="archive-title"') == [
        "Russian Thaw",
        "Polish Posters",
    ]
    # Newest first, under the year each started in.
    assert titles(page, 'id="archive-title"') == ["Silent Comedy", "Czech New Wave"]
    archive = page[page.index('id="archive-title"') :]
    silent_year = (today - datetime.timedelta(days=60)).year
    czech_year = (today - datetime.timedelta(days=400)).year
    assert f'<h3 id="archive-{czech_year}">{czech_year}</h3>' in archive
    assert archive.index(f">{silent_year}</h3>") < archive.index("Silent Comedy")
    assert "Hidden Draft" not in page
    assert "Now on" in page and "Coming" in page


def test_each_programme_shows_its_image_dates_and_what_it_holds(client):
    thaw = programme(
        "Russian Thaw",
        starts=-10,
        campaign_image=image_file("campaign.jpg", (320, 180)),
        campaign_image_alt_nl="Campagnebeeld",
        campaign_image_alt_en="Campaign image of Russian Thaw",
    )
    for _ in range(3):
        FilmFactory().programmes.add(thaw)
    FilmFactory(status=PublicationStatus.DRAFT).programmes.add(thaw)
    EventFactory(programme=thaw)
    page = client.get("/en/programmes/").content.decode()
    assert 'alt="Campaign image of Russian Thaw"' in page
    assert "3 films · 1 event" in page  # the draft film is not counted
    assert thaw.starts_on.strftime("%-d %B %Y") in page


def test_the_index_has_its_twin_in_dutch_and_speaks_dutch(client):
    programme("Russian Thaw", starts=-10)
    response = client.get("/nl/programma/")
    assert response.status_code == 200
    page = response.content.decode()
    assert '<html lang="nl">' in page
    assert "Russian Thaw NL" in page
    assert "Nu en binnenkort" in page
    assert '<link rel="alternate" hreflang="en" href="http://testserver/en/programmes/">' in page


def test_an_empty_index_says_nothing_is_on(client):
    page = client.get("/en/programmes/").content.decode()
    assert "No programmes are on or announced right now." in page
    assert 'id="archive-title"' not in page


@pytest.mark.parametrize(
    ("url", "agenda", "programmes", "search"),
    [
        ("/nl/", "/nl/agenda/", "/nl/programma/", "/nl/zoeken/"),
        ("/en/", "/en/whats-on/", "/en/programmes/", "/en/search/"),
    ],
)
def test_header_and_footer_lead_to_the_main_ways_in(client, url, agenda, programmes, search):
    page = client.get(url).content.decode()
    header = page[page.index('<header class="site-header">') : page.index("</header>")]
    footer = page[page.index('<footer class="site-footer">') :]
    for part in (header, footer):
        assert f'href="{agenda}"' in part
        assert f'href="{programmes}"' in part
    # The header searches in its box; the footer links to the search page.
    assert f'action="{search}"' in header
    assert f'href="{search}"' in footer


def test_the_way_in_to_the_current_page_is_marked(client):
    page = client.get("/en/programmes/").content.decode()
    assert '<a href="/en/programmes/" aria-current="page">Programmes</a>' in page
    assert '<a href="/en/whats-on/" aria-current="page">' not in page


def test_the_index_is_in_the_sitemap_with_its_twin(client):
    sitemap = client.get("/sitemap.xml").content.decode()
    assert "<loc>http://testserver/en/programmes/</loc>" in sitemap
    assert 'hreflang="nl" href="http://testserver/nl/programma/"' in sitemap

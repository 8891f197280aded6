"""Cache keys that mean the page: what a page reads of its query string, and nothing else.

Links from newsletters and ads carry parameters no page reads (utm_*, fbclid, gclid, mc_cid);
each of them used to be a page of its own in the cache, rendered afresh, and echoed in links.
"""

from __future__ import annotations

import datetime
import re

import pytest
from django.utils import timezone

from tests.factories import (
    CreditFactory,
    EventFactory,
    FilmFactory,
    ProgrammeFactory,
    ScreeningFactory,
)

pytestmark = pytest.mark.django_db

AGENDA = "/en/whats-on/"
TRACKING = "utm_source=newsletter&utm_medium=email&fbclid=IwAR0x&gclid=Cj0K&mc_cid=5f3a&ref=zz9"
TRACKING_NAMES = ("utm_", "fbclid", "gclid", "mc_cid", "ref=", "newsletter", "IwAR0x", "zz9")


@pytest.fixture
def season(db):
    """A programme with a film, an event and a director, shown every other day for three weeks."""
    from programmes.models import SiteSettings

    programme = ProgrammeFactory(slug_nl="russische-dooi", slug_en="russian-thaw")
    film = FilmFactory(slug_en="the-cranes-are-flying", slug_nl="als-de-kraanvogels")
    film.programmes.add(programme)
    CreditFactory(film=film, person__slug="mikhail-kalatozov")
    event = EventFactory(slug_en="opening-night", slug_nl="openingsavond", programme=programme)
    event.films.add(film)
    now = timezone.now()
    for day in range(1, 22, 2):
        ScreeningFactory(film=film, starts_at=now + datetime.timedelta(days=day, hours=1))
    ScreeningFactory(film=None, event=event, starts_at=now + datetime.timedelta(days=2, hours=3))
    SiteSettings.get_solo()
    return programme


def status(client, address: str) -> str:
    response = client.get(address)
    assert response.status_code == 200, address
    return response["X-Page-Cache"]


def test_parameter_order_does_not_make_another_page(client, season):
    assert status(client, f"{AGENDA}?type=films&language=en") == "miss"
    assert status(client, f"{AGENDA}?language=en&type=films") == "hit"


def test_tracking_and_unknown_parameters_are_the_same_page(client, season):
    assert status(client, AGENDA) == "miss"
    assert status(client, f"{AGENDA}?{TRACKING}") == "hit"
    assert status(client, f"{AGENDA}?nonsense=1&utm_campaign=spring") == "hit"
    film = "/en/films/the-cranes-are-flying/"
    assert status(client, film) == "miss"
    assert status(client, f"{film}?{TRACKING}") == "hit"


def test_tracking_parameters_beside_a_filter_are_dropped(client, season):
    assert status(client, f"{AGENDA}?type=events&utm_source=a") == "miss"
    assert status(client, f"{AGENDA}?utm_source=b&type=events&gclid=c") == "hit"


def test_a_remembered_query_is_still_what_a_render_reads(client, season):
    """A query string as the site's links write it is remembered as it is, and then not read
    again before the cache answers; a render (for a visitor with a message waiting, whom the
    cache does not answer) still reads it."""
    FilmFactory(title_en="Stalker")
    assert status(client, "/en/search/?q=stalker") == "miss"
    assert status(client, "/en/search/?q=stalker") == "hit"
    client.cookies["messages"] = "waiting"
    response = client.get("/en/search/?q=stalker")
    assert "private" in response["Cache-Control"]
    assert "1 result for “stalker”" in response.content.decode()


def test_defaults_are_the_page_without_them(client, season):
    today = timezone.localdate().isoformat()
    assert status(client, AGENDA) == "miss"
    assert status(client, f"{AGENDA}?when=&language=&type=&programme=&start={today}") == "hit"
    assert status(client, f"{AGENDA}?start=2001-01-01") == "hit"  # an old pager link


def test_a_programme_named_in_either_language_is_one_page(client, season):
    assert status(client, f"{AGENDA}?programme=russian-thaw") == "miss"
    assert status(client, f"{AGENDA}?programme=russische-dooi") == "hit"


def test_bad_values_are_one_page_that_names_the_problem_not_the_value(client, season):
    first = client.get(f"{AGENDA}?date=someday")
    second = client.get(f"{AGENDA}?date=2026-13-99")
    assert (first["X-Page-Cache"], second["X-Page-Cache"]) == ("miss", "hit")
    assert "We ignored the date filter: that is not a date we can read" in second.content.decode()
    assert "someday" not in second.content.decode()
    # Unlike the page without the date, which has no note.
    assert status(client, AGENDA) == "miss"


def test_an_unknown_value_that_looks_right_is_refused_as_the_form_refuses_it(client, season):
    assert status(client, f"{AGENDA}?language=xx&programme=no-such-thing") == "miss"
    assert status(client, f"{AGENDA}?programme=nothing-either&language=yy") == "hit"


def test_a_value_the_data_makes_valid_is_another_page_once_the_data_changes(
    client, season, django_capture_on_commit_callbacks
):
    address = f"{AGENDA}?programme=winter-light"
    refused = client.get(address)
    assert "We ignored the programme filter" in refused.content.decode()
    assert status(client, address) == "hit"
    with django_capture_on_commit_callbacks(execute=True):
        film = FilmFactory(slug_en="winter-light-film")
        film.programmes.add(ProgrammeFactory(slug_en="winter-light", title_en="Winter Light"))
        ScreeningFactory(film=film, starts_at=timezone.now() + datetime.timedelta(days=2))
    page = client.get(address)
    assert page["X-Page-Cache"] == "miss"
    assert "We ignored the programme filter" not in page.content.decode()
    assert status(client, f"{AGENDA}?programme=winter-light&utm_source=x") == "hit"
    # A value still refused is still another page: the one with the note.
    nonsense = client.get(f"{AGENDA}?programme=no-such-season")
    assert "We ignored the programme filter" in nonsense.content.decode()


def test_a_date_outranks_when_and_start(client, season):
    day = (timezone.localdate() + datetime.timedelta(days=3)).isoformat()
    later = (timezone.localdate() + datetime.timedelta(days=9)).isoformat()
    assert status(client, f"{AGENDA}?date={day}") == "miss"
    assert status(client, f"{AGENDA}?when=today&date={day}&start={later}") == "hit"


def test_languages_never_share_a_page(client, season):
    assert status(client, f"/en/whats-on/?type=films&{TRACKING}") == "miss"
    dutch = client.get(f"/nl/agenda/?type=films&{TRACKING}")
    assert dutch["X-Page-Cache"] == "miss"
    assert '<html lang="nl">' in dutch.content.decode()


def test_a_view_that_declares_nothing_sees_no_query_string(client, season, settings):
    from tests.production import cookie_urls

    settings.ROOT_URLCONF = cookie_urls.__name__
    page = client.get(f"/en/query/?{TRACKING}&page=2")
    assert page.content.decode() == "<p>[] /en/query/</p>"


def test_a_declared_form_gets_only_its_fields_and_keys_on_what_it_made_of_them(
    client, season, settings
):
    from tests.production import cookie_urls

    settings.ROOT_URLCONF = cookie_urls.__name__
    page = client.get("/en/sized/?colour=red&size=12&utm_source=x")
    assert page.content.decode() == "<p>{'size': '12', 'colour': 'red'} [] ['colour', 'size']</p>"
    assert client.get("/en/sized/?size=12&colour=red&fbclid=y")["X-Page-Cache"] == "hit"
    refused = client.get("/en/sized/?size=1000&colour=blue")
    assert refused.content.decode() == "<p>{} ['colour', 'size'] ['colour', 'size']</p>"
    assert client.get("/en/sized/?size=101&colour=green")["X-Page-Cache"] == "hit"
    assert client.get("/en/sized/?size=abc")["X-Page-Cache"] == "miss"  # not the same problem


def addresses_in(page: str) -> list[str]:
    attributes = re.findall(r'(?:href|src|srcset|content|action)="([^"]*)"', page)
    json_ld = re.findall(r'"(https?://[^"]*)"', page)
    return attributes + json_ld


@pytest.mark.parametrize(
    "path",
    [
        "/en/",
        "/nl/",
        "/en/whats-on/",
        "/nl/agenda/",
        "/en/whats-on/?programme=russian-thaw&type=films",
        "/en/programmes/russian-thaw/",
        "/en/films/the-cranes-are-flying/",
        "/nl/films/als-de-kraanvogels/",
        "/en/events/opening-night/",
        "/en/people/mikhail-kalatozov/",
        "/en/programmes/",
        "/en/films/",
        "/nl/films/?country=SU&soon=1",
    ],
)
def test_no_tracking_parameter_in_any_link_the_page_prints(client, season, path):
    separator = "&" if "?" in path else "?"
    start = (timezone.localdate() + datetime.timedelta(days=7)).isoformat()
    for paged in (False, True):
        query = f"start={start}&{TRACKING}" if paged else TRACKING
        page = client.get(f"{path}{separator}{query}").content.decode()
        # Each kind of link that could carry the query string is there to be looked at.
        assert '<link rel="canonical"' in page
        assert '<meta property="og:url"' in page
        assert re.search(r'<link rel="alternate" hreflang="(nl|en)"', page)
        assert re.search(r'<a href="[^"]*" hreflang="(nl|en)" lang=', page)  # language switch
        leaked = [link for link in addresses_in(page) if any(n in link for n in TRACKING_NAMES)]
        assert not leaked, leaked
        # The agenda printed its pager and its alternates with the parameters it does read.
        if ("whats-on" in path or "agenda" in path) and paged:
            assert 'rel="next"' in page and 'rel="prev"' in page
            assert re.search(r'<link rel="alternate" hreflang="nl" href="[^"]*start=', page)

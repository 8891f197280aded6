"""The visitor pages of programmes, films, events and people, in both languages.

What a visitor, a search engine or a social site reads of each page: the language switch to the
same object, the Dutch fallback marked lang="nl", canonical and hreflang, Open Graph and JSON-LD,
the sitemap and robots.txt, and the styled error pages.
"""

from __future__ import annotations

import datetime
import json
import re
import xml.etree.ElementTree as ET

import pytest
from django.template import loader
from django.utils import timezone, translation

from programmes.models import CreditRole, PublicationStatus, SiteSettings
from screenings.models import TicketStatus
from tests.factories import (
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


@pytest.fixture(autouse=True)
def no_page_cache(settings):
    settings.PAGE_CACHE_SECONDS = 0


@pytest.fixture
def film():
    programme = ProgrammeFactory(
        title_nl="Russische Dooi",
        title_en="Russian Thaw",
        slug_nl="russische-dooi",
        slug_en="russian-thaw",
        campaign_image=image_file("campaign.jpg", (320, 180)),
        campaign_image_alt_nl="Campagnebeeld",
        campaign_image_alt_en="Campaign image",
    )
    film = FilmFactory(
        title_nl="Als de kraanvogels overvliegen",
        title_en="The Cranes Are Flying",
        slug_nl="als-de-kraanvogels-overvliegen",
        slug_en="the-cranes-are-flying",
        poster=image_file("poster.jpg", (200, 300)),
        poster_alt_nl="affiche",
        poster_alt_en="poster",
        # No English description: the Dutch one stands in, marked as Dutch.
        description_nl="Een klassieker van de dooi.",
        description_en="",
    )
    film.programmes.add(programme)
    kalatozov = PersonFactory(name="Mikhail Kalatozov", slug="kalatozov")
    CreditFactory(film=film, person=kalatozov, role=CreditRole.DIRECTOR)
    CreditFactory(film=film, person=PersonFactory(name="Tatiana Samoilova"), role=CreditRole.CAST)
    StillFactory(film=film)
    draw_pictures()
    return film


@pytest.fixture
def screening(film):
    return ScreeningFactory(
        film=film,
        starts_at=timezone.now() + datetime.timedelta(hours=3),
        ticket_url="https://tickets.example.org/cranes",
    )


def json_ld(page: str) -> list[dict]:
    blocks = re.findall(r'<script type="application/ld\+json">(.*?)</script>', page, re.S)
    assert len(blocks) == 1
    data = json.loads(blocks[0])
    assert data["@context"] == "https://schema.org"
    return data.get("@graph", [data])


def of_type(items: list[dict], kind: str) -> list[dict]:
    return [item for item in items if item["@type"] == kind]


def link_hrefs(page: str, rel: str) -> dict[str, str]:
    links = re.findall(rf'<link rel="{rel}" hreflang="([^"]+)" href="([^"]+)">', page)
    return dict(links)


# --- languages and addresses ---------------------------------------------------------------


def test_language_switch_leads_to_the_same_film_in_the_other_language(client, film):
    page = client.get("/en/films/the-cranes-are-flying/").content.decode()
    assert '<html lang="en">' in page
    assert 'href="/nl/films/als-de-kraanvogels-overvliegen/" hreflang="nl"' in page
    dutch = client.get("/nl/films/als-de-kraanvogels-overvliegen/").content.decode()
    assert '<html lang="nl">' in dutch
    assert 'href="/en/films/the-cranes-are-flying/" hreflang="en"' in dutch


def test_the_english_slug_on_the_dutch_address_redirects_permanently(client, film):
    response = client.get("/nl/films/the-cranes-are-flying/")
    assert response.status_code == 301
    assert response["Location"] == "/nl/films/als-de-kraanvogels-overvliegen/"


def test_dutch_fallback_text_on_an_english_page_is_marked_dutch(client, film):
    page = client.get("/en/films/the-cranes-are-flying/").content.decode()
    assert '<div lang="nl"><p>Een klassieker van de dooi.</p></div>' in page


def test_draft_film_is_not_found(client, film):
    film.status = PublicationStatus.DRAFT
    film.save()
    assert client.get("/en/films/the-cranes-are-flying/").status_code == 404


def test_footer_shows_the_english_texts_on_english_pages(client, film):
    SiteSettings.objects.update_or_create(
        pk=1,
        defaults={
            "restaurant_text_nl": "Zin in een drankje?",
            # Equal to the field's default, which modeltranslation once took for "missing".
            "restaurant_text_en": SiteSettings._meta.get_field("restaurant_text").default,
        },
    )
    page = client.get("/en/").content.decode()
    assert "Book online for Eye Bar Restaurant." in page
    assert "Zin in een drankje?" not in page


# --- what machines read --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("url", "canonical", "nl", "en"),
    [
        (
            "/en/films/the-cranes-are-flying/",
            "/en/films/the-cranes-are-flying/",
            "/nl/films/als-de-kraanvogels-overvliegen/",
            "/en/films/the-cranes-are-flying/",
        ),
        (
            "/nl/programma/russische-dooi/",
            "/nl/programma/russische-dooi/",
            "/nl/programma/russische-dooi/",
            "/en/programmes/russian-thaw/",
        ),
        ("/en/", "/en/", "/nl/", "/en/"),
    ],
)
def test_page_has_canonical_and_hreflang_for_both_languages_and_x_default(
    client, film, url, canonical, nl, en
):
    page = client.get(url).content.decode()
    assert f'<link rel="canonical" href="http://testserver{canonical}">' in page
    assert link_hrefs(page, "alternate") == {
        "nl": f"http://testserver{nl}",
        "en": f"http://testserver{en}",
        "x-default": f"http://testserver{nl}",
    }


def test_film_page_has_title_description_and_open_graph(client, film):
    page = client.get("/en/films/the-cranes-are-flying/").content.decode()
    assert "<title>The Cranes Are Flying (Mikhail Kalatozov, SU 1957) · Eye Filmmuseum</title>" in (
        page
    )
    assert '<meta name="description" content="A short introduction.">' in page
    assert '<meta property="og:type" content="video.movie">' in page
    assert '<meta property="og:locale" content="en_GB">' in page
    assert '<meta property="og:locale:alternate" content="nl_NL">' in page
    image = re.search(r'<meta property="og:image" content="([^"]+)">', page).group(1)
    assert image.startswith("http://testserver/media/") and image.endswith(".jpg")
    assert '<meta name="twitter:card" content="summary_large_image">' in page


def test_film_json_ld_is_a_movie_with_its_screenings(client, screening):
    page = client.get("/en/films/the-cranes-are-flying/").content.decode()
    items = json_ld(page)
    (movie,) = of_type(items, "Movie")
    assert movie["name"] == "The Cranes Are Flying"
    assert movie["url"] == "http://testserver/en/films/the-cranes-are-flying/"
    assert movie["director"] == [
        {
            "@type": "Person",
            "name": "Mikhail Kalatozov",
            "url": "http://testserver/en/people/kalatozov/",
        }
    ]
    assert movie["duration"] == "PT97M"
    assert movie["image"].startswith("http://testserver/media/")
    (show,) = of_type(items, "ScreeningEvent")
    start = datetime.datetime.fromisoformat(show["startDate"])
    assert start.utcoffset() is not None
    assert start == screening.starts_at
    assert show["location"]["@type"] == "MovieTheater"
    assert show["location"]["address"]["streetAddress"] == "IJpromenade 1"
    assert show["location"]["address"]["postalCode"] == "1031 KT"
    assert show["offers"] == {
        "@type": "Offer",
        "availability": "https://schema.org/InStock",
        "url": "https://tickets.example.org/cranes",
    }
    assert show["subtitleLanguage"] == "en"
    assert show["workPresented"]["url"] == movie["url"]


def test_sold_out_screening_is_sold_out_in_json_ld(client, screening):
    screening.ticket_status = TicketStatus.SOLD_OUT
    screening.save()
    page = client.get("/en/films/the-cranes-are-flying/").content.decode()
    (show,) = of_type(json_ld(page), "ScreeningEvent")
    assert show["offers"]["availability"] == "https://schema.org/SoldOut"


def test_cancelled_screening_is_cancelled_in_json_ld_without_offer(client, screening):
    screening.ticket_status = TicketStatus.CANCELLED
    screening.save()
    page = client.get("/en/films/the-cranes-are-flying/").content.decode()
    (show,) = of_type(json_ld(page), "ScreeningEvent")
    assert show["eventStatus"] == "https://schema.org/EventCancelled"
    assert "offers" not in show


def test_event_page_has_one_event_per_show_with_performers(client, film):
    event = EventFactory(
        title_en="Opening Russian Thaw", slug_en="opening", programme=film.programmes.first()
    )
    event.films.add(film)
    EventContributorFactory(event=event, person=PersonFactory(name="Martin de Ruiter"))
    for hours in (3, 27):
        ScreeningFactory(
            film=None, event=event, starts_at=timezone.now() + datetime.timedelta(hours=hours)
        )
    page = client.get("/en/events/opening/").content.decode()
    events = of_type(json_ld(page), "Event")
    assert len(events) == 2
    assert {e["name"] for e in events} == {"Opening Russian Thaw"}
    assert events[0]["performer"][0]["name"] == "Martin de Ruiter"
    assert events[0]["workFeatured"][0]["name"] == "The Cranes Are Flying"
    assert events[0]["superEvent"]["@type"] == "EventSeries"
    assert events[0]["startDate"] < events[1]["startDate"]


def test_event_without_shows_still_has_an_event(client, film):
    EventFactory(slug_en="later")
    events = of_type(json_ld(client.get("/en/events/later/").content.decode()), "Event")
    assert len(events) == 1
    assert "startDate" not in events[0]


def test_person_page_json_ld_is_a_person(client, screening):
    page = client.get("/en/people/kalatozov/").content.decode()
    (person,) = of_type(json_ld(page), "Person")
    assert person == {
        "@type": "Person",
        "name": "Mikhail Kalatozov",
        "url": "http://testserver/en/people/kalatozov/",
    }
    assert "The Cranes Are Flying" in page
    assert screening.get_calendar_url() in page


def test_a_programmes_film_card_names_its_directors_not_its_cast(client, film):
    CreditFactory(
        film=film, person=PersonFactory(name="Sergei Urusevsky"), role=CreditRole.DIRECTOR
    )
    page = client.get("/en/programmes/russian-thaw/").content.decode()
    card_line = re.search(r'<p class="card__meta">(.*?)</p>', page).group(1)
    assert card_line == f"Mikhail Kalatozov, Sergei Urusevsky, SU {film.year}"


def test_programme_page_json_ld_is_an_event_series(client, screening):
    page = client.get("/en/programmes/russian-thaw/").content.decode()
    items = json_ld(page)
    (series,) = of_type(items, "EventSeries")
    assert series["name"] == "Russian Thaw"
    assert series["startDate"] == timezone.localdate().isoformat()
    # Its shows are listed on the page, and marked up on their film's page, not here.
    assert screening.get_calendar_url() in page
    assert of_type(items, "ScreeningEvent") == []


def test_agenda_names_the_theater_and_leaves_each_show_to_its_films_page(client, screening):
    agenda = client.get("/en/whats-on/").content.decode()
    assert screening.get_calendar_url() in agenda
    (theater,) = json_ld(agenda)
    assert theater["@type"] == "MovieTheater"
    assert theater["address"]["streetAddress"] == "IJpromenade 1"
    film_page = client.get("/en/films/the-cranes-are-flying/").content.decode()
    (show,) = of_type(json_ld(film_page), "ScreeningEvent")
    assert datetime.datetime.fromisoformat(show["startDate"]) == screening.starts_at


def test_json_ld_cannot_close_its_script_element(client, film):
    film.title_en = "Love </script><script>alert(1)</script> & war"
    film.save()
    page = client.get(f"/en/films/{film.slug_en}/").content.decode()
    assert "<script>alert(1)" not in page
    (movie,) = of_type(json_ld(page), "Movie")
    assert movie["name"] == "Love </script><script>alert(1)</script> & war"


# --- pictures ------------------------------------------------------------------------------


def test_film_poster_is_offered_as_avif_webp_and_jpeg_with_size_set(client, film):
    page = client.get("/en/films/the-cranes-are-flying/").content.decode()
    poster = re.search(r"<picture>.*?</picture>", page, re.S).group(0)
    assert '<source type="image/avif"' in poster
    assert '<source type="image/webp"' in poster
    # The JPEG is for browsers that take neither: one file, its size set against layout shift.
    assert re.search(r'<img src="[^"]+\.jpg" width="\d+" height="\d+"', poster)
    assert 'loading="eager"' in poster and 'fetchpriority="high"' in poster


def test_a_rows_thumbnail_offers_two_small_webp_files_and_a_jpeg(client, screening):
    # A browser downloads one of them; each of 100-odd rows a week used to name nine.
    agenda = client.get("/en/whats-on/").content.decode()
    thumb = re.search(r'<div class="screening__poster">\s*(<picture>.*?</picture>)', agenda, re.S)
    files = re.findall(r"/media/[^\s\",]+", thumb.group(1))
    assert [file.rsplit(".", 1)[1] for file in files] == ["webp", "webp", "jpg"]
    assert re.search(r"\.webp 96w, \S+\.webp 144w", thumb.group(1))


def test_only_the_first_picture_is_eager(client, film):
    page = client.get("/en/films/the-cranes-are-flying/").content.decode()
    assert page.count('loading="eager"') == 1
    assert page.count('fetchpriority="high"') == 1
    assert page.count('loading="lazy"') >= 2  # the still and the programme card


# --- home ----------------------------------------------------------------------------------


def test_home_shows_today_current_programmes_and_featured_events(client, film, time_machine):
    # At noon, so that a show three hours on is today at whatever hour the suite runs.
    time_machine.move_to(timezone.localtime().replace(hour=12, minute=0), tick=False)
    ScreeningFactory(film=film, starts_at=timezone.now() + datetime.timedelta(hours=3))
    event = EventFactory(title_en="Opening night", slug_en="opening", featured=True)
    ScreeningFactory(film=None, event=event, starts_at=timezone.now() + datetime.timedelta(days=1))
    page = client.get("/en/").content.decode()
    today = page[page.index('id="today-title"') : page.index('id="events-title"')]
    assert "The Cranes Are Flying" in today
    assert "Opening night" in page
    assert "Russian Thaw" in page


def test_home_leaves_out_featured_events_that_are_over(client, film):
    EventFactory(title_en="Last year's gala", featured=True)
    assert "Last year&#x27;s gala" not in client.get("/en/").content.decode()


# --- sitemap and robots --------------------------------------------------------------------

SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
XHTML = "{http://www.w3.org/1999/xhtml}"


def test_sitemap_lists_every_page_in_both_languages_with_alternates(client, film):
    response = client.get("/sitemap.xml")
    assert response.status_code == 200
    root = ET.fromstring(response.content)
    urls = {}
    for url in root.iter(f"{SITEMAP}url"):
        alternates = {link.get("hreflang"): link.get("href") for link in url.iter(f"{XHTML}link")}
        urls[url.find(f"{SITEMAP}loc").text] = alternates
    base = "http://testserver"
    for path in (
        "/nl/",
        "/en/",
        "/nl/agenda/",
        "/en/whats-on/",
        "/nl/films/als-de-kraanvogels-overvliegen/",
        "/en/films/the-cranes-are-flying/",
        "/nl/programma/russische-dooi/",
        "/en/programmes/russian-thaw/",
        "/nl/personen/kalatozov/",
        "/en/people/kalatozov/",
    ):
        assert base + path in urls, path
    assert urls[f"{base}/en/films/the-cranes-are-flying/"] == {
        "nl": f"{base}/nl/films/als-de-kraanvogels-overvliegen/",
        "en": f"{base}/en/films/the-cranes-are-flying/",
        "x-default": f"{base}/nl/films/als-de-kraanvogels-overvliegen/",
    }


def test_sitemap_leaves_out_drafts(client, film):
    FilmFactory(slug_en="secret-draft", status=PublicationStatus.DRAFT)
    assert b"secret-draft" not in client.get("/sitemap.xml").content


def test_robots_txt_points_at_the_sitemap(client):
    response = client.get("/robots.txt")
    assert response["Content-Type"].startswith("text/plain")
    assert "Sitemap: http://testserver/sitemap.xml" in response.content.decode()
    assert "Disallow: /admin/" in response.content.decode()


# --- error pages ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("url", "language", "text", "agenda"),
    [
        ("/en/films/no-such-film/", "en", "This page is not showing", "/en/whats-on/"),
        ("/nl/films/bestaat-niet/", "nl", 'lang="nl"', "/nl/agenda/"),
        ("/en/no/such/page/", "en", "This page is not showing", "/en/whats-on/"),
    ],
)
def test_404_is_styled_in_the_visitors_language_with_a_way_on(client, url, language, text, agenda):
    response = client.get(url)
    assert response.status_code == 404
    page = response.content.decode()
    assert f'<html lang="{language}">' in page
    assert text in page
    assert f'href="{agenda}"' in page
    assert '<meta name="robots" content="noindex">' in page


def test_500_page_renders_without_the_database(django_assert_num_queries):
    for code, agenda in (("nl", "/nl/agenda/"), ("en", "/en/whats-on/")):
        with translation.override(code), django_assert_num_queries(0):
            page = loader.get_template("500.html").render()
        assert f'<html lang="{code}">' in page
        assert f'href="{agenda}"' in page


def test_a_person_with_two_roles_in_a_film_and_one_at_an_event_sees_each_show_once(
    client, film, screening
):
    kalatozov = film.credits.get(role=CreditRole.DIRECTOR).person
    CreditFactory(film=film, person=kalatozov, role=CreditRole.SCREENPLAY)
    event = EventFactory(title_en="Kalatozov in conversation", slug_en="in-conversation")
    EventContributorFactory(event=event, person=kalatozov)
    talk = ScreeningFactory(
        film=None, event=event, starts_at=timezone.now() + datetime.timedelta(hours=30)
    )
    page = client.get("/en/people/kalatozov/").content.decode()
    assert page.count(f'href="{screening.get_calendar_url()}"') == 1
    assert page.count(f'href="{talk.get_calendar_url()}"') == 1


def test_a_persons_films_name_the_part_in_the_page_language(client, film):
    samoilova = film.credits.get(role=CreditRole.CAST).person
    film.credits.filter(role=CreditRole.CAST).update(character_nl="Veronika", character_en="")
    untranslated = FilmFactory(title_nl="Het onverzonden briefje", title_en="", year=1959)
    CreditFactory(film=untranslated, person=samoilova, role=CreditRole.CAST)
    english = client.get(f"/en/people/{samoilova.slug}/").content.decode()
    assert (
        f'<li><a href="/en/films/the-cranes-are-flying/">The Cranes Are Flying</a> ({film.year}) '
        "· Cast: Veronika</li>"
    ) in english
    assert (
        f'<li><a href="/en/films/{untranslated.slug_en}/">Het onverzonden briefje</a> (1959) · Cast'
        "</li>"
    ) in english
    kalatozov = film.credits.get(role=CreditRole.DIRECTOR).person
    dutch = client.get(f"/nl/personen/{kalatozov.slug}/").content.decode()
    assert (
        '<li><a href="/nl/films/als-de-kraanvogels-overvliegen/">Als de kraanvogels overvliegen'
        f"</a> ({film.year}) · Regie</li>"
    ) in dutch


def test_a_programme_lists_its_films_and_events_shows_once_and_no_others(client, film, screening):
    """A film in two programmes shows on both; an event of the programme shows; a film of
    another programme does not."""
    programme = film.programmes.get()
    other = ProgrammeFactory(slug_en="other-programme", title_en="Another programme")
    film.programmes.add(other)
    soon = timezone.now() + datetime.timedelta(hours=30)
    event = EventFactory(slug_en="opening", programme=programme)
    talk = ScreeningFactory(film=None, event=event, starts_at=soon)
    elsewhere = ScreeningFactory(film=FilmFactory(slug_en="elsewhere"), starts_at=soon)
    elsewhere.film.programmes.add(other)
    page = client.get("/en/programmes/russian-thaw/").content.decode()
    assert page.count(f'href="{screening.get_calendar_url()}"') == 1
    assert page.count(f'href="{talk.get_calendar_url()}"') == 1
    assert elsewhere.get_calendar_url() not in page
    other_page = client.get("/en/programmes/other-programme/").content.decode()
    assert other_page.count(f'href="{screening.get_calendar_url()}"') == 1
    assert talk.get_calendar_url() not in other_page

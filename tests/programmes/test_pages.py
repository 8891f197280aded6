"""The minimal pages show the seed's content in both languages."""

import re

import pytest

from tests.demo import load_demo
from tests.factories import draw_pictures

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo():
    load_demo()


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("/en/", "Russian Thaw"),
        ("/nl/", "Russische Dooi"),
        ("/en/programmes/russian-thaw/", "Soviet New Wave 1957 – 1968"),
        ("/nl/programma/russische-dooi/", "Sovjet nieuwe golf 1957 – 1968"),
        ("/en/films/the-cranes-are-flying/", "Digital restoration by Mosfilm."),
        ("/nl/films/als-de-kraanvogels-overvliegen/", "Digitale restauratie door Mosfilm."),
    ],
)
def test_page_shows_the_seed_text(client, demo, url, expected):
    response = client.get(url)
    assert response.status_code == 200
    assert expected in response.content.decode()


def test_event_page_in_english_has_every_fact_of_the_seed(client, demo):
    page = client.get("/en/events/opening-russian-thaw-the-cranes-are-flying/").content.decode()
    for fact in (
        "Opening Russian Thaw: The Cranes are Flying",
        "Opening Russische Dooi: Als de kraanvogels overvliegen",
        "Winner of a Golden Palm in 1958",
        "Nina Targan Mouravi",
        "Martin de Ruiter",
        "Oleg Fateev",
        "125 min.",
        "Sovscope",
        "Digital restoration by Mosfilm.",
        "still from The Cranes Are Flying (Mikhail Kalatozov, SU 1957)",
        "Part of",
        "Russian Thaw",
    ):
        assert fact in page, fact


def test_event_page_in_dutch(client, demo):
    page = client.get(
        "/nl/evenementen/opening-russische-dooi-als-de-kraanvogels-overvliegen/"
    ).content.decode()
    assert "Opening Russische Dooi: Als de kraanvogels overvliegen" in page
    assert "Gouden Palm in 1958" in page
    assert 'lang="en">Opening Russian Thaw: The Cranes are Flying' in page


def test_the_other_languages_slug_redirects_to_the_canonical_address(client, demo):
    response = client.get("/nl/films/the-cranes-are-flying/")
    assert response.status_code == 301
    assert response["Location"] == "/nl/films/als-de-kraanvogels-overvliegen/"


def test_language_switch_leads_to_the_same_film(client, demo):
    page = client.get("/en/films/the-cranes-are-flying/").content.decode()
    assert 'href="/nl/films/als-de-kraanvogels-overvliegen/"' in page


def test_unknown_slug_is_a_404(client, demo):
    assert client.get("/en/films/no-such-film/").status_code == 404


# Phones as (CSS width, device pixel ratio): the narrowest common ones, Lighthouse's Moto G Power,
# and today's usual iPhones and Android phones.
PHONES = [(360, 2), (360, 3), (375, 2), (390, 3), (412, 1.75), (412, 2.625)]


@pytest.mark.parametrize(
    "url",
    [
        "/en/",
        "/en/programmes/russian-thaw/",
        "/en/events/opening-russian-thaw-the-cranes-are-flying/",
    ],
)
def test_a_phone_downloads_a_full_width_picture_close_to_the_size_it_shows(client, demo, url):
    """The first picture spans the screen (sizes="100vw"); a phone takes the narrowest rendition
    at least as wide as its screen's pixels, which should not be much wider than those."""
    # The page's own pictures drawn, as a worker draws them (all of the demo's take long).
    shown = re.findall(r'<img src="/media/([^"]+)"', client.get(url).content.decode())
    draw_pictures(only=shown)
    page = client.get(url).content.decode()
    source = re.search(r'<source type="image/webp" srcset="([^"]+)" sizes="100vw"', page)
    assert source, "no full-width picture"
    widths = sorted(int(w) for w in re.findall(r" (\d+)w", source.group(1)))
    for css_width, ratio in PHONES:
        needed = css_width * ratio
        chosen = next((w for w in widths if w >= needed), widths[-1])
        assert chosen <= needed * 1.25, (css_width, ratio, widths)

"""The box office at work: a change of a show's ticket state renews the cached pages that list the
show, and only those; any other change renews every page."""

from __future__ import annotations

import datetime
import time

import pytest
from django.core.cache import caches
from django.test import Client
from django.utils import timezone
from django_redis import get_redis_connection

from eye_site import cache
from screenings.models import Screening, TicketStatus
from screenings.services import save_screenings
from tests.factories import FilmFactory, ScreeningFactory

from .conftest import after_the_edit

pytestmark = pytest.mark.django_db

CRANES_EN = "/en/films/the-cranes-are-flying/"
WINGS_EN = "/en/films/wings/"


@pytest.fixture(params=["local memory", "redis"])
def cache_backend(request):
    """Both ways the site keeps pages: one process's memory (`make run`) and a shared Redis."""
    if request.param == "redis":
        request.getfixturevalue("own_redis")
        deadline = time.monotonic() + 5
        while not cache.VersionWatcher.for_this_process().live:
            assert time.monotonic() < deadline, "the watcher did not connect"
            time.sleep(0.02)
    return request.param


@pytest.fixture
def shows(demo, cache_backend, django_capture_on_commit_callbacks):
    """A show of each of two films in the coming days, on sale."""
    # Committed as an editor's work is, so that it is done with before the box office begins.
    with django_capture_on_commit_callbacks(execute=True):
        wings = FilmFactory(
            title_nl="Vleugels", title_en="Wings", slug_nl="vleugels", slug_en="wings"
        )
        wings.programmes.add(demo)
        cranes = demo.films.get(slug_en="the-cranes-are-flying")
        tomorrow = timezone.now().replace(hour=20, minute=0) + datetime.timedelta(days=1)
        made = {
            film.slug_en: ScreeningFactory(
                film=film,
                starts_at=tomorrow + datetime.timedelta(days=day),
                ticket_status=TicketStatus.ON_SALE,
                ticket_url="https://tickets.example.org/",
            )
            for day, film in enumerate((cranes, wings))
        }
    return {slug: Screening.objects.get(pk=show.pk) for slug, show in made.items()}


@pytest.fixture
def visitor(shows):
    """An anonymous visitor who has both films' pages cached."""
    browser = Client()
    for path in (CRANES_EN, WINGS_EN):
        browser.get(path)
        assert browser.get(path)["X-Page-Cache"] == "hit"
    return browser


def box_office(show: Screening, status: str, capture, **also) -> None:
    show.ticket_status = status
    for field, value in also.items():
        setattr(show, field, value)
    with capture(execute=True):
        save_screenings([show])


def test_a_sold_out_show_renews_its_film_page_and_leaves_the_others_cached(
    shows, visitor, django_capture_on_commit_callbacks
):
    cranes = shows["the-cranes-are-flying"]
    calendar_file = cranes.get_calendar_url()
    assert "Sold out" not in visitor.get(calendar_file).content.decode()
    assert "Sold out" not in visitor.get(calendar_file).content.decode()  # now cached
    box_office(cranes, TicketStatus.SOLD_OUT, django_capture_on_commit_callbacks)

    untouched = visitor.get(WINGS_EN)
    assert untouched["X-Page-Cache"] == "hit"
    renewed = after_the_edit(visitor, CRANES_EN)
    assert renewed["X-Page-Cache"] == "hit"
    assert "Sold out" in renewed.content.decode()
    assert "Sold out" in after_the_edit(visitor, calendar_file).content.decode()


def test_cancelling_a_show_renews_every_page(shows, visitor, django_capture_on_commit_callbacks):
    """A cancelled show frees its slot and is no film's next screening any more: more than its
    own rows change."""
    box_office(
        shows["the-cranes-are-flying"], TicketStatus.CANCELLED, django_capture_on_commit_callbacks
    )
    assert visitor.get(WINGS_EN)["X-Page-Cache"] == "stale"
    assert "Cancelled" in after_the_edit(visitor, CRANES_EN).content.decode()


def test_bringing_a_cancelled_show_back_renews_every_page(
    shows, visitor, django_capture_on_commit_callbacks
):
    cranes = shows["the-cranes-are-flying"]
    box_office(cranes, TicketStatus.CANCELLED, django_capture_on_commit_callbacks)
    for path in (CRANES_EN, WINGS_EN):
        after_the_edit(visitor, path)
    box_office(cranes, TicketStatus.FEW_LEFT, django_capture_on_commit_callbacks)
    assert visitor.get(WINGS_EN)["X-Page-Cache"] == "stale"


def test_a_ticket_state_saved_with_another_change_renews_every_page(
    shows, visitor, django_capture_on_commit_callbacks
):
    box_office(
        shows["the-cranes-are-flying"],
        TicketStatus.FEW_LEFT,
        django_capture_on_commit_callbacks,
        note_en="With an introduction by the restorer",
    )
    assert visitor.get(WINGS_EN)["X-Page-Cache"] == "stale"
    page = after_the_edit(visitor, CRANES_EN).content.decode()
    assert "With an introduction by the restorer" in page


def test_a_change_that_finds_no_numbering_renews_every_page(
    shows, visitor, django_capture_on_commit_callbacks
):
    """After a flush, or Redis evicting the counter, numbers could start again below what pages
    have seen: such a change renews every page rather than trust them."""
    if cache._is_redis():
        _changes, counter = cache._ticket_keys()
        get_redis_connection("default").delete(counter)
    else:
        caches["default"].delete(cache.TICKETS_KEY)
    box_office(
        shows["the-cranes-are-flying"], TicketStatus.SOLD_OUT, django_capture_on_commit_callbacks
    )
    assert visitor.get(WINGS_EN)["X-Page-Cache"] == "stale"
    assert "Sold out" in after_the_edit(visitor, CRANES_EN).content.decode()
    assert visitor.get(WINGS_EN)["X-Page-Cache"] == "hit"  # rendered after that stale answer
    # Numbered again from there: the next change renews only its own pages.
    box_office(
        shows["the-cranes-are-flying"], TicketStatus.FEW_LEFT, django_capture_on_commit_callbacks
    )
    assert visitor.get(WINGS_EN)["X-Page-Cache"] == "hit"


def test_a_page_rendered_from_data_read_before_the_change_is_rendered_again():
    """A render that read the show before the change was committed, and kept its page after,
    must not keep the old state: a page carries the number of the last change known when its
    render began (numbers, not times: app servers' clocks may disagree)."""
    entry = cache.Entry(None, (), b"", '""', 0, 41, frozenset({7}))
    changed = time.time()
    assert cache.PageCacheMiddleware.ticket_changed(entry, ((42, changed, 7),)) == changed
    # Another show's change, or one its render knew of, leaves it alone.
    assert cache.PageCacheMiddleware.ticket_changed(entry, ((42, changed, 8),)) is None
    assert cache.PageCacheMiddleware.ticket_changed(entry, ((41, changed, 7),)) is None

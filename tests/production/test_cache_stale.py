"""Stale while revalidate with one renderer, and stale if error: what visitors get after an edit,
while another server renders, when a renderer died, and while Redis is away.

Each test has a Redis of its own (redis-server on a free port), which some of them stop and start.
"""

from __future__ import annotations

import contextlib
import time
from wsgiref.util import setup_testing_defaults

import pytest
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from django.test import Client, RequestFactory

from eye_site import cache

from .conftest import after_the_edit

pytestmark = pytest.mark.django_db

PROGRAMME_EN = "/en/programmes/russian-thaw/"
PROGRAMME_NL = "/nl/programma/russische-dooi/"


def page_key(path: str) -> str:
    """The page cache's key for an anonymous visitor's plain (not gzip) request of `path`."""
    request = RequestFactory().get(path)
    return cache.PageCacheMiddleware(lambda request: None).key(request, path.split("/")[1], "")


def edit(demo, subtitle: str, capture) -> None:
    demo.subtitle_en = subtitle
    with capture(execute=True):
        demo.save()


def wait_for(condition, seconds: float = 5.0) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > deadline:
            pytest.fail(f"not within {seconds} s")
        time.sleep(0.02)


@contextlib.contextmanager
def not_closing_database_connections():
    """Django closes old database connections when a request starts and ends; in a test that
    would end the test's transaction (the test client does the same)."""
    for signal in (request_started, request_finished):
        signal.disconnect(close_old_connections)
    try:
        yield
    finally:
        for signal in (request_started, request_finished):
            signal.connect(close_old_connections)


def served_by_a_wsgi_server(path: str):
    """The response to a plain GET of `path` from the WSGI application, as a server gets it: not
    yet closed (the server closes it once the last byte is sent)."""
    environ = {"PATH_INFO": path, "HTTP_HOST": "testserver", "SERVER_NAME": "testserver"}
    setup_testing_defaults(environ)
    with not_closing_database_connections():
        return get_wsgi_application()(environ, lambda status, headers: None)


def watcher() -> cache.VersionWatcher:
    return cache.VersionWatcher.for_this_process()


@pytest.fixture
def visitor(demo, own_redis):
    """An anonymous visitor; both languages of the programme page are cached."""
    browser = Client()
    wait_for(lambda: watcher().live)
    for path in (PROGRAMME_EN, PROGRAMME_NL):
        assert browser.get(path)["X-Page-Cache"] == "miss"
        assert browser.get(path)["X-Page-Cache"] == "hit"
    return browser


def test_while_one_request_renders_the_others_get_the_previous_page(
    visitor, demo, django_capture_on_commit_callbacks, django_assert_num_queries
):
    edit(demo, "Thaw, edited", django_capture_on_commit_callbacks)
    rendering = cache.RenderLock(page_key(PROGRAMME_EN))
    assert rendering.acquire()  # as another app server's request does while it renders
    with django_assert_num_queries(0):
        stale = visitor.get(PROGRAMME_EN)
    assert stale["X-Page-Cache"] == "stale"
    assert "Soviet New Wave 1957 – 1968" in stale.content.decode()
    assert "Thaw, edited" not in stale.content.decode()
    rendering.release()
    fresh = after_the_edit(visitor, PROGRAMME_EN)
    assert fresh["X-Page-Cache"] == "hit"
    assert "Thaw, edited" in fresh.content.decode()


def test_the_request_that_takes_the_lock_gets_the_previous_page_at_once_and_has_it_rendered(
    visitor, demo, django_capture_on_commit_callbacks, django_assert_num_queries
):
    """Nobody waits for a re-render: the request that takes the lock is answered like the others,
    and the page is rendered once that answer is out (Django's request_finished)."""
    edit(demo, "Seen by the second visitor after the edit", django_capture_on_commit_callbacks)
    rendering = cache.RenderLock(page_key(PROGRAMME_EN))
    with django_assert_num_queries(0):
        first = served_by_a_wsgi_server(PROGRAMME_EN)
    assert first["X-Page-Cache"] == "stale"
    assert "Seen by the second visitor after the edit" not in first.content.decode()
    assert not rendering.acquire()  # the first request's, while its answer goes out
    with not_closing_database_connections():
        first.close()  # the answer has gone out: the page is rendered, the lock released
    assert rendering.acquire()
    rendering.release()
    page = visitor.get(PROGRAMME_EN)
    assert page["X-Page-Cache"] == "hit"
    assert "Seen by the second visitor after the edit" in page.content.decode()


def test_a_lock_whose_holder_died_expires(
    visitor, demo, django_capture_on_commit_callbacks, monkeypatch
):
    monkeypatch.setattr(cache, "LOCK_SECONDS", 0.5)
    edit(demo, "After the renderer died", django_capture_on_commit_callbacks)
    dead = cache.RenderLock(page_key(PROGRAMME_EN))
    assert dead.acquire()  # and never released: its worker was killed mid-render
    assert visitor.get(PROGRAMME_EN)["X-Page-Cache"] == "stale"
    time.sleep(0.6)
    assert "After the renderer died" in after_the_edit(visitor, PROGRAMME_EN).content.decode()


def test_a_machine_re_renders_one_stale_page_at_a_time(
    visitor, demo, django_capture_on_commit_callbacks, django_assert_num_queries
):
    edit(demo, "Thaw, edited", django_capture_on_commit_callbacks)
    busy = cache.RenderLock(cache.MACHINE_KEY)
    assert busy.acquire()  # another worker of this machine re-renders another page
    with django_assert_num_queries(0):
        waiting = visitor.get(PROGRAMME_EN)
    assert waiting["X-Page-Cache"] == "stale"
    assert "Thaw, edited" not in waiting.content.decode()
    busy.release()
    assert "Thaw, edited" in after_the_edit(visitor, PROGRAMME_EN).content.decode()
    # The turn is free again for the next stale page: its first request has it rendered (with
    # the turn still taken, the second would be stale too).
    assert visitor.get(PROGRAMME_NL)["X-Page-Cache"] == "stale"
    assert visitor.get(PROGRAMME_NL)["X-Page-Cache"] == "hit"


def test_a_page_stale_for_longer_than_the_wait_renders_without_the_machines_turn(
    visitor, demo, django_capture_on_commit_callbacks, monkeypatch
):
    monkeypatch.setattr(cache, "MACHINE_WAIT", 0.3)
    edit(demo, "Thaw, edited", django_capture_on_commit_callbacks)
    busy = cache.RenderLock(cache.MACHINE_KEY)
    assert busy.acquire()  # and the machine stays busy: it cannot keep up
    assert visitor.get(PROGRAMME_EN)["X-Page-Cache"] == "stale"
    time.sleep(0.4)
    assert "Thaw, edited" in after_the_edit(visitor, PROGRAMME_EN).content.decode()


def test_languages_never_share_entries_even_stale(
    visitor, demo, django_capture_on_commit_callbacks
):
    edit(demo, "Thaw, edited", django_capture_on_commit_callbacks)
    for path in (PROGRAMME_EN, PROGRAMME_NL):
        assert cache.RenderLock(page_key(path)).acquire()
    english, dutch = visitor.get(PROGRAMME_EN), visitor.get(PROGRAMME_NL)
    assert english["X-Page-Cache"] == dutch["X-Page-Cache"] == "stale"
    assert '<html lang="en">' in english.content.decode()
    assert '<html lang="nl">' in dutch.content.decode()
    assert "Sovjet nieuwe golf" in dutch.content.decode()


def test_staff_see_their_change_at_once_while_visitors_get_the_previous_page(
    visitor, demo, staff_client, django_capture_on_commit_callbacks
):
    edit(demo, "Thaw, edited", django_capture_on_commit_callbacks)
    assert cache.RenderLock(page_key(PROGRAMME_EN)).acquire()
    assert visitor.get(PROGRAMME_EN)["X-Page-Cache"] == "stale"
    mine = staff_client.get(PROGRAMME_EN)
    assert "X-Page-Cache" not in mine
    assert "private" in mine["Cache-Control"]
    assert "Thaw, edited" in mine.content.decode()


def test_a_page_that_is_gone_is_not_served_stale(visitor, demo, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        demo.delete()
    assert after_the_edit(visitor, PROGRAMME_EN).status_code == 404  # once it is rendered
    assert visitor.get(PROGRAMME_EN).status_code == 404  # and every one after it


# Redis away and back -------------------------------------------------------------------------


def test_readyz_says_degraded_while_redis_is_away_and_ok_once_it_is_back(client, own_redis):
    assert client.get("/readyz").json()["status"] == "ok"
    own_redis.stop()
    away = client.get("/readyz")
    assert away.status_code == 200
    assert away.json() == {"status": "degraded", "database": "ok", "cache": "unavailable"}
    own_redis.start()
    wait_for(lambda: client.get("/readyz").json()["status"] == "ok")


def test_while_redis_is_away_each_process_serves_the_pages_it_holds(
    visitor, own_redis, django_assert_num_queries, caplog
):
    own_redis.stop()
    wait_for(lambda: watcher().state == cache.VersionWatcher.DOWN)
    assert any("Redis cannot be reached" in r.getMessage() for r in caplog.records)
    with django_assert_num_queries(0):
        held = visitor.get(PROGRAMME_EN)
    assert held.status_code == 200 and held["X-Page-Cache"] == "stale"
    assert "Soviet New Wave 1957 – 1968" in held.content.decode()
    # A page it did not hold is rendered from the database, and then held too.
    first = visitor.get("/en/films/the-cranes-are-flying/")
    assert first.status_code == 200 and first["X-Page-Cache"] == "miss"
    assert visitor.get("/en/films/the-cranes-are-flying/")["X-Page-Cache"] == "stale"


def test_an_edit_while_redis_is_away_shows_at_once_in_the_process_that_made_it(
    visitor, demo, own_redis, django_capture_on_commit_callbacks
):
    own_redis.stop()
    wait_for(lambda: watcher().state == cache.VersionWatcher.DOWN)
    edit(demo, "Edited during the outage", django_capture_on_commit_callbacks)
    assert "Edited during the outage" in visitor.get(PROGRAMME_EN).content.decode()


def test_once_redis_is_back_pages_are_shared_and_warm_again_within_seconds(visitor, own_redis):
    own_redis.stop()
    wait_for(lambda: watcher().state == cache.VersionWatcher.DOWN)
    assert visitor.get(PROGRAMME_EN)["X-Page-Cache"] == "stale"
    own_redis.start()  # empty: no persistence
    started = time.monotonic()
    wait_for(lambda: watcher().live)
    # One render puts the page back into Redis, for every process; then it is a hit.
    seen = [visitor.get(PROGRAMME_EN)["X-Page-Cache"] for _ in range(3)]
    assert seen == ["stale", "hit", "hit"]
    assert time.monotonic() - started < 5
    assert after_the_edit(Client(), PROGRAMME_NL)["X-Page-Cache"] == "hit"
